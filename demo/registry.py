"""Demo startups for `load_demo` (data in `demo.registry_data`), and the accounts of the companies that take
part. Idempotent: keyed by corporate number, and a record already as described is not touched, so re-running
changes nothing (not even `updated_at`)."""

import importlib

from django.apps import apps

from accounts.models import User
from demo import people
from demo.registry_data import SOURCES, STARTUPS, DemoStartup
from seeds import services
from seeds.models import Startup, TechField
from seeds.validators import corporate_number_check_digit

_BASE = 710_000_000_000
FIRST_COMPANY = STARTUPS[0].slug  # its member is the demo's one startup user (demo.people.STARTUP_MEMBER)


def corporate_number(number: str | int) -> str:
    """The demo company's corporate number: as given, or the project's own range plus the check digit."""
    if isinstance(number, str):
        return number
    base = f"{_BASE + number:012d}"
    return f"{corporate_number_check_digit(base)}{base}"


def load() -> int:
    """Create or refresh the demo startups, their designations, products and curator notes; returns how many
    were created or changed (and so are scored again)."""
    curator = User.objects.get(email=people.CURATOR)
    # The taxonomy comes with the migrations; a database flushed since (`manage.py flush`, a test) gets it again.
    importlib.import_module("seeds.migrations.0002_tech_fields").load_tech_fields(apps, None)
    tech_fields = {tech_field.code: tech_field for tech_field in TechField.objects.all()}
    changed = 0
    for demo in STARTUPS:
        startup, written = _startup_put(demo, [tech_fields[code] for code in demo.tech_fields], actor=curator)
        changed += written
        for program, cohort, *region in demo.designations:
            source = SOURCES[program].format(cohort=cohort, region=region[0] if region else "")
            services.designation_add(startup=startup, program=program, cohort=cohort, source_note=source, actor=curator)
        held = set(startup.products.values_list("name", flat=True))
        for name, description in demo.products:
            if name not in held:
                services.product_add(startup=startup, name=name, description=description, actor=curator)
        if demo.note and not startup.notes.filter(body=demo.note).exists():
            services.startup_note_add(startup=startup, body=demo.note, actor=curator)
    return changed


def member_email(slug: str) -> str:
    return people.STARTUP_MEMBER if slug == FIRST_COMPANY else f"contact@{slug}.example.jp"


def load_members(*, slugs: set[str], pending: str) -> list[str]:
    """Give each company in `slugs` a member who manages its profile (a claim a curator approved), and the
    company `pending` a member whose claim waits for the curators; returns their e-mail addresses."""
    curator = User.objects.get(email=people.CURATOR)
    emails = []
    for demo in STARTUPS:
        if demo.slug not in slugs | {pending}:
            continue
        startup = Startup.objects.get(corporate_number=corporate_number(demo.number))
        member = people.company_member_put(startup=startup, email=member_email(demo.slug), full_name=demo.contact_name)
        emails.append(member.email)
        if startup.organisation_id is not None or startup.claims.filter(organisation=member.organisation).exists():
            continue
        claim = services.startup_claim_request(corporate_number=startup.corporate_number, actor=member)
        if demo.slug != pending:
            services.startup_claim_decide(claim=claim, approve=True, actor=curator)
    return emails


def company(slug: str) -> Startup:
    demo = next(demo for demo in STARTUPS if demo.slug == slug)
    return Startup.objects.get(corporate_number=corporate_number(demo.number))


def _startup_put(demo: DemoStartup, tech_fields: list[TechField], *, actor) -> tuple[Startup, bool]:
    data = _data(demo)
    startup = Startup.objects.filter(corporate_number=corporate_number(demo.number)).first()
    if startup is None:
        data = {"corporate_number": corporate_number(demo.number), **data}
        return services.startup_create(data=data, tech_fields=tech_fields, actor=actor), True
    same_fields = all(getattr(startup, name) == value for name, value in data.items())
    if same_fields and set(startup.tech_fields.all()) == set(tech_fields):
        return startup, False
    startup = services.startup_update(startup=startup, data=data, tech_fields=tech_fields, actor=actor, as_curator=True)
    return startup, True


def _data(demo: DemoStartup) -> dict:
    number = corporate_number(demo.number)
    return {
        "name": demo.name,
        "name_en": demo.name_en,
        "description": demo.description,
        "technologies": list(demo.technologies),
        "trl": demo.trl,
        "stage": demo.stage,
        "prefecture": demo.prefecture,
        "founded_year": demo.founded_year,
        "employees": demo.employees,
        "website": f"https://{demo.slug}.example.jp",
        "contact_name": demo.contact_name,
        "contact_email": f"contact@{demo.slug}.example.jp",
        "contact_phone": f"03-0000-{number[-4:]}",
        "defense_record": demo.defense_record,
        **_eligibility_facts(demo),
    }


def _eligibility_facts(demo: DemoStartup) -> dict:
    """What support programmes ask, as a curator would record it from a company's stage and size: SMEs by
    headcount (at most 300); VC money from the early stage on (or a VC's referral); business-company money and
    a partnership memorandum from the middle stage on. Left unknown where the stage says nothing, so that the
    demo shows the portal asking the startup to fill them in."""
    later = demo.stage in ("middle", "later")
    vc = demo.stage != "seed" or any(program == "vc_referral" for program, *_rest in demo.designations)
    return {
        "is_sme": demo.employees <= 300,
        "has_vc_investment": True if vc else None,
        "has_business_investment": True if later else None,
        "has_partnership_memorandum": True if demo.stage == "later" else None,
    }
