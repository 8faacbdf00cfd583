"""The partnership administrator's pages for agencies: the law each agency's decisions are
guided by (issue 7, "Choosing and comparing packs")."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as HttpForbidden
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from sharewise.common import PermissionDenied, ServiceError
from sharewise.guidance.choice import COUNTRIES, pack_choose
from sharewise.guidance.packs import packs_all
from sharewise.web.access import PARTNERSHIP_ADMIN, access
from sharewise.web.forms import FormErrors, text

from . import services
from .models import Agency, Role
from .selectors import user_has_role


def _require_admin(request: HttpRequest) -> None:
    if not user_has_role(user=request.user, roles={Role.PARTNERSHIP_ADMIN}):
        raise HttpForbidden("Only a partnership administrator can manage agencies")


@access(PARTNERSHIP_ADMIN)
@require_safe
@login_required
def agency_list(request: HttpRequest) -> HttpResponse:
    _require_admin(request)
    today = timezone.localdate()
    rows = [
        {
            "agency": agency,
            "choice": pack_choose(day=today, country=agency.country, chosen=agency.pack_id),
        }
        for agency in Agency.objects.order_by("name")
    ]
    return render(request, "agencies/agency_list.html", {"rows": rows})


@access(PARTNERSHIP_ADMIN)
@require_http_methods(["GET", "POST"])
@login_required
def agency_settings(request: HttpRequest, agency_id: int) -> HttpResponse:
    _require_admin(request)
    agency = get_object_or_404(Agency, pk=agency_id)
    errors = FormErrors()
    if request.method == "POST":
        public_authority = text(request, "public_authority")
        if public_authority not in ("yes", "no"):
            errors.add("public_authority", "Say whether the agency is a public authority")
        else:
            try:
                services.agency_settings_update(
                    user=request.user,
                    agency=agency,
                    country=text(request, "country"),
                    pack_id=text(request, "pack_id"),
                    public_authority=public_authority == "yes",
                )
            except PermissionDenied as exc:
                raise HttpForbidden(exc.message) from exc
            except ServiceError as exc:
                errors.add_service_error(exc)
            else:
                return redirect("agencies:list")
    today = timezone.localdate()
    context = {
        "agency": agency,
        "errors": errors,
        "countries": COUNTRIES.items(),
        "packs": packs_all(),
        "values": request.POST if request.method == "POST" else None,
        "automatic": pack_choose(day=today, country=agency.country),
    }
    return render(request, "agencies/agency_settings.html", context, status=400 if errors else 200)
