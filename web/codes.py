"""``/code``: the landing of every e-mailed link, the typed code, activation and reset.

The landing consumes nothing (mail scanners and link previews open links): it keeps the code
in a cookie sent only to ``/code`` and redirects, so that the code leaves the address bar;
the code is used only by the customer's POST: an activation code at once, a reset code with
the new password, in the one request that sets it.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from kiosk.domain.catalogue import text
from kiosk.domain.codes import format_code, normalise_code
from kiosk.domain.errors import DomainError, InvalidInput, PasswordRejected
from kiosk.domain.refusals import describe
from kiosk.domain.results import Redeemed
from kiosk.domain.states import CodePurpose
from kiosk.domain.validation import code_problems, new_password_problems
from web.language import remember_language
from web.security import (
    CODE_COOKIE,
    CODE_PATH,
    DEVICE_COOKIE,
    DEVICE_COOKIE_SECONDS,
    SESSION_COOKIE,
)
from web.site import Form, Site, field_errors


class CodePages:
    """``GET /code?c=``, ``GET /code`` and ``POST /code``."""

    def __init__(self, site: Site) -> None:
        self.site = site

    def routes(self) -> list[Route]:
        return [
            Route(CODE_PATH, self.show, methods=["GET"]),
            Route(CODE_PATH, self.post, methods=["POST"]),
        ]

    # -- showing ----------------------------------------------------------------------------

    async def show(self, request: Request) -> Response:
        if "c" in request.query_params:
            return self._land(request, request.query_params["c"])
        typed = self.site.cookies.get(request, CODE_COOKIE)
        if not typed:
            return self._code_form(request)
        try:
            holder = await self.site.services_for(request).redemption.holder(typed)
        except DomainError as error:
            response = self._code_form(request, error=describe(error, self.site.language(request)))
            self.site.cookies.clear(response, CODE_COOKIE, path=CODE_PATH)
            return response
        # Which account the link is for: a stranger's link must not pass for the customer's.
        if holder.purpose is CodePurpose.ACTIVATION:
            # Rendered once per language: the page behind the e-mail's link is opened often.
            return self.site.renderer.render_kept(
                request, "activate.html", email_masked=holder.email_masked
            )
        return self._reset_form(request, email_masked=holder.email_masked)

    def _land(self, request: Request, link_code: str) -> Response:
        """Keep the link's code for the next step and take it out of the address bar."""
        canonical = normalise_code(link_code)
        if canonical is None:
            return self.site.redirect(CODE_PATH, notice="code_invalid")
        response = self.site.redirect(CODE_PATH)
        cookies = self.site.cookies
        # A browser-session cookie: closing the browser forgets the code.
        cookies.set(response, CODE_COOKIE, format_code(canonical), path=CODE_PATH)
        remember_language(request, response, cookies)  # the e-mail's language (``&lang=``)
        return response

    def _code_form(
        self, request: Request, *, error: str = "", field_error: str = "", status: int = 200
    ) -> Response:
        return self.site.renderer.render(
            request, "code.html", status=status, error=error, field_error=field_error, sent=False
        )

    def _reset_form(
        self,
        request: Request,
        *,
        email_masked: str,
        form: Form | None = None,
        error: str = "",
        errors: dict[str, str] | None = None,
    ) -> Response:
        return self.site.new_password_page(
            request, "reset.html", form=form, error=error, errors=errors, email_masked=email_masked
        )

    # -- posting ----------------------------------------------------------------------------

    async def post(self, request: Request) -> Response:
        form = await self.site.form(request)
        step = form.field("step")
        if step == "reset":
            return await self._reset(request, form)
        cookie = self.site.cookies.get(request, CODE_COOKIE)
        typed = form.field("code") if step == "type" else cookie
        if problems := code_problems(typed):
            return self._code_form(
                request, field_error=describe(problems["code"], self.site.language(request))
            )
        try:
            redeemed = await self.site.services_for(request).redemption.redeem(typed)
        except DomainError as error:
            response = self._code_form(request, error=describe(error, self.site.language(request)))
            self.site.cookies.clear(response, CODE_COOKIE, path=CODE_PATH)
            return response
        return self._redeemed(redeemed)

    def _redeemed(self, redeemed: Redeemed) -> Response:
        cookies = self.site.cookies
        if redeemed.session is not None:
            response = self.site.redirect("/tableau-de-bord", notice="welcome")
            cookies.set(response, SESSION_COOKIE, redeemed.session.token)
            self.keep_device_pass(response, redeemed.session.device_pass)
            cookies.clear(response, CODE_COOKIE, path=CODE_PATH)
            return response
        # A reset code is used with the new password: keep it for the form that asks for it
        # (a browser-session cookie, as the link's).
        assert redeemed.reset_code is not None
        response = self.site.redirect(CODE_PATH)
        cookies.set(response, CODE_COOKIE, redeemed.reset_code, path=CODE_PATH)
        return response

    async def _reset(self, request: Request, form: Form) -> Response:
        """The new password and the code in one request: the service checks the password
        first, then uses the code and sets the password together."""
        cookies = self.site.cookies
        code = cookies.get(request, CODE_COOKIE)
        language = self.site.language(request)
        if not code:  # the link's cookie has expired: ask for the code
            return self._code_form(request, error=text("code_invalid", language))
        password, confirmation = form.field("password"), form.field("password_confirm")
        problems = new_password_problems(password, confirmation)
        if problems:
            errors = field_errors(problems, language)
            return await self._refused_reset(request, form, code, errors)
        try:
            device_pass = await self.site.services_for(request).password_reset.reset_with_code(
                code, password, confirmation
            )
        except PasswordRejected as error:
            errors = {"password": describe(error, language)}
            return await self._refused_reset(request, form, code, errors)
        except InvalidInput as error:
            errors = field_errors({error.field: error}, language)
            return await self._refused_reset(request, form, code, errors)
        except DomainError as error:
            response = self._code_form(request, error=describe(error, self.site.language(request)))
        else:
            response = self.site.redirect("/connexion", notice="password_updated")
            self.keep_device_pass(response, device_pass)
        cookies.clear(response, CODE_COOKIE, path=CODE_PATH)
        return response

    async def _refused_reset(
        self, request: Request, form: Form, code: str, errors: dict[str, str]
    ) -> Response:
        """The reset form again, with the fields' messages; the code is left as it was."""
        try:
            holder = await self.site.services_for(request).redemption.holder(code)
        except DomainError:
            masked = ""
        else:
            masked = holder.email_masked
        return self._reset_form(request, form=form, errors=errors, email_masked=masked)

    def keep_device_pass(self, response: Response, device_pass: str) -> None:
        """This browser's device pass: its owner is not held by strangers' failed sign-ins."""
        self.site.cookies.set(response, DEVICE_COOKIE, device_pass, max_age=DEVICE_COOKIE_SECONDS)
