"""Curators' annotations on a startup's detail page: notes, designations and products."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.decorators import permission_required
from seeds import services
from seeds.forms import DesignationForm, NoteForm, ProductForm
from seeds.models import Product
from seeds.views.base import (
    DESIGNATION_PREFIX,
    NOTE_PREFIX,
    PRODUCT_PREFIX,
    add_service_errors,
    fetch_startup,
    render_detail,
)


@permission_required("seeds.manage_registry", fetch=fetch_startup)
@require_POST
def note_add(request, pk: int, obj):
    form = NoteForm(request.POST, prefix=NOTE_PREFIX)
    if not form.is_valid():
        return render_detail(request, obj, note_form=form)
    services.startup_note_add(startup=obj, body=form.cleaned_data["body"], actor=request.user)
    messages.success(request, _("The note was added."))
    return redirect("seeds:startup_detail", pk=obj.pk)


@permission_required("seeds.manage_registry", fetch=fetch_startup)
@require_POST
def designation_add(request, pk: int, obj):
    form = DesignationForm(request.POST, prefix=DESIGNATION_PREFIX)
    if form.is_valid():
        try:
            services.designation_add(startup=obj, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The designation was recorded."))
            return redirect("seeds:startup_detail", pk=obj.pk)
    return render_detail(request, obj, designation_form=form)


@permission_required("seeds.manage_registry", fetch=fetch_startup)
@require_POST
def product_add(request, pk: int, obj):
    form = ProductForm(request.POST, prefix=PRODUCT_PREFIX)
    if not form.is_valid():
        return render_detail(request, obj, product_form=form)
    services.product_add(startup=obj, actor=request.user, **form.cleaned_data)
    messages.success(request, _("The product was added."))
    return redirect("seeds:startup_detail", pk=obj.pk)


@permission_required("seeds.manage_registry", fetch=fetch_startup)
@require_POST
def product_remove(request, pk: int, product_pk: int, obj):
    product = get_object_or_404(Product, pk=product_pk, startup=obj)
    services.product_remove(product=product, actor=request.user)
    messages.success(request, _("The product “%(name)s” was removed.") % {"name": product.name})
    return redirect("seeds:startup_detail", pk=obj.pk)
