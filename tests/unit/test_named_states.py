"""Named states: refusals and auth events are enum members, written and read back as such."""

from __future__ import annotations

import ast
from pathlib import Path

from kiosk.domain.catalogue import FRENCH
from kiosk.domain.errors import PasswordRejected
from kiosk.domain.events import AuthEventName, Throttle
from kiosk.domain.passwords import password_refusal
from kiosk.domain.refusals import describe
from kiosk.domain.states import CodePurpose, PasswordRefusal
from kiosk.services.status import THROTTLED

KIOSK = Path(__file__).resolve().parents[2] / "kiosk"
NAMED = {"record_event": 1, "record_refusal": 0, "counts_refusals": 0}
"""The calls that take a name, and the position of that argument."""


def test_no_event_or_throttle_is_named_by_a_bare_string() -> None:
    offenders = []
    for path in sorted(KIOSK.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "attr", None) or getattr(node.func, "id", None)
            position = NAMED.get(str(name))
            if position is None or len(node.args) <= position:
                continue
            if isinstance(node.args[position], ast.Constant | ast.JoinedStr):
                offenders.append(f"{path.relative_to(KIOSK)}:{node.lineno}")
    assert offenders == []


def test_the_policy_answers_with_the_enum_and_each_refusal_has_its_sentence() -> None:
    refusal = password_refusal("Password1!")
    assert refusal is PasswordRefusal.COMMON
    for each in PasswordRefusal:
        assert describe(PasswordRejected(each)) == FRENCH[f"password_{each}"]


def test_status_reads_every_throttle_back_through_the_enums() -> None:
    assert set(THROTTLED.values()) == set(Throttle)
    assert all(isinstance(event, AuthEventName) for event in THROTTLED)
    assert AuthEventName.code_expired(CodePurpose.RESET) is AuthEventName.CODE_EXPIRED_RESET
    assert AuthEventName.throttled(Throttle.SIGNIN) is AuthEventName.THROTTLED_SIGNIN
