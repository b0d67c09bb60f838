"""The anchor of the start-up and memory benchmarks: a bare Textual app with the same four
buttons, header and footer as the Welcome screen, and nothing else."""

from __future__ import annotations

from typing import ClassVar

from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Button, Footer, Header, Input


class BareApp(App[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f2", "noop", "Créer"),
        Binding("f3", "noop", "Se connecter"),
        Binding("f4", "noop", "Mot de passe oublié"),
        Binding("f5", "noop", "Saisir un code"),
    ]

    def __init__(self, with_input: bool = False) -> None:
        super().__init__()
        self.with_input = with_input

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical():
            yield Button("Créer mon espace client", id="create")
            yield Button("Se connecter", id="login")
            yield Button("Mot de passe oublié ?", id="forgot")
            yield Button("Saisir un code reçu par e-mail", id="enter-code")
            if self.with_input:
                yield Input(id="password", password=True)
        yield Footer()

    def action_noop(self) -> None:
        pass


if __name__ == "__main__":
    BareApp().run()
