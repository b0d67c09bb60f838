"""``GET /inscription`` and ``POST /inscription/commune``: step 2 of the web's registration.

The search page is asked at every key a customer types (the product's script), from every
browser, and its answers come back again and again: a page is rendered once per answer of the
commune search (the service gives the same tuple for the same search for a minute) and then
only this browser's CSRF token is written into it.
"""

from __future__ import annotations

import secrets
from typing import Any

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from kiosk.domain.catalogue import text
from kiosk.domain.errors import InvalidInput, UnknownCommune
from kiosk.domain.refusals import describe
from kiosk.domain.results import CommuneChoice, OperatorInfo
from kiosk.domain.rules import COMMUNE_QUERY_MAX
from web.registration import not_served_message
from web.security import DRAFT_COOKIE, DRAFT_PATH, NOTICE_COOKIE
from web.site import Site

TEMPLATE = "register_commune.html"
PAGES_KEPT = 512
"""Search pages kept (each one answer of one search); all forgotten when full."""


class CommuneStep:
    """The search of communes (without script: a form and a list of buttons), then the
    chosen commune's operator, or whom to contact when it is not served here."""

    def __init__(self, site: Site) -> None:
        self.site = site
        self._pages: dict[tuple[int, str, str], tuple[tuple[CommuneChoice, ...], str]] = {}
        """By the answer's identity, the query and the language: the answer (held, so that its
        identity is not reused) and the page with :attr:`_slot` where the token goes."""
        self._slot = "csrf-slot-" + secrets.token_hex(16)
        """Stands for the token in a kept page: random, so that no query can bring it."""

    def routes(self) -> list[Route]:
        return [
            Route(DRAFT_PATH, self.search, methods=["GET"]),
            Route(DRAFT_PATH + "/commune", self.choose, methods=["POST"]),
        ]

    async def search(self, request: Request) -> Response:
        query = request.query_params.get("q", "")
        language = self.site.language(request)
        # Searching counts nothing: the process's services, not the client's.
        try:
            choices = await self.site.services.drafts.search(query)
        except InvalidInput as refused:
            # Not shown back when it holds a control character (a NUL reached value=).
            shown = query if query.isprintable() else ""
            return self._page(request, shown, error=describe(refused, self.site.language(request)))
        browser = self.site.csrf.browser_id(request)
        notice = self.site.cookies.get(request, NOTICE_COOKIE)
        if browser is None or notice or "lang" in request.query_params:
            return self._page(request, query, choices=choices)  # sets the cookie, or a notice
        key = (id(choices), query, language)
        kept = self._pages.get(key)
        if kept is None or kept[0] is not choices:
            if len(self._pages) >= PAGES_KEPT:
                self._pages.clear()
            page = self._page(
                None,
                query,
                choices=choices,
                csrf_token=self._slot,
                language=language,
                path=request.url.path,
            )
            kept = self._pages[key] = (choices, bytes(page.body).decode())
        return HTMLResponse(kept[1].replace(self._slot, self.site.csrf.token_for(browser)))

    def _page(
        self,
        request: Request | None,
        query: str,
        *,
        choices: tuple[CommuneChoice, ...] = (),
        error: str = "",
        not_served: OperatorInfo | None = None,
        csrf_token: str | None = None,
        language: str | None = None,
        path: str | None = None,
    ) -> Response:
        """The step's page; ``request`` None for a page kept for every browser (its
        ``language`` and ``path``, for the language link, then given)."""
        context: dict[str, Any] = {} if csrf_token is None else {"csrf_token": csrf_token}
        if path is not None:
            context["path"] = path
        if language is None:
            assert request is not None, "a kept page is rendered in a given language"
            language = self.site.language(request)
        return self.site.renderer.render(
            request,
            TEMPLATE,
            language=language,
            query=query,
            query_max=COMMUNE_QUERY_MAX,
            choices=choices,
            error=error,
            operator=not_served,
            refusal=not_served_message(not_served, language) if not_served else "",
            # After an operator not served here, its explanation alone, then a new search.
            listed=not_served is None and not error,
            **context,
        )

    async def choose(self, request: Request) -> Response:
        form = await self.site.form(request)
        chosen = form.field("commune")
        if not chosen.isascii() or not chosen.isdigit() or len(chosen) > 9:
            return self._page(
                request, "", error=text("unknown_commune", self.site.language(request))
            )
        try:
            result = await self.site.services_for(request).drafts.choose_commune(
                int(chosen), self.site.cookies.get(request, DRAFT_COOKIE)
            )
        except UnknownCommune as refused:
            return self._page(request, "", error=describe(refused, self.site.language(request)))
        if result.token is None:
            return self._page(request, "", not_served=result.operator)
        response = self.site.renderer.render(
            request, "register_operator.html", operator=result.operator
        )
        self.site.cookies.set(response, DRAFT_COOKIE, result.token, path=DRAFT_PATH)
        return response
