"""``/inscription``: the kiosk's four steps on the web (SPEC §10), over the same services.

The draft lives in the database (:class:`~kiosk.services.registration_drafts.RegistrationDrafts`);
the browser holds only its token, in a cookie sent to ``/inscription`` alone. Every rule,
message and limit comes from the services and the catalogue: these pages only translate.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from kiosk.domain.catalogue import hours_text, text
from kiosk.domain.errors import (
    DomainError,
    DraftMissing,
    DraftRefused,
    InvalidInput,
    OperatorNotServed,
    PasswordRejected,
)
from kiosk.domain.refusals import describe, operator_contact
from kiosk.domain.results import DraftView, OperatorInfo
from kiosk.domain.rules import CONTRACT_TYPED_MAX, METER_TYPED_MAX, NAME_MAX
from kiosk.domain.states import DraftStep
from web.rendering import checklist
from web.security import DRAFT_COOKIE, DRAFT_PATH, NOTICE_COOKIE
from web.site import Form, Site

IDENTITY_FIELDS = ("last_name", "first_name", "email")
"""The identity's fields that a refused page gives back as typed (never the password)."""
CONTRACT_FIELDS = ("contract", "meter")


def not_served_message(operator: OperatorInfo, language: str) -> str:
    return text(
        "web_operator_not_served",
        language,
        operator=operator.name,
        contact=operator_contact(operator, language),
    )


