"""Every URL pattern of the URLconf, and what fills each of its path parameters.

The list is walked from `get_resolver()` (the API router and every included namespace), so a new view is
crawled without anyone adding it here. A path parameter is filled from the Django admin's registry (admin
URLs), from the viewset's model (API router URLs), or from PARAMETERS below; a pattern with a parameter none
of these knows fails `test_every_pattern_parameter_has_values`.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import quote

from django.apps import apps
from django.contrib import admin
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RegexPattern, RoutePattern
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import Organisation, User
from matchmaking.models import Appointment, Invitation, JointMeeting, MeetingRequest, MeetingUnit
from needs.models import (
    ConsultationRequest,
    Need,
    NeedAttachment,
    NeedImport,
    NeedQuestion,
    Proposal,
    ProposalAttachment,
)
from programs.models import SupportProgram
from seeds.models import Product, Startup, StartupClaim, StartupImport


@dataclass(frozen=True)
class Kind:
    """What a path parameter names: `model`'s objects by `field`, or fixed `values` (or a function of none
    that returns them)."""

    model: type | None = None
    field: str = "pk"
    values: tuple[str, ...] | Callable[[], tuple[str, ...]] = ()


def by(model, field="pk") -> Kind:
    return Kind(model, field)


def fixed(*values: str) -> Kind:
    return Kind(values=values)


def _organisation_type() -> tuple[str, ...]:
    from django.contrib.contenttypes.models import ContentType

    return (str(ContentType.objects.get_for_model(Organisation).pk),)


def _requests_by_unit() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Each meeting request's attending unit (MeetingUnit) and the request, in request order."""
    requests = MeetingRequest.objects.order_by("pk")
    units = {(unit.meeting_id, unit.unit_id): unit.pk for unit in MeetingUnit.objects.all()}
    pairs = [(str(units[r.meeting_id, r.unit_id]), str(r.pk)) for r in requests]
    return tuple(unit for unit, _ in pairs), tuple(request for _, request in pairs)


MEETING = {"pk": by(JointMeeting)}
NEED = {"pk": by(Need)}
PROPOSAL = {"pk": by(Proposal)}
STARTUP = {"pk": by(Startup)}
CONSULTATION = {"pk": by(ConsultationRequest)}
INVITATION = {"pk": by(Invitation, "meeting_id"), "invitation_pk": by(Invitation)}
APPOINTMENT = {"pk": by(Appointment, "meeting_id"), "appointment_pk": by(Appointment)}
MEETING_UNIT = {"pk": by(MeetingUnit, "meeting_id"), "unit_pk": by(MeetingUnit)}

# Path parameters of the portal's own pages (and API views outside the router), by URL name.
PARAMETERS: dict[str, dict[str, Kind]] = {
    "accounts:verify_email": {"token": fixed("crawl-token")},
    "accounts:password_reset_confirm": {"uidb64": fixed("MQ"), "token": fixed("set-password")},
    "accounts:organisation_detail": {"pk": by(Organisation)},
    "seeds:startup_detail": STARTUP,
    "seeds:startup_edit": STARTUP,
    "seeds:note_add": STARTUP,
    "seeds:designation_add": STARTUP,
    "seeds:product_add": STARTUP,
    "seeds:product_remove": {"pk": by(Product, "startup_id"), "product_pk": by(Product)},
    "seeds:import_preview": {"pk": by(StartupImport)},
    "seeds:import_confirm": {"pk": by(StartupImport)},
    "seeds:claim_decide": {"pk": by(StartupClaim)},
    "meetings:detail": MEETING,
    "meetings:edit": MEETING,
    "meetings:move": {**MEETING, "to": fixed("planning", "inviting", "scheduled", "published", "held")},
    "meetings:invite": MEETING,
    "meetings:invitations": MEETING,
    "meetings:respond": INVITATION,
    "meetings:request_unit": INVITATION,
    "meetings:invitee_availability": INVITATION,
    "meetings:unit_availability": MEETING_UNIT,
    "meetings:unit_requests": MEETING_UNIT,
    "meetings:unit_request_change": {
        "pk": by(MeetingRequest, "meeting_id"),
        "unit_pk": Kind(values=lambda: _requests_by_unit()[0]),
        "request_pk": Kind(values=lambda: _requests_by_unit()[1]),
    },
    "meetings:briefing": MEETING_UNIT,
    "meetings:requests": MEETING,
    "meetings:requests_propose": MEETING,
    "meetings:timetable": MEETING,
    "meetings:schedule": MEETING,
    "meetings:schedule_status": MEETING,
    "meetings:appointment_add": MEETING,
    "meetings:appointment": APPOINTMENT,
    "meetings:appointment_drop": APPOINTMENT,
    "meetings:appointment_remove": APPOINTMENT,
    "meetings:publish": MEETING,
    "meetings:export": {**MEETING, "fmt": fixed("xlsx", "csv", "pdf", "ics")},
    "meetings:my_agenda": {**MEETING, "fmt": fixed("xlsx", "csv", "pdf", "ics")},
    "needs:need_detail": NEED,
    "needs:need_edit": NEED,
    "needs:need_transition": NEED,
    "needs:question_ask": NEED,
    "needs:question_answer": {"pk": by(NeedQuestion)},
    "needs:need_import_preview": {"pk": by(NeedImport)},
    "needs:need_import_confirm": {"pk": by(NeedImport)},
    "needs:need_attachment": {"pk": by(NeedAttachment)},
    "needs:proposal_create": NEED,
    "needs:need_proposals": NEED,
    "needs:proposal_detail": PROPOSAL,
    "needs:proposal_edit": PROPOSAL,
    "needs:proposal_transition": PROPOSAL,
    "needs:proposal_attachment": {"pk": by(ProposalAttachment)},
    "needs:proposal_attachment_remove": {"pk": by(ProposalAttachment)},
    "needs:need_evaluators": NEED,
    "needs:need_ranking": NEED,
    "needs:evaluation_form": PROPOSAL,
    "needs:evaluation_conflict": PROPOSAL,
    "needs:consultation_detail": CONSULTATION,
    "needs:consultation_answer": CONSULTATION,
    "needs:consultation_close": CONSULTATION,
    "needs:consultation_convert": CONSULTATION,
    "matchmaking:need_matches": NEED,
    "matchmaking:shortlist_add": NEED,
    "matchmaking:shortlist_remove": {"pk": by(Need), "startup_pk": by(Startup)},
    "matchmaking:need_score_now": NEED,
    "matchmaking:startup_matches": STARTUP,
    "programs:funnel_csv": {"chart": fixed("stages", "pathways", "fields", "months", "units", "meetings")},
    "programs:startup_programs": STARTUP,
    "programs:program_detail": {"code": by(SupportProgram, "code")},
    "programs:program_edit": {"code": by(SupportProgram, "code")},
    "admin:view_on_site": {"content_type_id": Kind(values=_organisation_type), "object_id": by(Organisation)},
    "admin:otp_totp_totpdevice_config": {"pk": by(TOTPDevice)},
    "admin:otp_totp_totpdevice_qrcode": {"pk": by(TOTPDevice)},
    "admin:auth_user_password_change": {"id": by(User)},
    "admin:app_list": {"app_label": fixed("accounts", "auth")},
    "admin:": {"url": fixed("accounts/nothing/")},  # the admin's catch-all
    "organisation-detail": {"pk": by(Organisation)},
    "startup-detail": STARTUP,
    "api-need-matches": NEED,
    "need-remove-attachment": {"pk": by(NeedAttachment, "need_id"), "attachment_id": by(NeedAttachment)},
    "api-startup-matches": STARTUP,
    "api-startup-programs": STARTUP,
    "api-root": {"format": fixed(".json")},
}
FORMAT = fixed("json")
GROUP = re.compile(r"\(\?P<(\w+)>")


