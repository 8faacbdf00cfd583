"""The API's followups routes."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["Follow-ups and meetings"])
