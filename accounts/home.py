"""What the home page tells each kind of user: one section per role held, or a welcome for visitors."""

from dataclasses import dataclass, field

import rules
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from accounts.enums import RoleCode


@dataclass(frozen=True)
class HomeAction:
    label: Promise
    url_name: str
    permission: str | None = None


@dataclass(frozen=True)
class HomeSection:
    title: Promise
    text: Promise
    actions: list[HomeAction] = field(default_factory=list)
    # A template the home page includes inside the section, for what an app computes per user (e.g. the
    # support programmes a startup qualifies for); it renders nothing for users it does not concern.
    panel: str = ""


VISITOR = HomeSection(
    _("Defense needs meet dual-use startups"),
    _(
        "MOD and SDF units post the capabilities they need; METI curates startups with dual-use technology; "
        "the portal matches them, runs the joint promotion meetings and connects each company to procurement "
        "or a support programme. Startups can register with their corporate number."
    ),
    [HomeAction(_("Register your startup"), "accounts:register"), HomeAction(_("Sign in"), "accounts:login")],
)

# Apps append their actions here as their features land; a section lists only what its reader may open.
ROLE_SECTIONS: dict[str, HomeSection] = {
    RoleCode.CURATOR: HomeSection(
        _("Curator (METI)"),
        _(
            "You curate the registry of dual-use startups: import lists from J-Startup, JVA, FASTAR and other "
            "programmes, merge duplicates by corporate number, annotate companies and follow their matches."
        ),
        [
            HomeAction(_("Startup registry"), "seeds:startup_list", "seeds.browse_registry"),
            HomeAction(_("Import a list"), "seeds:import_upload", "seeds.manage_registry"),
            HomeAction(_("Claims to decide"), "seeds:claim_list", "seeds.manage_registry"),
            HomeAction(_("Merge duplicates"), "seeds:merge", "seeds.manage_registry"),
            HomeAction(_("Matches overview"), "matchmaking:overview", "matchmaking.view_overview"),
        ],
    ),
    RoleCode.NEED_AUTHOR: HomeSection(
        _("Need author (MOD/SDF unit)"),
        _(
            "You post your unit's capability needs, review the startups that match them with the reasons, "
            "shortlist companies and evaluate the proposals sent to your needs."
        ),
        [
            HomeAction(_("Post a need"), "needs:need_create", "needs.create_need"),
            HomeAction(_("Your unit's needs"), "needs:need_list"),
            HomeAction(
                _("See the matching startups from each need's page"), "needs:need_list", "matchmaking.view_scores"
            ),
            HomeAction(_("Published results"), "needs:results"),
            HomeAction(_("Browse startups"), "seeds:startup_list", "seeds.browse_registry"),
            HomeAction(_("Joint promotion meetings your unit attends"), "meetings:list", "matchmaking.view_meetings"),
        ],
    ),
    RoleCode.NEED_REVIEWER: HomeSection(
        _("Need reviewer (MOD)"),
        _(
            "You approve, return or publish the needs units submit, close them, and take proposal evaluations "
            "to a decision."
        ),
        [
            HomeAction(_("Needs to review"), "needs:review_queue", "needs.review_needs"),
            HomeAction(_("Import a need list"), "needs:need_import", "needs.import_needs"),
            HomeAction(_("Published results"), "needs:results"),
            HomeAction(_("Browse startups"), "seeds:startup_list", "seeds.browse_registry"),
        ],
    ),
    RoleCode.STARTUP_MEMBER: HomeSection(
        _("Startup member"),
        _(
            "You keep your company's profile up to date, browse the needs open to you and those recommended for "
            "your technology, submit and track proposals, and answer meeting invitations."
        ),
        [
            HomeAction(_("My company"), "seeds:my_company", "seeds.claim_startup"),
            HomeAction(_("Recommended needs"), "matchmaking:my_recommendations", "seeds.claim_startup"),
            HomeAction(_("Browse needs"), "needs:need_list"),
            HomeAction(_("My proposals"), "needs:my_proposals", "seeds.claim_startup"),
            HomeAction(_("Support programmes"), "programs:program_list"),
            HomeAction(_("Meeting invitations"), "meetings:my_invitations", "seeds.claim_startup"),
        ],
        panel="programs/includes/home_panel.html",
    ),
    RoleCode.PORTAL_ADMIN: HomeSection(
        _("Portal administrator"),
        _("You manage organisations and users, run the joint promotion meetings and follow the funnel."),
        [
            HomeAction(_("Organisations"), "accounts:organisation_list", "accounts.view_directory"),
            HomeAction(_("Users"), "accounts:user_list", "accounts.view_directory"),
            HomeAction(_("Matches overview"), "matchmaking:overview", "matchmaking.view_overview"),
            HomeAction(_("Joint promotion meetings"), "meetings:list", "matchmaking.manage_meetings"),
            HomeAction(_("New meeting"), "meetings:create", "matchmaking.manage_meetings"),
        ],
    ),
}


def home_sections(user) -> list[dict]:
    if not user.is_authenticated:
        sections = [VISITOR]
    else:
        sections = [ROLE_SECTIONS[code] for code in RoleCode if code in user.role_codes]
    return [
        {
            "title": section.title,
            "text": section.text,
            "panel": section.panel,
            "actions": [
                {"label": action.label, "url": reverse(action.url_name)}
                for action in section.actions
                if action.permission is None or rules.has_perm(action.permission, user)
            ],
        }
        for section in sections
    ]
