"""The API's disclosures routes."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["Disclosures"])
