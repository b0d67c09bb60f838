"""Which language a page is written in (SPEC §11): the link's choice, then the cookie that
remembers it, then the browser's ``Accept-Language`` on a first visit."""

from __future__ import annotations

from starlette.requests import HTTPConnection
from starlette.responses import Response

from kiosk.translations import LANGUAGES, negotiate
from web.security import HOST_PREFIX, CookiePolicy

LANGUAGE_COOKIE = "ec_lang"
"""``fr`` or ``en``: the language the customer chose with the link of every page."""
LANGUAGE_COOKIE_SECONDS = 365 * 24 * 3600
LANGUAGE_PARAMETER = "lang"
"""``?lang=en``: the language link of every page, and the links of the account's e-mails."""


def chosen_language(request: HTTPConnection) -> str | None:
    """The language the address asks for (``?lang=``), if it is one we speak."""
    asked = request.query_params.get(LANGUAGE_PARAMETER)
    return asked if asked in LANGUAGES else None


_LANGUAGE_IN_SCOPE = "kiosk.language"
"""Where :func:`page_language` keeps a request's language in its ASGI scope."""


def page_language(request: HTTPConnection | None) -> str:
    """The language to write this response in (found once per request: a page asks for it
    several times)."""
    if request is None:
        return LANGUAGES[0]
    language: str | None = request.scope.get(_LANGUAGE_IN_SCOPE)
    if language is None:
        language = request.scope[_LANGUAGE_IN_SCOPE] = _page_language(request)
    return language


def _page_language(request: HTTPConnection) -> str:
    chosen = chosen_language(request)
    if chosen is not None:
        return chosen
    remembered = _remembered(request)
    if remembered in LANGUAGES:
        return remembered
    return negotiate(request.headers.get("accept-language", ""))


def remember_language(request: HTTPConnection, response: Response, cookies: CookiePolicy) -> None:
    """Keep the language the address asked for in the cookie (a link, an e-mail's link)."""
    chosen = chosen_language(request)
    if chosen is not None and chosen != _remembered(request):
        cookies.set(response, LANGUAGE_COOKIE, chosen, max_age=LANGUAGE_COOKIE_SECONDS)


def _remembered(request: HTTPConnection) -> str | None:
    """The cookie's language, under its https name (``__Host-``) or its plain one."""
    return request.cookies.get(HOST_PREFIX + LANGUAGE_COOKIE) or request.cookies.get(
        LANGUAGE_COOKIE
    )
