"""Code (step 4): type the code from the e-mail, or paste its link."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Button, Footer, Static

from kiosk.catalogue import text
from kiosk.errors import CodeExpired, DomainError, ServiceUnavailable, TooManyAttempts
from kiosk.services import RegistrationReceipt, SignedIn
from screens.feedback import describe
from screens.form import FormScreen
from screens.widgets import FormField, SecretInput, StepHeader

if TYPE_CHECKING:
    from kiosk.services import KioskServices


class CodePurpose(StrEnum):
    """What the code on this screen is for, as the customer came to it."""

    ACTIVATION = "activation"
    RESET = "reset"


class CodeScreen(FormScreen):
    """Redeems a code; after a registration it also offers ``#resend`` with its countdown."""

    FIELDS: ClassVar[tuple[str, ...]] = ("code",)

    @dataclass
    class Activated(Message):
        """An activation code opened the account and a session."""

        session: SignedIn

    @dataclass
    class ResetGranted(Message):
        """A reset code was accepted: the customer may choose a new password."""

        grant: str

    @dataclass
    class Restart(Message):
        """The code expired; the customer goes back to the start."""

    def __init__(
        self,
        services: KioskServices,
        *,
        receipt: RegistrationReceipt | None = None,
        purpose: CodePurpose | None = None,
        reset_minutes: int = 60,
    ) -> None:
        super().__init__()
        self.services = services
        self.receipt = receipt
        """Set after a registration: enables ``#resend``."""
        self.purpose = CodePurpose.ACTIVATION if receipt is not None else purpose
        self.reset_minutes = reset_minutes
        """Validity of a reset code, told to the customer."""
        self._wait_until = 0
        self._countdown: Timer | None = None

    def compose(self) -> ComposeResult:
        yield StepHeader(text("code_title"), step=None if self.purpose is CodePurpose.RESET else 4)
        with VerticalScroll(classes="form"):
            yield Static(self._intro(), classes="intro", markup=False)
            yield FormField(
                text("label_code"),
                SecretInput(id="code", placeholder=text("code_placeholder"), revealable=True),
            )
            with Horizontal(classes="actions"):
                yield Button(text("button_validate"), id="validate", variant="primary")
                if self.receipt is not None:
                    yield Button(text("button_resend"), id="resend")
            yield from self.compose_status()
            with Horizontal(classes="actions", id="restart-row"):
                yield Button(text("button_restart"), id="restart")
        yield Footer()

    def _intro(self) -> str:
        if self.receipt is not None:
            return (
                f"{text('code_explanation')}\n"
                f"{text('code_sent_to', email=self.receipt.email_masked)}"
            )
        if self.purpose is CodePurpose.RESET:
            return text("code_intro_reset", minutes=self.reset_minutes)
        return text("code_intro")

    @on(Button.Pressed, "#validate")
    def _validate_pressed(self) -> None:
        self.submit()

    def on_submit(self) -> None:
        code = self.value("code")
        if not code.strip():
            self.field_error("code", text("required"))
            return
        self.busy = True
        self._redeem(code)

    @work(exclusive=True, exit_on_error=False)
    async def _redeem(self, code: str) -> None:
        try:
            redeemed = await self.services.accounts.redeem_code(code)
        except CodeExpired as error:
            self._expired(describe(error))
            return
        except ServiceUnavailable:
            raise  # the app shows the outage until the database answers
        except DomainError as error:
            self.field_error("code", describe(error))
            return
        finally:
            self.busy = False
        if redeemed.session is not None:
            self.post_message(self.Activated(redeemed.session))
        elif redeemed.reset_grant is not None:
            self.post_message(self.ResetGranted(redeemed.reset_grant))

    def _expired(self, message: str) -> None:
        self.form_error(message)
        self.add_class("-expired")
        self.query_one("#restart", Button).focus()

    @on(Button.Pressed, "#restart")
    def _restart(self) -> None:
        self.post_message(self.Restart())

    @on(Button.Pressed, "#resend")
    def _resend_pressed(self) -> None:
        if self.receipt is None or self._countdown is not None or self.busy:
            return
        self.busy = True
        self._resend(self.receipt.token)

    @work(exclusive=True, exit_on_error=False)
    async def _resend(self, token: str) -> None:
        try:
            wait = await self.services.accounts.resend_activation(token)
        except TooManyAttempts as error:
            self.form_error(describe(error))
            wait = error.retry_after_seconds
        except ServiceUnavailable:
            raise  # the app shows the outage until the database answers
        except DomainError as error:
            self.form_error(describe(error))
            return
        else:
            self.notify(text("resent"))
        finally:
            self.busy = False
        self._start_countdown(int(wait))

    def _start_countdown(self, seconds: int) -> None:
        self._wait_until = seconds
        button = self.query_one("#resend", Button)
        if button.has_focus:
            self.query_one("#code").focus()
        button.disabled = True
        self._tick()
        self._countdown = self.set_interval(1, self._tick)

    def _tick(self) -> None:
        button = self.query_one("#resend", Button)
        if self._wait_until <= 0:
            if self._countdown is not None:
                self._countdown.stop()
                self._countdown = None
            button.label = text("button_resend")
            button.disabled = False
            return
        button.label = text("resend_wait", seconds=self._wait_until)
        self._wait_until -= 1