class RegistrationPages:
    """Identity, contract, then the page that says the e-mail is on its way (the commune:
    :mod:`web.commune_step`)."""

    def __init__(self, site: Site) -> None:
        self.site = site

    def routes(self) -> list[Route]:
        return [
            Route(DRAFT_PATH + "/identite", self.identity_form, methods=["GET"]),
            Route(DRAFT_PATH + "/identite", self.give_identity, methods=["POST"]),
            Route(DRAFT_PATH + "/contrat", self.contract_form, methods=["GET"]),
            Route(DRAFT_PATH + "/contrat", self.submit, methods=["POST"]),
            Route(DRAFT_PATH + "/envoye", self.sent, methods=["GET"]),
        ]

    def _restart(self) -> Response:
        """Back to step 2, the draft forgotten: steps out of order, or its time is up."""
        response = self.site.redirect(DRAFT_PATH, notice="draft_restart")
        self.site.cookies.clear(response, DRAFT_COOKIE, path=DRAFT_PATH)
        return response

    # -- step 3: identity, then contract ----------------------------------------------------

    async def _draft(self, request: Request, reached: DraftStep) -> DraftView | None:
        token = self.site.cookies.get(request, DRAFT_COOKIE)
        try:
            return await self.site.services_for(request).drafts.view(token, reached=reached)
        except DraftMissing:
            return None

    def _identity_page(
        self,
        request: Request,
        draft: DraftView,
        *,
        values: dict[str, str],
        errors: dict[str, str] | None = None,
        lines_from: Form | None = None,
    ) -> Response:
        lines = (
            checklist(
                lines_from.field("password"),
                lines_from.field("password_confirm"),
                self.site.language(request),
            )
            if lines_from
            else checklist(language=self.site.language(request))
        )
        return self.site.renderer.render(
            request,
            "register_identity.html",
            draft=draft,
            values=values,
            errors=errors or {},
            lines=lines,
            name_max=NAME_MAX,
        )

    async def identity_form(self, request: Request) -> Response:
        draft = await self._draft(request, DraftStep.COMMUNE)
        if draft is None:
            return self._restart()
        values = {"last_name": draft.last_name, "first_name": draft.first_name}
        return self._identity_page(request, draft, values={**values, "email": draft.email})

    async def give_identity(self, request: Request) -> Response:
        form = await self.site.form(request)
        token = self.site.cookies.get(request, DRAFT_COOKIE)
        drafts = self.site.services_for(request).drafts
        try:
            new_token = await drafts.give_identity(
                token,
                form.field("last_name"),
                form.field("first_name"),
                form.field("email"),
                form.field("password"),
                form.field("password_confirm"),
            )
        except DraftMissing:
            return self._restart()
        except DraftRefused as refused:
            draft = await self._draft(request, DraftStep.COMMUNE)
            if draft is None:
                return self._restart()
            errors = {
                field: describe(problem, self.site.language(request))
                for field, problem in refused.problems.items()
            }
            if "password" not in errors and "password_confirm" not in errors:
                # The password was fine, but it is never written back into a page.
                errors["password"] = text("web_password_again", self.site.language(request))
            values = {name: form.field(name) for name in IDENTITY_FIELDS}
            return self._identity_page(
                request, draft, values=values, errors=errors, lines_from=form
            )
        response = self.site.redirect(DRAFT_PATH + "/contrat")
        self.site.cookies.set(response, DRAFT_COOKIE, new_token, path=DRAFT_PATH)
        return response

    def _contract_page(
        self,
        request: Request,
        draft: DraftView,
        *,
        values: dict[str, str] | None = None,
        errors: dict[str, str] | None = None,
        error: str = "",
        go_back: bool = False,
    ) -> Response:
        return self.site.renderer.render(
            request,
            "register_contract.html",
            draft=draft,
            values=values or {"contract": "", "meter": ""},
            errors=errors or {},
            error=error,
            go_back=go_back,
            contract_max=CONTRACT_TYPED_MAX,
            meter_max=METER_TYPED_MAX,
        )

    async def contract_form(self, request: Request) -> Response:
        draft = await self._draft(request, DraftStep.IDENTITY)
        if draft is None:
            return self._restart()
        return self._contract_page(request, draft)

    async def submit(self, request: Request) -> Response:
        form = await self.site.form(request)
        token = self.site.cookies.get(request, DRAFT_COOKIE)
        values = {name: form.field(name) for name in CONTRACT_FIELDS}
        services = self.site.services_for(request)
        try:
            await services.drafts.submit(
                token, values["contract"], values["meter"], self.site.language(request)
            )
        except DraftMissing:
            return self._restart()
        except DomainError as refused:
            draft = await self._draft(request, DraftStep.IDENTITY)
            if draft is None:
                return self._restart()
            return self._contract_refusal(request, draft, values, refused)
        response = self.site.redirect(DRAFT_PATH + "/envoye", notice="registered")
        self.site.cookies.clear(response, DRAFT_COOKIE, path=DRAFT_PATH)
        return response

    def _contract_refusal(
        self, request: Request, draft: DraftView, values: dict[str, str], refused: DomainError
    ) -> Response:
        """The numbers' problems under their fields; a refused password sends back a step,
        as the kiosk's Contract screen does."""
        if isinstance(refused, DraftRefused):
            problems = refused.problems
        elif isinstance(refused, InvalidInput):
            problems = {refused.field: refused}
        elif isinstance(refused, PasswordRejected):
            problems = {"password": refused}
        else:
            message = (
                not_served_message(draft.operator, self.site.language(request))
                if isinstance(refused, OperatorNotServed)
                else describe(refused, self.site.language(request))
            )
            return self._contract_page(request, draft, values=values, error=message)
        errors = {
            f: describe(p, self.site.language(request))
            for f, p in problems.items()
            if f in CONTRACT_FIELDS
        }
        others = [
            describe(p, self.site.language(request))
            for f, p in problems.items()
            if f not in CONTRACT_FIELDS
        ]
        return self._contract_page(
            request,
            draft,
            values=values,
            errors=errors,
            error=others[0] if others else "",
            go_back=bool(others),
        )

    # -- step 4: the e-mail is on its way ---------------------------------------------------

    async def sent(self, request: Request) -> Response:
        """The notification of SPEC §2 step 4 and the form for the code (once, after a
        registration; otherwise the plain code form)."""
        if self.site.cookies.get(request, NOTICE_COOKIE) != "registered":
            return self.site.redirect("/code")
        hours = hours_text(self.site.settings.activation_ttl_hours, self.site.language(request))
        return self.site.renderer.render(
            request,
            "code.html",
            sent=False,
            error="",
            field_error="",
            explanation=text("code_explanation", self.site.language(request), hours=hours),
        )
