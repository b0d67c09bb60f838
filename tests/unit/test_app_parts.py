"""The kiosk app is made of parts, not stacked as mixins (STYLE.md, "The shape of the house")."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import kiosk.app
from kiosk.app import KioskApp
from kiosk.app.textual_internals import GuardedApp


def app_classes() -> list[type]:
    """Every class defined in a module of :mod:`kiosk.app`."""
    found: list[type] = []
    for info in pkgutil.iter_modules(kiosk.app.__path__, "kiosk.app."):
        module = importlib.import_module(info.name)
        found += [
            value
            for value in vars(module).values()
            if inspect.isclass(value) and value.__module__ == module.__name__
        ]
    return found


def test_no_class_of_the_app_derives_from_another_but_the_app_from_its_guard() -> None:
    own = set(app_classes())
    stacked = {
        kind.__qualname__: [base.__qualname__ for base in kind.__mro__[1:] if base in own]
        for kind in own
    }
    assert {name: bases for name, bases in stacked.items() if bases} == {"KioskApp": ["GuardedApp"]}


def test_the_app_overrides_only_the_guards_two_hooks() -> None:
    # GuardedApp leaves message_failed and pump_failed to the app; nothing else of one module
    # of kiosk/app is redefined in another.
    guarded = {name for name, value in vars(GuardedApp).items() if inspect.isfunction(value)}
    assert guarded & set(vars(KioskApp)) == {"message_failed", "pump_failed"}


def test_the_parts_are_owned_by_the_app() -> None:
    parts = {"backend", "notices", "type_ahead", "attendance", "recovery", "navigation", "speech"}
    source = inspect.getsource(KioskApp.__init__)
    assert all(f"self.{part} = " in source for part in parts)
