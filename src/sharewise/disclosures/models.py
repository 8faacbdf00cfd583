"""Models of the disclosures app."""

from __future__ import annotations
