"""The URLs of the whole service. Each area's app brings its own; the web pages are first."""

from __future__ import annotations

from django.urls import include, path

urlpatterns = [
    path("", include("sharewise.web.urls")),
    path("people/", include("sharewise.people.urls")),
    path("agencies/", include("sharewise.agencies.urls")),
    path("", include("sharewise.decisions.urls")),
    path("disclosures/", include("sharewise.disclosures.urls")),
    path("requests/", include("sharewise.requests.urls")),
    path("advice/", include("sharewise.advice.urls")),
    path("protocols/", include("sharewise.protocols.urls")),
    path("", include("sharewise.followups.urls")),
    path("rights/", include("sharewise.rights.urls")),
    path("retention/", include("sharewise.retention.urls")),
    path("reports/", include("sharewise.reports.urls")),
    path("training/", include("sharewise.training.urls")),
    path("api/v1/", include("sharewise.api.urls")),
    # Sharewise's own account pages first: they replace the allauth pages of the same
    # address that this service does not offer (resetting a password by e-mail).
    path("accounts/", include("sharewise.accounts.urls")),
    path("accounts/", include("allauth.urls")),
]
