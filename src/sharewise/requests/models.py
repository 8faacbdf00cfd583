"""Models of the requests app."""

from __future__ import annotations
