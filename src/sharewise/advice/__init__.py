"""Advice without naming the person: a practitioner asks a safeguarding lead, with the case's identifiers redacted before the text leaves them (DESIGN.md capability 7; golden rule 3)."""
