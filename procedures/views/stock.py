"""Stock pages: lots and open vials, receiving a lot, opening and closing a
vial, and the recall search by lot number."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from clinic.access import requires
from clinic.audit import Action, AuditTarget, access_log_write
from procedures.dilution import plain_number
from procedures.errors import ProcedureError
from procedures.forms import LotForm, RecallForm, VialOpenForm
from procedures.models import Lot, Product, Vial
from procedures.selectors import lots_in_stock, open_vials, recall_by_lot
from procedures.services.stock import lot_receive, vial_close, vial_open

EXPIRING_SOON_DAYS = 30


def vial_open_form(*, product: Product | None = None, data: dict | None = None) -> VialOpenForm:
    form = VialOpenForm(data)
    if product is not None:
        form.fields["lot"].queryset = form.fields["lot"].queryset.filter(product=product)
    return form


def _render_stock(
    request: HttpRequest,
    *,
    lot_form: LotForm | None = None,
    vial_form: VialOpenForm | None = None,
    status: int = 200,
) -> HttpResponse:
    today = timezone.localdate()
    context = {
        "lots": lots_in_stock(on=today),
        "vials": open_vials(),
        "now": timezone.now(),
        "today": today,
        "soon": today + dt.timedelta(days=EXPIRING_SOON_DAYS),
        "lot_form": lot_form or LotForm(),
        "vial_form": vial_form or vial_open_form(),
    }
    return render(request, "procedures/stock.html", context, status=status)


@requires("procedures.view_lot")
@require_GET
def stock(request: HttpRequest) -> HttpResponse:
    return _render_stock(request)


@requires("procedures.add_lot")
@require_POST
def lot_add(request: HttpRequest) -> HttpResponse:
    form = LotForm(request.POST)
    if form.is_valid():
        try:
            lot = lot_receive(user=request.user, **form.cleaned_data)
        except ProcedureError as error:
            form.add_error(error.field, error.message)
        else:
            messages.success(request, f"Lot {lot.lot_number} of {lot.product.brand_name} added.")
            return redirect("procedures:stock")
    return _render_stock(request, lot_form=form, status=400)


def _back_to(request: HttpRequest) -> str | None:
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return None


@requires("procedures.add_vial")
@require_POST
def vial_open_view(request: HttpRequest) -> HttpResponse:
    form = vial_open_form(data=request.POST)
    back = _back_to(request)
    if form.is_valid():
        try:
            vial = vial_open(user=request.user, **form.cleaned_data)
        except ProcedureError as error:
            form.add_error(error.field, error.message)
        else:
            messages.success(
                request,
                f"Vial {vial.pk} opened: {plain_number(vial.units_per_tenth_ml)} U per 0.1 mL, "
                f"use by {timezone.localtime(vial.use_by):%H:%M on %d %b}.",
            )
            return redirect(back or "procedures:stock")
    if back:
        for error in form.errors.values():
            messages.error(request, " ".join(error))
        return redirect(back)
    return _render_stock(request, vial_form=form, status=400)


@requires("procedures.change_vial")
@require_POST
def vial_close_view(request: HttpRequest, pk: int) -> HttpResponse:
    vial = get_object_or_404(Vial, pk=pk)
    try:
        vial = vial_close(vial=vial, user=request.user)
    except ProcedureError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, f"Vial {vial.pk} closed; {plain_number(vial.waste_units)} U recorded as waste."
        )
    return redirect(_back_to(request) or "procedures:stock")


@requires("procedures.view_treatmentsession")
@require_GET
def recall(request: HttpRequest) -> HttpResponse:
    form = RecallForm(request.GET or None)
    rows = None
    lots: list[Lot] = []
    if form.is_valid():
        lot_number = form.cleaned_data["lot"]
        access_log_write(
            request=request, action=Action.VIEWED, target=AuditTarget("recall", lot_number)
        )
        rows = recall_by_lot(lot_number=lot_number)
        lots = list(Lot.objects.filter(lot_number=lot_number).select_related("product"))
    context = {"form": form, "rows": rows, "lots": lots}
    return render(request, "procedures/recall.html", context)
