"""The catalogue: one literal, and every key the code asks for is in it."""

from __future__ import annotations

import ast
from pathlib import Path

from kiosk.domain import catalogue

ROOT = Path(__file__).resolve().parents[2]


def test_the_catalogue_is_one_literal() -> None:
    tree = ast.parse(Path(catalogue.__file__).read_text(encoding="utf-8"))
    writes = [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in {"update", "setdefault", "__setitem__"}
    ]
    stores = [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Subscript) and isinstance(node.ctx, ast.Store)
    ]
    assert writes == [] and stores == []


def keys_asked_for() -> dict[str, set[str]]:
    """The constant keys given to the catalogue's ``text()``, by file."""
    asked: dict[str, set[str]] = {}
    for folder in ("kiosk", "screens"):
        for path in (ROOT / folder).rglob("*.py"):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            if not any(
                isinstance(node, ast.ImportFrom) and node.module == "kiosk.domain.catalogue"
                for node in ast.walk(tree)
            ):
                continue  # another text(), SQLAlchemy's
            for node in ast.walk(tree):
                if (
                    isinstance(node, ast.Call)
                    and isinstance(node.func, ast.Name)
                    and node.func.id == "text"
                    and node.args
                    and isinstance(node.args[0], ast.Constant)
                    and isinstance(node.args[0].value, str)
                ):
                    asked.setdefault(str(path.relative_to(ROOT)), set()).add(node.args[0].value)
    return asked


def test_every_key_asked_for_exists() -> None:
    asked = keys_asked_for()
    assert sum(len(keys) for keys in asked.values()) > 100  # the scan sees the screens' texts
    missing = {path: sorted(keys - set(catalogue.FRENCH)) for path, keys in asked.items()}
    assert {path: keys for path, keys in missing.items() if keys} == {}
