"""``/code``: the landing of every e-mailed link, the typed code, activation and reset.

The landing consumes nothing (mail scanners and link previews open links): it keeps the code
in a cookie sent only to ``/code`` and redirects, so that the code leaves the address bar;
the code is used only by the customer's POST.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from kiosk.catalogue import text
from kiosk.codes import format_code, normalise_code
from kiosk.errors import DomainError, PasswordRejected
from kiosk.refusals import describe
from kiosk.services.results import Redeemed
from kiosk.states import CodePurpose
from web.language import remember_language
from web.security import (
    CODE_COOKIE,
    CODE_PATH,
    DEVICE_COOKIE,
    DEVICE_COOKIE_SECONDS,
    GRANT_COOKIE,
    SESSION_COOKIE,
)
from web.site import Form, Site

GRANT_COOKIE_SECONDS = 15 * 60
"""A used reset code's grant lives 15 minutes in the services."""


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
        services = self.site.services_for(request)
        grant = self.site.cookies.get(request, GRANT_COOKIE)
        if grant:
            try:
                masked = await services.password_reset.grant_holder(grant)
            except DomainError as error:
                response = self._code_form(request, error=describe(error))
                self.site.cookies.clear(response, GRANT_COOKIE, path=CODE_PATH)
                return response
            return self._reset_form(request, email_masked=masked)
        typed = self.site.cookies.get(request, CODE_COOKIE)
        if not typed:
            return self._code_form(request)
        try:
            holder = await services.redemption.holder(typed)
        except DomainError as error:
            response = self._code_form(request, error=describe(error, self.site.language(request)))
            self.site.cookies.clear(response, CODE_COOKIE, path=CODE_PATH)
            return response
        # Which account the link is for: a stranger's link must not pass for the customer's.
        if holder.purpose is CodePurpose.ACTIVATION:
            return self.site.renderer.render(
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
        if cookies.get(request, GRANT_COOKIE):  # a new link replaces a reset under way
            cookies.clear(response, GRANT_COOKIE, path=CODE_PATH)
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
        if not typed.strip():
            return self._code_form(
                request, field_error=text("required", self.site.language(request))
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
        else:
            assert redeemed.reset_grant is not None
            response = self.site.redirect(CODE_PATH)
            cookies.set(
                response,
                GRANT_COOKIE,
                redeemed.reset_grant,
                path=CODE_PATH,
                max_age=GRANT_COOKIE_SECONDS,
            )
        cookies.clear(response, CODE_COOKIE, path=CODE_PATH)
        return response

    async def _reset(self, request: Request, form: Form) -> Response:
        services = self.site.services_for(request)
        cookies = self.site.cookies
        grant = cookies.get(request, GRANT_COOKIE)
        code = cookies.get(request, CODE_COOKIE)
        if not grant and not code:  # the link's cookie has expired: ask for the code
            return self._code_form(request, error=text("code_invalid", self.site.language(request)))
        new_grant = False
        try:
            if not grant:
                redeemed = await services.redemption.redeem(code)
                if redeemed.reset_grant is None:  # an activation code posted to the reset form
                    return self._redeemed(redeemed)
                grant, new_grant = redeemed.reset_grant, True
            device_pass = await services.password_reset.complete(
                grant, form.field("password"), form.field("password_confirm")
            )
        except PasswordRejected as error:
            try:
                masked = await services.password_reset.grant_holder(grant)
            except DomainError:
                masked = ""
            response = self._reset_form(
                request,
                form=form,
                errors={"password": describe(error, self.site.language(request))},
                email_masked=masked,
            )
            if new_grant:
                cookies.set(
                    response, GRANT_COOKIE, grant, path=CODE_PATH, max_age=GRANT_COOKIE_SECONDS
                )
                cookies.clear(response, CODE_COOKIE, path=CODE_PATH)
            return response
        except DomainError as error:
            response = self._code_form(request, error=describe(error, self.site.language(request)))
        else:
            response = self.site.redirect("/connexion", notice="password_updated")
            self.keep_device_pass(response, device_pass)
        cookies.clear(response, CODE_COOKIE, path=CODE_PATH)
        cookies.clear(response, GRANT_COOKIE, path=CODE_PATH)
        return response

    def keep_device_pass(self, response: Response, device_pass: str) -> None:
        """This browser's device pass: its owner is not held by strangers' failed sign-ins."""
        self.site.cookies.set(response, DEVICE_COOKIE, device_pass, max_age=DEVICE_COOKIE_SECONDS)