@dataclass(frozen=True)
class Pattern:
    """One URL pattern, as the chain of patterns from the root that leads to its view."""

    name: str  # "namespace:name"; the namespace alone ("admin:") for an unnamed pattern
    chain: tuple
    callback: object

    @property
    def route(self) -> str:
        return "".join(str(part) for part in self.chain)

    @property
    def parameters(self) -> list[str]:
        names = []
        for part in self.chain:
            if isinstance(part, RoutePattern):
                names += list(part.converters)
            elif isinstance(part, RegexPattern):
                names += GROUP.findall(part._regex)
        return names

    def url(self, values: dict[str, str]) -> str:
        """The path with each parameter replaced by its value, percent-encoded (hostile values included)."""
        return "/" + "".join(_fill(part, values) for part in self.chain)

    def kinds(self) -> dict[str, Kind | None]:
        known = {**_admin_kinds(self), **_router_kinds(self), **PARAMETERS.get(self.name, {})}
        return {name: known.get(name) for name in self.parameters}


def _fill(part, values: dict[str, str]) -> str:
    if isinstance(part, RoutePattern):
        return re.sub(r"<(?:\w+:)?(\w+)>", lambda m: quote(values[m[1]], safe=""), str(part))
    regex, out, at = part._regex, "", 0
    for match in GROUP.finditer(regex):
        out += regex[at : match.start()]
        depth, end = 1, match.end()
        while depth:  # to the group's closing parenthesis
            depth += {"(": 1, ")": -1}.get(regex[end], 0) if regex[end - 1] != "\\" else 0
            end += 1
        out, at = out + quote(values[match[1]], safe=""), end
    out += regex[at:]
    return out.removeprefix("^").removesuffix("$").replace("/?", "").replace("\\.", ".")


def _admin_kinds(pattern: Pattern) -> dict[str, Kind]:
    """Admin URLs `admin/<app>/<model>/…` name an object of that registered model."""
    if pattern.name.split(":")[0] != "admin" or len(pattern.chain) < 3:
        return {}
    app_label, _, model_name = str(pattern.chain[1]).strip("/").partition("/")
    model = apps.get_model(app_label, model_name) if model_name else None
    if model not in admin.site._registry:
        return {}
    return {name: by(model) for name in pattern.parameters}


def _router_kinds(pattern: Pattern) -> dict[str, Kind]:
    """API router URLs name an object of the viewset's model by its lookup field."""
    viewset = getattr(pattern.callback, "cls", None)
    if getattr(pattern.callback, "actions", None) is None or viewset is None:
        return {}
    kinds = {"format": FORMAT}
    queryset = getattr(viewset, "queryset", None)
    if queryset is not None:  # otherwise PARAMETERS names the lookup's kind
        kinds[viewset.lookup_url_kwarg or viewset.lookup_field] = by(queryset.model, viewset.lookup_field)
    return kinds


def all_patterns(resolver=None, chain=(), namespace="") -> list[Pattern]:
    resolver = resolver or get_resolver()
    found = []
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            found += all_patterns(entry, (*chain, entry.pattern), inner)
        elif isinstance(entry, URLPattern):
            found.append(Pattern(f"{namespace}{entry.name or ''}", (*chain, entry.pattern), entry.callback))
    return found
