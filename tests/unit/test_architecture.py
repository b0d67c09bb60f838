"""STYLE.md's layers are import-linter contracts (pyproject.toml); these keep the tool honest."""

from __future__ import annotations

import ast
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import grimp

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("kiosk", "screens", "web")
ENTRY_POINTS = {"kiosk.__main__", "kiosk.cli", "kiosk.app"}
"""The only modules of kiosk/ that may know a terminal or a front end (the command line's entry
point, its commands with their progress bar, and the Textual app)."""


def contract(name_start: str) -> dict[str, Any]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    found: dict[str, Any] = next(
        c for c in config["tool"]["importlinter"]["contracts"] if c["name"].startswith(name_start)
    )
    return found


def test_the_contracts_hold() -> None:
    linter = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run(
        [str(linter), "--no-cache"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_graph_sees_imports_made_inside_functions() -> None:
    # The commands import Textual's app and the web server only in the functions that use
    # them: a checker blind to those lazy imports would let a front end be imported from below.
    graph = grimp.build_graph(*PACKAGES, include_external_packages=True)
    assert graph.direct_import_exists(importer="kiosk.cli.run", imported="kiosk.app")
    assert graph.direct_import_exists(importer="kiosk.cli.web", imported="web.server")


def test_no_import_escapes_the_graph() -> None:
    # importlib.import_module("...") and __import__ take a string that the linter cannot follow.
    offenders = []
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                name = getattr(node, "attr", None) or getattr(node, "id", None)
                if name in {"import_module", "__import__"}:
                    offenders.append(f"{path.relative_to(ROOT)}:{getattr(node, 'lineno', 0)}")
    assert offenders == []


def test_every_module_below_the_entry_points_is_held_to_the_contract() -> None:
    # A module added to kiosk/ and forgotten in the list would escape the check.
    modules = {
        f"kiosk.{path.stem if path.is_file() else path.name}"
        for path in (ROOT / "kiosk").iterdir()
        if (path.suffix == ".py" and path.stem != "__init__")
        or (path.is_dir() and (path / "__init__.py").exists())
    }
    below = contract("Below the entry points")
    assert modules - ENTRY_POINTS == set(below["source_modules"])
