"""The API's requests routes."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["Requests for information"])
