"""The tests' own house rule: shared helpers live in tests/support/, and no test module (nor a
conftest) is imported as a library by another."""

from __future__ import annotations

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]


def test_no_test_module_imports_another() -> None:
    offenders = []
    for path in sorted(TESTS.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                first, last = node.module.split(".")[0], node.module.split(".")[-1]
                if first == "tests" and (last.startswith("test_") or last == "conftest"):
                    offenders.append(f"{path.relative_to(TESTS)}: {node.module}")
    assert offenders == []


def test_helpers_outside_support_are_only_tests_and_conftests() -> None:
    strays = [
        str(path.relative_to(TESTS))
        for path in sorted(TESTS.rglob("*.py"))
        if "support" not in path.relative_to(TESTS).parts
        and path.name not in {"__init__.py", "conftest.py"}
        and not path.name.startswith("test_")
    ]
    assert strays == []
