"""Requests for information from other agencies, each answered by a decision (DESIGN.md capability 6; the ICO data sharing code's request form)."""
