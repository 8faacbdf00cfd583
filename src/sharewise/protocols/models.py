"""Models of the protocols app."""

from __future__ import annotations
