"""``/connexion`` and ``/mot-de-passe-oublie``: the same answer for known and unknown addresses."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from kiosk.domain.errors import DomainError, InvalidInput
from kiosk.domain.refusals import describe
from kiosk.domain.validation import sign_in_problems
from web.security import DEVICE_COOKIE, DEVICE_COOKIE_SECONDS, SESSION_COOKIE
from web.site import Site, field_errors


class SignInPages:
    """Sign in, and ask for a reset e-mail."""

    def __init__(self, site: Site) -> None:
        self.site = site

    def routes(self) -> list[Route]:
        return [
            Route("/connexion", self.login_form, methods=["GET"]),
            Route("/connexion", self.login, methods=["POST"]),
            Route("/mot-de-passe-oublie", self.forgot_form, methods=["GET"]),
            Route("/mot-de-passe-oublie", self.forgot, methods=["POST"]),
        ]

    def _login_page(
        self,
        request: Request,
        *,
        email: str = "",
        error: str = "",
        errors: dict[str, str] | None = None,
    ) -> Response:
        return self.site.renderer.render(
            request, "login.html", email=email, error=error, errors=errors or {}
        )

    async def login_form(self, request: Request) -> Response:
        return self._login_page(request)

    async def login(self, request: Request) -> Response:
        form = await self.site.form(request)
        typed, password = form.field("email"), form.field("password")
        email = form.echo("email")
        problems = sign_in_problems(typed, password)
        if problems:
            errors = field_errors(problems, self.site.language(request))
            return self._login_page(request, email=email, errors=errors)
        device_pass = self.site.cookies.get(request, DEVICE_COOKIE) or None
        try:
            signed_in = await self.site.services_for(request).sessions.sign_in(
                typed,
                password,
                self.site.language(request),
                device_pass=device_pass,
            )
        except InvalidInput as error:
            errors = field_errors({error.field: error}, self.site.language(request))
            return self._login_page(request, email=email, errors=errors)
        except DomainError as error:
            return self._login_page(
                request, email=email, error=describe(error, self.site.language(request))
            )
        response = self.site.redirect("/tableau-de-bord")
        self.site.cookies.set(response, SESSION_COOKIE, signed_in.token)
        self.site.cookies.set(
            response, DEVICE_COOKIE, signed_in.device_pass, max_age=DEVICE_COOKIE_SECONDS
        )
        return response

    async def forgot_form(self, request: Request) -> Response:
        return self.site.renderer.render(request, "forgot.html", email="", error="", errors={})

    async def forgot(self, request: Request) -> Response:
        form = await self.site.form(request)
        email = form.echo("email")
        try:
            await self.site.services_for(request).password_reset.request(form.field("email"))
        except InvalidInput as error:
            return self.site.renderer.render(
                request,
                "forgot.html",
                email=email,
                error="",
                errors={"email": describe(error, self.site.language(request))},
            )
        except DomainError as error:
            return self.site.renderer.render(
                request,
                "forgot.html",
                email=email,
                error=describe(error, self.site.language(request)),
                errors={},
            )
        # Whatever the address: the neutral message, and the form for the code it announces.
        return self.site.renderer.render(request, "code.html", sent=True, error="", field_error="")
