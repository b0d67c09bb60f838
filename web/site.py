"""What every page needs: the services, the settings, the renderer and the request helpers."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from kiosk.config import Settings
from kiosk.domain.refusals import describe
from kiosk.domain.validation import Problems
from web.language import page_language
from web.rendering import NOTICES, Renderer, checklist
from web.security import (
    CSRF_FIELD,
    NOTICE_COOKIE,
    ClientAddress,
    CookiePolicy,
    CsrfGuard,
    client_key,
)

if TYPE_CHECKING:  # the services bring SQLAlchemy; the web layer only holds them
    from kiosk.services import KioskServices

MAX_FIELDS = 10
"""No form of the companion has more fields; a body with more is not one of ours."""


class Form(dict[str, str]):
    """The fields of a posted form (first value of each name)."""

    def field(self, name: str) -> str:
        return self.get(name, "")

    def echo(self, name: str) -> str:
        """The field as a page may show it back: as typed, or empty when it holds a control
        or invisible character (a NUL reached the ``value`` attribute; a value cannot be shown
        as typed without them, and the services' message says why it was refused)."""
        value = self.field(name)
        return value if value.isprintable() else ""


def field_errors(problems: Problems, language: str) -> dict[str, str]:
    """The message of each problem, by field name (the names of the forms' inputs)."""
    return {field: describe(problem, language) for field, problem in problems.items()}


ORIGINS_KEPT = 1024
"""The clients whose services :meth:`Site.services_for` keeps made."""


@dataclass
class Site:
    """Built once by :func:`web.app.create_app`; the pages receive it."""

    services: KioskServices
    settings: Settings
    renderer: Renderer
    cookies: CookiePolicy
    csrf: CsrfGuard
    client_address: ClientAddress
    _by_origin: dict[str, KioskServices] = field(default_factory=dict, init=False, repr=False)

    @staticmethod
    def language(request: Request) -> str:
        """The language of this request's page (:func:`web.language.page_language`)."""
        return page_language(request)

    def services_for(self, request: Request) -> KioskServices:
        """The services with throttles and auth events keyed by this client's address (an
        IPv6 client by its /64); made once for the latest clients (no state of their own)."""
        origin = "web:" + client_key(self.client_address(request))
        services = self._by_origin.pop(origin, None)
        if services is None:
            services = self.services.for_origin(origin)
            if len(self._by_origin) >= ORIGINS_KEPT:
                del self._by_origin[next(iter(self._by_origin))]  # the least recent
        self._by_origin[origin] = services  # now the most recent
        return services

    async def form(self, request: Request) -> Form:
        """The posted fields, once the CSRF token is checked.

        Raises:
            HTTPException: 403 when the token is missing or not this browser's.
        """
        body = await request.body()  # at most 16 KiB: the body limit read it already
        try:
            pairs = parse_qsl(
                body.decode("utf-8"),
                keep_blank_values=True,
                strict_parsing=False,
                max_num_fields=MAX_FIELDS,
            )
        except (UnicodeDecodeError, ValueError):
            raise HTTPException(400) from None
        form = Form()
        for name, value in pairs:
            form.setdefault(name, value)
        if not self.csrf.verify(request, form.field(CSRF_FIELD)):
            raise HTTPException(403)
        return form

    def new_password_page(
        self,
        request: Request,
        template: str,
        *,
        form: Form | None = None,
        error: str = "",
        errors: dict[str, str] | None = None,
        email_masked: str = "",
    ) -> Response:
        """A page with the new password, its confirmation and the checklist of what was sent
        (reset and change of password)."""
        language = self.language(request)
        lines = (
            checklist(form.field("password"), form.field("password_confirm"), language)
            if form
            else checklist(language=language)
        )
        return self.renderer.render(
            request,
            template,
            lines=lines,
            error=error,
            errors=errors or {},
            email_masked=email_masked,
        )

    def redirect(self, url: str, *, notice: str | None = None) -> Response:
        """A 303 to ``url``, carrying a one-time notice (a key of ``NOTICES``)."""
        response = RedirectResponse(url, status_code=303)
        if notice is not None:
            assert notice in NOTICES, notice
            self.cookies.set(response, NOTICE_COOKIE, notice)
        return response
