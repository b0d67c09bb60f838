"""The signed-in customer's pages: ``/tableau-de-bord``, ``/mot-de-passe``, ``/deconnexion``."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from kiosk.domain.catalogue import text
from kiosk.domain.errors import DomainError, InvalidCredentials, PasswordRejected, SessionExpired
from kiosk.domain.refusals import describe
from kiosk.domain.validation import change_password_problems
from web.security import SESSION_COOKIE
from web.site import Form, Site, field_errors


class AccountPages:
    """Dashboard, change password and sign out; no session sends the customer to sign in."""

    def __init__(self, site: Site) -> None:
        self.site = site

    def routes(self) -> list[Route]:
        return [
            Route("/tableau-de-bord", self.dashboard, methods=["GET"]),
            Route("/mot-de-passe", self.password_form, methods=["GET"]),
            Route("/mot-de-passe", self.change_password, methods=["POST"]),
            Route("/deconnexion", self.sign_out, methods=["POST"]),
        ]

    def _ended(self) -> Response:
        response = self.site.redirect("/connexion", notice="session_expired")
        self.site.cookies.clear(response, SESSION_COOKIE)
        return response

    async def dashboard(self, request: Request) -> Response:
        token = self.site.cookies.get(request, SESSION_COOKIE)
        if not token:
            return self.site.redirect("/connexion")
        services = self.site.services_for(request)
        try:
            summary = await services.sessions.dashboard(token)
            unusual = await services.billing.unusual_consumption(token)
        except SessionExpired:
            return self._ended()
        rows = summary.rows(self.site.language(request))
        return self.site.renderer.render(
            request, "dashboard.html", summary=summary, rows=rows, leak_alert=unusual
        )

    def _password_page(
        self,
        request: Request,
        *,
        form: Form | None = None,
        error: str = "",
        errors: dict[str, str] | None = None,
    ) -> Response:
        return self.site.new_password_page(
            request, "change_password.html", form=form, error=error, errors=errors
        )

    async def password_form(self, request: Request) -> Response:
        if not self.site.cookies.get(request, SESSION_COOKIE):
            return self.site.redirect("/connexion")
        return self._password_page(request)

    async def change_password(self, request: Request) -> Response:
        form = await self.site.form(request)
        token = self.site.cookies.get(request, SESSION_COOKIE)
        if not token:
            return self.site.redirect("/connexion")
        current, password = form.field("current_password"), form.field("password")
        confirmation = form.field("password_confirm")
        problems = change_password_problems(current, password, confirmation)
        if problems:
            errors = field_errors(problems, self.site.language(request))
            return self._password_page(request, form=form, errors=errors)
        try:
            renewed = await self.site.services_for(request).sessions.change_password(
                token, current, password, confirmation
            )
        except SessionExpired:
            return self._ended()
        except InvalidCredentials:
            return self._password_page(
                request,
                form=form,
                errors={
                    "current_password": text("current_password_wrong", self.site.language(request))
                },
            )
        except PasswordRejected as error:
            return self._password_page(
                request,
                form=form,
                errors={"password": describe(error, self.site.language(request))},
            )
        except DomainError as error:
            return self._password_page(
                request, form=form, error=describe(error, self.site.language(request))
            )
        response = self.site.redirect("/tableau-de-bord", notice="password_updated")
        self.site.cookies.set(response, SESSION_COOKIE, renewed)
        return response

    async def sign_out(self, request: Request) -> Response:
        await self.site.form(request)
        token = self.site.cookies.get(request, SESSION_COOKIE)
        if token:
            await self.site.services_for(request).sessions.sign_out(token)
        response = self.site.redirect("/", notice="signed_out")
        self.site.cookies.clear(response, SESSION_COOKIE)
        return response
