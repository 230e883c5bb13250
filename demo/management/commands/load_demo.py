"""`load_demo`: a living portal for a first look (`make run`), every list of every role filled with fictional data
of our own, written through the domain services. Safe to run again: what is there already is left alone."""

import logging
from contextlib import contextmanager

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.test.utils import override_settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from config.celery import app as celery_app
from demo import consultations, meetings, needs_data, people, pipeline, registry
from matchmaking.models import JointMeeting, MatchRun
from matchmaking.services import matches_recompute_sync
from needs.models import Need, Proposal
from seeds.models import Startup

# One log line per task at INFO (the demo's writes enqueue a hundred): they would bury the sign-ins.
QUIET_LOGGERS = ("celery", "matchmaking")
PENDING_CLAIM = "hinata-solar"  # a company whose member's claim waits on the curators' list


class Command(BaseCommand):
    help = "Load the demo data: organisations, one user per role, startups, needs, proposals, meetings and more."

    def add_arguments(self, parser):
        parser.add_argument("--language", choices=[code for code, _name in settings.LANGUAGES], help="of the output")

    def handle(self, *args, language: str | None = None, **options):
        with _in_process_and_quiet():
            members, sign_ins = _load()
        with translation.override(language or translation.get_language()):
            self._report(sign_ins, members)

    def _report(self, sign_ins: list[people.SignIn], members: list[str]) -> None:
        self.stdout.write(self.style.SUCCESS(_("Demo data loaded.")))
        holds = _(
            "The portal holds %(startups)d startups, %(needs)d needs, %(proposals)d proposals and %(meetings)d "
            "joint promotion meetings."
        )
        counts = {
            "startups": Startup.objects.count(),
            "needs": Need.objects.count(),
            "proposals": Proposal.objects.count(),
            "meetings": JointMeeting.objects.count(),
        }
        self.stdout.write(holds % counts)
        # Last, so that it is what the terminal shows when the server starts.
        for line in _sign_in_block(sign_ins, members):
            self.stdout.write(line)


def _load() -> tuple[list[str], list[people.SignIn]]:
    """Every part in the order its rules need: people, the registry and the companies' members; then the needs
    with what followed them, scores (the meetings' requests follow the match ranking) and the meetings. Two
    transactions, each all or nothing: the registry's scoring tasks run at its commit, before any need exists
    for them to score (the full recompute scores everything once, later)."""
    with transaction.atomic():
        people.load()
        changed = registry.load()
        members = registry.load_members(slugs=needs_data.companies() | meetings.companies(), pending=PENDING_CLAIM)
    with transaction.atomic():
        changed += pipeline.load()
        consultations.load()
        if changed or not MatchRun.objects.exists():
            matches_recompute_sync()
        meetings.load()
        return members, people.sign_ins()


@contextmanager
def _in_process_and_quiet():
    """Tasks run in this process after commit, as without a broker, so that the scores are there when the command
    ends; the e-mails they send to the demo's fictional addresses go nowhere, and their log lines stay out."""
    eager = celery_app.conf.task_always_eager
    levels = {name: logging.getLogger(name).level for name in QUIET_LOGGERS}
    celery_app.conf.task_always_eager = True
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)
    try:
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
            yield
    finally:
        celery_app.conf.task_always_eager = eager
        for name, level in levels.items():
            logging.getLogger(name).setLevel(level)


def _sign_in_block(sign_ins: list[people.SignIn], members: list[str]) -> list[str]:
    """The demo accounts, in the active language."""
    url = settings.SITE_URL + reverse("accounts:login")
    lines = [_("Demo sign-ins at %(url)s (password: %(password)s):") % {"url": url, "password": people.DEMO_PASSWORD}]
    width = max(len(sign_in.email) for sign_in in sign_ins)
    for sign_in in sign_ins:
        lines.append(f"  {sign_in.email:<{width}}  {sign_in.role_label}, {sign_in.organisation}")
        if sign_in.codes:
            lines.append("    " + _("recovery codes, one per sign-in: %(codes)s") % {"codes": " ".join(sign_in.codes)})
    others = [email for email in members if email != people.STARTUP_MEMBER]
    if others:
        lines.append(
            _("Members of %(count)d more demo companies sign in with the same password, e.g. %(email)s.")
            % {"count": len(others), "email": others[0]}
        )
    return lines
