"""Models of the advice app."""

from __future__ import annotations
