"""A page rendered once per language (``Renderer.render_kept``) is the page ``render`` gives:
the same text, the values escaped as the template escapes them, this browser's CSRF token."""

from __future__ import annotations

from starlette.requests import Request

from web.rendering import Renderer
from web.security import BROWSER_COOKIE, CookiePolicy, CsrfGuard


def request_for(path: str, cookies: dict[str, str], query: str = "") -> Request:
    header = "; ".join(f"{name}={value}" for name, value in cookies.items())
    return Request(
        {
            "type": "http",
            "method": "GET",
            "path": path,
            "query_string": query.encode(),
            "headers": [(b"cookie", header.encode())] if header else [],
            "scheme": "http",
            "server": ("testserver", 80),
        }
    )


def renderer() -> Renderer:
    return Renderer(CsrfGuard("k" * 40), CookiePolicy("http://testserver"))


def test_a_kept_page_is_the_rendered_page_with_its_values_escaped() -> None:
    pages = renderer()
    browser = CsrfGuard.new_browser_id()
    hostile = "j<script>'&\"@x.fr"
    for language in ("fr", "en"):
        cookies = {BROWSER_COOKIE: browser, "ec_lang": language}
        fresh = pages.render(request_for("/code", cookies), "activate.html", email_masked=hostile)
        for _ in range(2):  # rendered once, then written into
            kept = pages.render_kept(
                request_for("/code", cookies), "activate.html", email_masked=hostile
            )
            assert kept.body == fresh.body
            assert "<script>" not in bytes(kept.body).decode()
            assert pages.csrf.token_for(browser) in bytes(kept.body).decode()
    other = pages.render_kept(
        request_for("/code", {BROWSER_COOKIE: browser}), "activate.html", email_masked="a@b.fr"
    )
    assert "a@b.fr" in bytes(other.body).decode()
    assert hostile not in bytes(other.body).decode()


def test_a_new_browser_gets_its_cookie_and_a_token_of_its_own() -> None:
    pages = renderer()
    first = pages.render_kept(request_for("/code", {}), "activate.html", email_masked="a@b.fr")
    second = pages.render_kept(request_for("/code", {}), "activate.html", email_masked="a@b.fr")
    cookies = [response.headers["set-cookie"] for response in (first, second)]
    assert all(cookie.startswith(BROWSER_COOKIE + "=") for cookie in cookies)
    browsers = [cookie.split(";")[0].split("=", 1)[1] for cookie in cookies]
    assert browsers[0] != browsers[1]
    for response, browser in zip((first, second), browsers, strict=True):
        assert pages.csrf.token_for(browser) in bytes(response.body).decode()


def test_a_notice_or_a_language_in_the_address_is_rendered_afresh() -> None:
    pages = renderer()
    browser = CsrfGuard.new_browser_id()
    noticed = pages.render_kept(
        request_for("/code", {BROWSER_COOKIE: browser, "ec_notice": "code_invalid"}),
        "activate.html",
        email_masked="a@b.fr",
    )
    assert "ec_notice=" in noticed.headers["set-cookie"]  # shown once, then cleared
    chosen = pages.render_kept(
        request_for("/code", {BROWSER_COOKIE: browser}, "lang=en"),
        "activate.html",
        email_masked="a@b.fr",
    )
    assert 'lang="en"' in bytes(chosen.body).decode()
    assert "ec_lang=en" in chosen.headers["set-cookie"]
