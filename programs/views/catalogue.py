"""The public catalogue, a programme's page, curators' editing, and a startup's programmes."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from accounts.decorators import permission_required
from programs import clock
from programs.eligibility import describe_rule
from programs.forms import CatalogueFilterForm, ProgramForm
from programs.models import SupportProgram
from programs.selectors import catalogue as selectors
from programs.services import program_save
from seeds.models import Startup
from seeds.selectors import startup_managed_by
from seeds.views.base import add_service_errors


def program_list(request):
    form = CatalogueFilterForm(request.GET)
    rows = selectors.catalogue(filters=form.to_filters())
    context = {"form": form, "rows": rows, "can_manage": request.user.has_perm("programs.manage_catalogue")}
    return render(request, "programs/program_list.html", context)


def program_detail(request, code: str):
    try:
        program = selectors.program_detail(code=code)
    except SupportProgram.DoesNotExist as error:
        raise Http404 from error
    if not program.is_active and not request.user.has_perm("programs.manage_catalogue"):
        raise Http404
    today = clock.today()
    context = {
        "program": program,
        "window": selectors.window_state(program, today=today),
        "can_manage": request.user.has_perm("programs.manage_catalogue"),
        "own": _own_eligibility(request.user, program),
        "rule_texts": [describe_rule(rule) for rule in program.rules],
    }
    return render(request, "programs/program_detail.html", context)


def _own_eligibility(user, program):
    """For a startup member whose company is claimed: how its profile meets this programme's rules (for a
    programme split into tiers, each tier's)."""
    if not user.has_perm("seeds.claim_startup"):
        return None
    startup = startup_managed_by(organisation_id=user.organisation_id)
    if startup is None:
        return None
    parts = list(program.tiers.all()) or [program]
    results = [selectors.startup_program_eligibility(startup=startup, program=part) for part in parts]
    return {"results": results, **selectors.eligibility_context(user, startup)}


def _edit(request, program: SupportProgram, *, creating: bool):
    form = ProgramForm(request.POST or None, instance=program)
    if request.method == "POST" and form.is_valid():
        try:
            program = program_save(program=program, data=form.cleaned_data, actor=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The programme was saved."))
            return redirect("programs:program_detail", code=program.code)
    return render(request, "programs/program_form.html", {"form": form, "program": program, "creating": creating})


@permission_required("programs.manage_catalogue")
def program_create(request):
    return _edit(request, SupportProgram(), creating=True)


@permission_required("programs.manage_catalogue")
def program_edit(request, code: str):
    program = SupportProgram.objects.filter(code=code).first()
    if program is None:
        raise Http404
    return _edit(request, program, creating=False)


def fetch_startup(request, pk: int, **kwargs) -> Startup:
    try:
        return selectors.startup_for_eligibility(pk=pk)
    except Startup.DoesNotExist as error:
        raise Http404 from error


@permission_required("programs.view_startup_programs", fetch=fetch_startup)
def startup_programs(request, pk: int, obj):
    """Every programme the startup may apply to, ranked, with each rule's verdict and what to fill in."""
    context = {
        "recommendations": selectors.startup_recommendations(startup=obj),
        **selectors.eligibility_context(request.user, obj),
    }
    return render(request, "programs/startup_programs.html", context)
