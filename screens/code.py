"""Code (step 4): type the code from the e-mail, or paste its link."""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Button, Footer, Static

from kiosk.domain.catalogue import hours_text, text
from kiosk.domain.errors import CodeExpired, DomainError, TooManyAttempts
from kiosk.domain.refusals import describe
from kiosk.domain.states import CodePurpose
from kiosk.domain.validation import code_problems
from kiosk.services import Redeemed, RegistrationReceipt, SignedIn
from screens.form import FormScreen
from screens.widgets import limits
from screens.widgets.form_field import FormField
from screens.widgets.secret_input import SecretInput
from screens.widgets.step_header import StepHeader

if TYPE_CHECKING:
    from kiosk.services import KioskServices


class CodeScreen(FormScreen):
    """Redeems a code; after a registration it also offers ``#resend`` with its countdown."""

    FIELDS: ClassVar[tuple[str, ...]] = ("code",)
    SUBMIT: ClassVar[str] = "validate"
    TICK_SECONDS: ClassVar[float] = 0.25
    """How often the countdown of ``#resend`` looks at the clock."""

    @dataclass
    class Activated(Message):
        """An activation code opened the account and a session."""

        session: SignedIn

    @dataclass
    class ResetGranted(Message):
        """A reset code was accepted: the customer may choose a new password with it."""

        code: str
        """The reset code, canonical; used with the new password, never shown."""
        email_masked: str = ""
        """Whose password it sets (masked): the Reset screen says it."""

    @dataclass
    class Restart(Message):
        """The code expired; the customer goes back to the start."""

    def __init__(
        self,
        services: KioskServices,
        *,
        receipt: RegistrationReceipt | None = None,
        purpose: CodePurpose | None = None,
        reset_minutes: int | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__()
        self.services = services
        self.receipt = receipt
        """Set after a registration: enables ``#resend``."""
        self.purpose = CodePurpose.ACTIVATION if receipt is not None else purpose
        self.reset_minutes = reset_minutes
        """Validity of a reset code, told to the customer (the settings'); an activation
        code's is the receipt's."""
        self._clock = clock
        """Seconds, for the countdown of ``#resend`` (monotonic; tests move their own)."""
        self._resend_at = 0.0
        self._countdown: Timer | None = None

    def compose(self) -> ComposeResult:
        step = None if self.purpose is CodePurpose.RESET else 4
        yield StepHeader(text("code_title", self.language), step=step)
        with VerticalScroll(classes="form"):
            yield Static(self._intro(), classes="intro", markup=False)
            yield FormField(
                text("label_code", self.language),
                SecretInput(
                    limits.CODE,
                    id="code",
                    placeholder=text("code_placeholder", self.language),
                    revealable=True,
                ),
            )
            with Horizontal(classes="actions"):
                yield Button(
                    text("button_validate", self.language), id="validate", variant="primary"
                )
                if self.receipt is not None:
                    yield Button(text("button_resend", self.language), id="resend")
            yield from self.compose_status()
            with Horizontal(classes="actions", id="restart-row"):
                yield Button(text("button_restart", self.language), id="restart")
        yield Footer()

    def on_mount(self) -> None:
        super().on_mount()
        if self.receipt is not None:  # the activation e-mail was just sent
            # SPEC §5: the service's throttle decides when the e-mail may go again; counting
            # down from the e-mail just sent, the customer is never refused.
            self._start_countdown(self.receipt.resend_after_seconds)

    def _intro(self) -> str:
        if self.receipt is not None:
            hours = hours_text(self.receipt.valid_hours, self.language)
            return (
                f"{text('code_explanation', self.language, hours=hours)}\n"
                f"{text('code_sent_to', self.language, email=self.receipt.email_masked)}"
            )
        if self.purpose is CodePurpose.RESET and self.reset_minutes is not None:
            return text("code_intro_reset", self.language, minutes=self.reset_minutes)
        return text("code_intro", self.language)

    def on_submit(self) -> None:
        if self.show_problems(code_problems(self.value("code"))):
            return
        self.call_service(
            partial(self.services.redemption.redeem, self.value("code")),
            self._redeemed,
            refused=self._code_refused,
        )

    def _redeemed(self, redeemed: Redeemed) -> None:
        if redeemed.session is not None:
            self.post_message(self.Activated(redeemed.session))
        elif redeemed.reset_code is not None:
            self.post_message(self.ResetGranted(redeemed.reset_code, redeemed.email_masked))

    def _code_refused(self, error: DomainError) -> bool:
        if isinstance(error, CodeExpired):
            self.form_error(describe(error, self.language))
            self.add_class("-expired")
            self.query_one("#restart", Button).focus()
        else:
            self.field_error("code", describe(error, self.language))
        return True

    @on(Button.Pressed, "#restart")
    def _restart(self) -> None:
        self.post_message(self.Restart())

    # -- the resend and its countdown --------------------------------------------------------

    @on(Button.Pressed, "#resend")
    def _resend_pressed(self) -> None:
        if self.receipt is None or self._countdown is not None or self.busy:
            return
        self.call_service(
            partial(self.services.registration.resend_activation, self.receipt.token),
            self._resent,
            refused=self._resend_refused,
        )

    def _resent(self, wait: float) -> None:
        self.notify(text("resent", self.language))
        self._start_countdown(wait)

    def _resend_refused(self, error: DomainError) -> bool:
        self.form_error(describe(error, self.language))
        if isinstance(error, TooManyAttempts):
            self._start_countdown(error.retry_after_seconds)
        return True

    def _start_countdown(self, seconds: float) -> None:
        """``#resend`` waits ``seconds``, its label counting them down."""
        self._resend_at = self._clock() + seconds
        button = self.query_one("#resend", Button)
        if button.has_focus:
            self.query_one("#code").focus()
        button.disabled = True
        self._tick()
        if self._countdown is None:
            self._countdown = self.set_interval(self.TICK_SECONDS, self._tick)

    def _tick(self) -> None:
        button = self.query_one("#resend", Button)
        remaining = math.ceil(self._resend_at - self._clock())
        if remaining <= 0:
            if self._countdown is not None:
                self._countdown.stop()
                self._countdown = None
            button.label = text("button_resend", self.language)
            button.disabled = False
            return
        button.label = text("resend_wait", self.language, seconds=remaining)
