"""Models of the followups app."""

from __future__ import annotations
