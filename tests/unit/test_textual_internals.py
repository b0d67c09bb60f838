"""Textual's private names: used in their rooms only, and still there.

The product's room is ``kiosk/app/textual_internals.py``; the benchmarks' probes
(``bench/textual_probes.py``) and the tests' key events (``tests/support/keys.py``) have rooms
of their own, outside the product.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
import textwrap
from pathlib import Path

import pytest
from textual.app import App
from textual.message_pump import MessagePump
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Button, Input, OptionList, Static

from kiosk.app import textual_internals
from tests.support import keys

ROOT = Path(__file__).resolve().parents[2]
CONTAINMENT = ROOT / "kiosk" / "app" / "textual_internals.py"
ROOMS = (CONTAINMENT, ROOT / "bench" / "textual_probes.py", ROOT / "tests" / "support" / "keys.py")
"""The product's room, the benchmarks' and the tests'."""
SCANNED = ("kiosk", "screens", "tests", "bench", "tools")
TEXTUAL_CLASSES = (App, Screen, Widget, MessagePump, Input, Button, Static, OptionList)
"""The Textual classes the kiosk derives from or drives."""


def owner(path: str) -> object:
    """``textual.app.App`` -> the class; ``textual.app.App()`` -> an instance; else a module."""
    instance = path.endswith("()")
    module_name, _, name = path.removesuffix("()").rpartition(".")
    try:
        found: object = getattr(importlib.import_module(module_name), name)
    except (ImportError, ValueError):
        return importlib.import_module(path)
    return found() if instance else found  # type: ignore[operator]


def bench_private_names() -> dict[str, tuple[str, ...]]:
    """``PRIVATE_NAMES`` of ``bench/textual_probes.py``, read from its source (``bench/`` is
    not a package the tests import)."""
    tree = ast.parse((ROOT / "bench" / "textual_probes.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.AnnAssign) and ast.unparse(node.target) == "PRIVATE_NAMES":
            assert node.value is not None
            found: dict[str, tuple[str, ...]] = ast.literal_eval(node.value)
            return found
    raise AssertionError("bench/textual_probes.py declares no PRIVATE_NAMES")


ALL_PRIVATE_NAMES = [
    (path, name)
    for room in (textual_internals.PRIVATE_NAMES, keys.PRIVATE_NAMES, bench_private_names())
    for path, names in room.items()
    for name in names
]


@pytest.mark.parametrize(("path", "name"), ALL_PRIVATE_NAMES)
def test_every_private_name_still_exists(path: str, name: str) -> None:
    assert hasattr(owner(path), name), f"Textual no longer has {path}.{name}"


def textual_private_names() -> set[str]:
    """Private attributes of the Textual classes the kiosk uses, and of a fresh App."""
    names: set[str] = set()
    for kind in TEXTUAL_CLASSES:
        names.update(dir(kind))
    names.update(vars(App()))
    return {name for name in names if name.startswith("_") and not name.startswith("__")}


def own_attributes(tree: ast.AST) -> set[str]:
    """Attributes a file gives its own objects (``self._x = ...``) and methods it defines."""
    own: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign | ast.AnnAssign | ast.AugAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            own.update(target.attr for target in targets if isinstance(target, ast.Attribute))
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            own.add(node.name)
    return own


HOLDERS_OF_TEXTUAL_OBJECTS = ("textual", "screens", "kiosk.app", "kiosk.cli", "tests", "bench")
"""Modules through which a file can hold a Textual object. Another file (the storage layer,
say, which the import contracts keep free of Textual) reads only its own libraries' private
names (SQLAlchemy's ``_handle_exception`` is not Textual's)."""


def reaches_textual(tree: ast.AST) -> bool:
    """Whether a file imports Textual or a module that holds Textual objects."""
    for node in ast.walk(tree):
        modules = (
            [node.module or ""]
            if isinstance(node, ast.ImportFrom)
            else [alias.name for alias in node.names]
            if isinstance(node, ast.Import)
            else []
        )
        if any(module.startswith(HOLDERS_OF_TEXTUAL_OBJECTS) for module in modules):
            return True
    return False


def private_uses(path: Path, private: set[str]) -> list[str]:
    """Where ``path`` imports a private module or name of Textual, or reads one of its private
    attributes (one the file does not define for its own objects) while it can hold a Textual
    object."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    theirs = private - own_attributes(tree) if reaches_textual(tree) else set()
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("textual"):
            module = node.module or ""
            names = [alias.name for alias in node.names]
            if "._" in module or any(name.startswith("_") for name in names):
                found.append(f"line {node.lineno}: from {module} import {', '.join(names)}")
        elif isinstance(node, ast.Import):
            found += [
                f"line {node.lineno}: import {alias.name}"
                for alias in node.names
                if alias.name.startswith("textual") and "._" in alias.name
            ]
        elif isinstance(node, ast.Attribute) and node.attr in theirs:
            found.append(f"line {node.lineno}: .{node.attr}")
    return found


def test_no_other_module_touches_textual_internals() -> None:
    private = textual_private_names()
    offenders = {
        str(path.relative_to(ROOT)): uses
        for folder in SCANNED
        for path in sorted((ROOT / folder).rglob("*.py"))
        if path not in ROOMS and (uses := private_uses(path, private))
    }
    assert offenders == {}


def kiosk_textual_classes() -> list[type[MessagePump]]:
    """Every Textual class of the app and the screens (their modules imported)."""
    found: list[type[MessagePump]] = []
    for package in ("kiosk.app", "screens", "screens.widgets"):
        root = importlib.import_module(package)
        for info in pkgutil.iter_modules(root.__path__, f"{package}."):
            module = importlib.import_module(info.name)
            found += [
                value
                for value in vars(module).values()
                if isinstance(value, type)
                and issubclass(value, MessagePump)
                and value.__module__ == module.__name__
            ]
    return found


def inherited_private_names(kind: type[MessagePump]) -> set[str]:
    """The private names ``kind`` inherits from Textual (of an App's instance too)."""
    names: set[str] = set()
    for base in kind.__mro__:
        if base.__module__.split(".")[0] == "textual":
            names.update(dir(base))
    if issubclass(kind, App):
        names.update(vars(App()))
    return {name for name in names if name.startswith("_") and not name.startswith("__")}


def test_no_kiosk_class_overrides_or_sets_a_textual_internal() -> None:
    offenders = {}
    for kind in kiosk_textual_classes():
        if kind.__module__ == textual_internals.__name__:
            continue
        source = ast.parse(textwrap.dedent(inspect.getsource(kind)))
        overridden = inherited_private_names(kind) & own_attributes(source)
        if overridden:
            offenders[kind.__qualname__] = sorted(overridden)
    assert offenders == {}


def test_the_checks_see_a_private_use() -> None:
    # Guards the tests themselves: the containment module is found doing what it does.
    uses = private_uses(CONTAINMENT, textual_private_names())
    assert any("textual._context" in use for use in uses)
    assert any("._notifications" in use for use in uses)
    guarded = textual_internals.GuardedApp
    source = ast.parse(inspect.getsource(guarded))
    assert "_handle_exception" in inherited_private_names(guarded) & own_attributes(source)
