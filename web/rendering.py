"""Templates (Jinja2, autoescaped) and the parts every page shares: the CSRF token, the
one-time notice, the password checklist."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import jinja2
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from kiosk.catalogue import text
from kiosk.passwords import CHECKLIST_RULES, MAX_LENGTH, password_checklist
from kiosk.rules import EMAIL_MAX
from web.security import BROWSER_COOKIE, NOTICE_COOKIE, CookiePolicy, CsrfGuard

NOTICES: Mapping[str, tuple[str, ...]] = {
    "welcome": ("welcome_title", "welcome_body"),
    "password_updated": ("password_updated",),
    "signed_out": ("signed_out",),
    "session_expired": ("session_expired",),
    "code_invalid": ("code_invalid",),
}
"""The messages a redirect may carry (by key: the cookie never holds text)."""


@dataclass(frozen=True)
class ChecklistLine:
    rule: str
    label: str
    satisfied: bool


def checklist(password: str = "", confirmation: str = "") -> list[ChecklistLine]:
    """The four lines of SPEC §2 as the kiosk's rules say of the two fields."""
    results = {
        result.rule: result.satisfied for result in password_checklist(password, confirmation)
    }
    return [ChecklistLine(rule, text("rule_" + rule), results[rule]) for rule in CHECKLIST_RULES]


class Renderer:
    """Renders a template into a response, with the browser's CSRF token and any notice."""

    def __init__(self, csrf: CsrfGuard, cookies: CookiePolicy) -> None:
        self.csrf = csrf
        self.cookies = cookies
        self.env = jinja2.Environment(
            loader=jinja2.PackageLoader("web", "templates"),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self.env.globals.update(t=text, email_max=EMAIL_MAX, password_max=MAX_LENGTH)

    def render(
        self,
        request: Request | None,
        template: str,
        *,
        status: int = 200,
        **context: Any,
    ) -> Response:
        """``template`` filled with ``context``; sets the browser cookie on a first visit."""
        new_browser: str | None = None
        notice: tuple[str, ...] = ()
        if request is not None:
            browser = self.csrf.browser_id(request)
            if browser is None:
                browser = new_browser = self.csrf.new_browser_id()
            context.setdefault("csrf_token", self.csrf.token_for(browser))
            notice = NOTICES.get(self.cookies.get(request, NOTICE_COOKIE), ())
        context.setdefault("csrf_token", "")
        context.setdefault("notice", [text(key) for key in notice])
        body = self.env.get_template(template).render(**context)
        response = HTMLResponse(body, status_code=status)
        if new_browser is not None:
            self.cookies.set(response, BROWSER_COOKIE, new_browser)
        if notice:
            self.cookies.clear(response, NOTICE_COOKIE)
        return response
