"""Short French error pages (400, 403, 404, 405, 413, 500, 503): never a traceback."""

from __future__ import annotations

import logging

from starlette.exceptions import HTTPException
from starlette.requests import HTTPConnection, Request
from starlette.responses import HTMLResponse, Response
from starlette.types import Scope

from kiosk.domain.catalogue import text
from web.language import page_language
from web.rendering import Renderer

log = logging.getLogger("kiosk.web")

_MESSAGES = {
    400: "web_error_400",
    403: "web_error_403",
    404: "web_error_404",
    405: "web_error_405",
    413: "web_error_413",
    500: "web_error_500",
    503: "web_error_503",
}


class ErrorPages:
    """Exception handlers for Starlette, and the 413 page for the body limit."""

    def __init__(self, renderer: Renderer) -> None:
        self.renderer = renderer

    def page(self, status: int, request: HTTPConnection | None = None) -> Response:
        """The page for ``status``, in the request's language: rendered without the request
        otherwise, so it sets no cookie."""
        language = page_language(request)
        message = text(_MESSAGES.get(status, "web_error_500"), language)
        try:
            return self.renderer.render(
                None,
                "error.html",
                status=status,
                language=language,
                error_status=status,
                message=message,
            )
        except Exception:  # the last resort must not fail: the same words, no layout
            log.exception("error page %d could not be rendered", status)
            return HTMLResponse(
                f'<!doctype html><html lang="{language}"><title>{status}</title>'
                f"<p>{message}</p></html>",
                status_code=status,
            )

    async def http_error(self, request: Request, error: Exception) -> Response:
        if not isinstance(error, HTTPException):
            return self.page(500, request)
        response = self.page(error.status_code, request)
        for name, value in (error.headers or {}).items():
            response.headers[name] = value
        return response

    async def unavailable(self, request: Request, error: Exception) -> Response:
        log.warning("database unavailable during %s %s", request.method, request.url.path)
        response = self.page(503, request)
        response.headers["retry-after"] = "30"
        return response

    async def unexpected(self, request: Request, error: Exception) -> Response:
        # The error itself is logged by the server without local variables (kiosk.logs).
        return self.page(500, request)

    def too_large(self, scope: Scope) -> Response:
        return self.page(413, HTTPConnection(scope))

    def misdirected(self, scope: Scope) -> Response:
        """A request for a host that is not the public address."""
        return self.page(400, HTTPConnection(scope))
