"""Templates (Jinja2, autoescaped) and the parts every page shares: the CSRF token, the
one-time notice, the password checklist."""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import jinja2
import markupsafe
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from kiosk.domain.catalogue import text
from kiosk.domain.passwords import CHECKLIST_RULES, MAX_LENGTH, password_checklist
from kiosk.domain.rules import EMAIL_MAX
from kiosk.translations import LANGUAGES, SOURCE_LANGUAGE, other_language, translations
from web.language import chosen_language, page_language, remember_language
from web.security import BROWSER_COOKIE, NOTICE_COOKIE, CookiePolicy, CsrfGuard

NOTICES: Mapping[str, tuple[str, ...]] = {
    "welcome": ("welcome_title", "welcome_body"),
    "password_updated": ("password_updated",),
    "signed_out": ("signed_out",),
    "session_expired": ("session_expired",),
    "code_invalid": ("code_invalid",),
    "reading_recorded": ("reading_recorded_web",),
    "registered": ("registered",),
    "draft_restart": ("web_draft_restart",),
}
"""The messages a redirect may carry (by key: the cookie never holds text)."""


@dataclass(frozen=True)
class ChecklistLine:
    rule: str
    label: str
    satisfied: bool


def checklist(
    password: str = "", confirmation: str = "", language: str = SOURCE_LANGUAGE
) -> list[ChecklistLine]:
    """The four lines of SPEC §2 as the kiosk's rules say of the two fields."""
    results = {
        result.rule: result.satisfied for result in password_checklist(password, confirmation)
    }
    return [
        ChecklistLine(rule, text("rule_" + rule, language), results[rule])
        for rule in CHECKLIST_RULES
    ]


def _environment(language: str) -> jinja2.Environment:
    """The templates in ``language``: ``t(key)`` reads the catalogue, ``{% trans %}`` (Jinja2's
    i18n extension) the same gettext catalogue."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("web", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        extensions=["jinja2.ext.i18n"],
        # The templates ship with the code: not a stat of each file at every page.
        auto_reload=False,
    )
    env.install_gettext_translations(translations(language), newstyle=True)  # type: ignore[attr-defined]

    def t(key: str, **values: object) -> str:
        return text(key, language, **values)

    env.globals.update(
        t=t,
        language=language,
        other_language=other_language(language),
        email_max=EMAIL_MAX,
        password_max=MAX_LENGTH,
    )
    return env


class Renderer:
    """Renders a template into a response, with the browser's CSRF token and any notice."""

    def __init__(self, csrf: CsrfGuard, cookies: CookiePolicy) -> None:
        self.csrf = csrf
        self.cookies = cookies
        self.envs = {language: _environment(language) for language in LANGUAGES}
        """One environment per language (templates are compiled once for each)."""
        self._kept: dict[tuple[str, str, str, tuple[str, ...]], list[str]] = {}
        """Pages rendered once (:meth:`render_kept`), by template, language, path and the
        names of their values: the page's text cut at its slots, the slots' names between
        (``[text, name, text, name, text]``)."""
        self._slot = "slot-" + secrets.token_hex(16)
        """Stands for a value in a kept page: random, so that no request can bring it."""

    def render(
        self,
        request: Request | None,
        template: str,
        *,
        status: int = 200,
        language: str | None = None,
        **context: Any,
    ) -> Response:
        """``template`` filled with ``context``, in the page's language (``language``, else the
        request's); sets the browser cookie on a first visit, and the language's when the
        address chose it."""
        language = language or page_language(request)
        new_browser: str | None = None
        notice: tuple[str, ...] = ()
        context.setdefault("path", request.url.path if request is not None else "/")
        if request is not None:
            browser = self.csrf.browser_id(request)
            if browser is None:
                browser = new_browser = self.csrf.new_browser_id()
            context.setdefault("csrf_token", self.csrf.token_for(browser))
            notice = NOTICES.get(self.cookies.get(request, NOTICE_COOKIE), ())
        context.setdefault("csrf_token", "")
        context.setdefault("notice", [text(key, language) for key in notice])
        body = self.envs[language].get_template(template).render(**context)
        response = HTMLResponse(body, status_code=status)
        if new_browser is not None:
            self.cookies.set(response, BROWSER_COOKIE, new_browser)
        if request is not None:
            remember_language(request, response, self.cookies)
        if notice:
            self.cookies.clear(response, NOTICE_COOKIE)
        return response

    def render_kept(self, request: Request, template: str, **values: str) -> Response:
        """What :meth:`render` gives for ``template`` with these text ``values``, from a page
        rendered once per language with a slot for each value and for the CSRF token, written
        in here (escaped as the template would). A page with a notice, a language chosen in
        the address, or an empty value (which a template may test) is rendered afresh."""
        if (
            self.cookies.get(request, NOTICE_COOKIE)
            or chosen_language(request) is not None
            or not all(values.values())
        ):
            context: dict[str, Any] = dict(values)
            return self.render(request, template, **context)
        language, path = page_language(request), request.scope["path"]
        key = (template, language, path, tuple(values))
        parts = self._kept.get(key)
        if parts is None:
            slots = {name: f"{self._slot}-{name}-" for name in values}
            page = (
                self.envs[language]
                .get_template(template)
                .render(path=path, csrf_token=f"{self._slot}--", notice=[], **slots)
            )
            # "<slot>--" is the token's slot, "<slot>-name-" a value's: split at "<slot>-",
            # each piece after the first starts with the name and its closing "-".
            parts = [page.split(f"{self._slot}-")[0]]
            for piece in page.split(f"{self._slot}-")[1:]:
                name, _dash, rest = piece.partition("-")
                parts += [name, rest]
            self._kept[key] = parts
        new_browser: str | None = None
        browser = self.csrf.browser_id(request)
        if browser is None:
            browser = new_browser = self.csrf.new_browser_id()
        filled = {name: str(markupsafe.escape(value)) for name, value in values.items()}
        filled[""] = self.csrf.token_for(browser)
        page = "".join(part if index % 2 == 0 else filled[part] for index, part in enumerate(parts))
        response = HTMLResponse(page)
        if new_browser is not None:
            self.cookies.set(response, BROWSER_COOKIE, new_browser)
        return response
