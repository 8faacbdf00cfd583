"""The acknowledged disclosure's seal covers every column but those named as left out."""

from __future__ import annotations

from sharewise.disclosures.models import Disclosure, DisclosureItem
from sharewise.disclosures.sealing import DISCLOSURE_FIELDS, ITEM_FIELDS, NOT_SEALED


def test_every_column_of_a_disclosure_is_sealed_or_said_not_to_be() -> None:
    columns = {f.attname for f in Disclosure._meta.concrete_fields}
    assert set(DISCLOSURE_FIELDS) | set(NOT_SEALED) == columns
    assert not set(DISCLOSURE_FIELDS) & set(NOT_SEALED)
    assert len(DISCLOSURE_FIELDS) == len(set(DISCLOSURE_FIELDS))


def test_every_column_of_an_item_is_sealed() -> None:
    assert set(ITEM_FIELDS) == {f.attname for f in DisclosureItem._meta.concrete_fields}
