"""The API's protocols routes."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["Information sharing protocols"])
