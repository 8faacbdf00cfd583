"""Realistic advice requests as data, for the redaction tests and benchmarks/redaction.py.

Each JSON file is one request a practitioner might write: `text`; `known`, the
identifiers the case's records hold (what `advice.selectors.known_identifiers_for` would
give), each `{kind, value, group}`; and `other`, identifiers in the text that the records
do not hold (a neighbour's phone number, a boyfriend's first name), each `{kind, value}`.
Everyone and everything in them is fictional: NHS numbers start 999, phone numbers are
Ofcom's drama ranges.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sharewise.advice.identifiers import Identifier, Kind

HERE = Path(__file__).parent
TITLES = {"mr", "mrs", "ms", "miss", "mx", "dr", "and"}


@dataclass(frozen=True)
class Sample:
    id: str
    text: str
    known: tuple[Identifier, ...]
    other: tuple[tuple[str, str], ...]


def load_samples() -> list[Sample]:
    samples = []
    for path in sorted(HERE.glob("*.json")):
        data: dict[str, Any] = json.loads(path.read_text())
        samples.append(
            Sample(
                id=data["id"],
                text=data["text"],
                known=tuple(
                    Identifier(Kind(k["kind"]), k["value"], k.get("group", ""))
                    for k in data["known"]
                ),
                other=tuple((o["kind"], o["value"]) for o in data["other"]),
            )
        )
    return samples


def _word_in(word: str, text: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(word)}(?!\w)", text, re.IGNORECASE) is not None


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def _date_forms(value: str) -> list[str]:
    born = dt.date.fromisoformat(value)
    d, m, y = born.day, born.month, born.year
    month = born.strftime("%B")
    return [
        f"{d:02d}/{m:02d}/{y}",
        f"{d}/{m}/{y}",
        f"{d}/{m}/{y % 100:02d}",
        f"{d}.{m}.{y}",
        f"{d:02d}.{m:02d}.{y}",
        f"{d:02d}-{m:02d}-{y}",
        born.isoformat(),
        f"{d} {month} {y}",
        f"{d} {month[:3]} {y}",
        f"{d} {month[:4]} {y}",
        f"{d}th {month} {y}",
        f"{d}st {month} {y}",
        f"{d}nd {month} {y}",
        f"{d}rd {month} {y}",
    ]


def survivors(identifier: Identifier, text: str) -> list[str]:
    """The forms of a known identifier still to be read in `text`: empty when it is gone.
    Independent of the redaction's own patterns, so that it can catch their mistakes."""
    value = identifier.value
    kind = identifier.kind
    if kind == Kind.NAME:
        words = [w for w in re.split(r"[\s\-]+", value) if len(w) >= 2]
        return [w for w in [value, *words] if _word_in(w, text)]
    if kind == Kind.DATE_OF_BIRTH:
        return [form for form in _date_forms(value) if form.lower() in text.lower()]
    if kind in (Kind.NHS_NUMBER, Kind.PHONE_NUMBER):
        digits = _digits(value)
        national = "0" + digits[2:] if digits.startswith("44") else digits
        return [value] if national[1:] in _digits(text) else []
    if kind in (Kind.UPN, Kind.POSTCODE):
        compact = re.sub(r"\s", "", value).upper()
        return [value] if compact in re.sub(r"\s", "", text).upper() else []
    if kind == Kind.ADDRESS:
        parts = [p.strip() for p in re.split(r"[\n,]", value) if p.strip()]
        # The postcode is its own identifier; the town, the last line after it, is kept
        # on purpose (ADR 10).
        parts = [p for p in parts if not re.fullmatch(r"[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}", p)]
        lines = parts[:-1] if len(parts) > 1 else parts
        return [line for line in lines if line.lower() in text.lower()]
    return [value] if value.lower() in text.lower() else []


def caught(kind: str, value: str, text: str) -> bool:
    """Whether an identifier the records did not hold is gone from `text`."""
    if kind == "name":
        words = [w for w in value.replace("'", " ").split() if w.lower() not in TITLES]
        return not any(_word_in(w, text) for w in words)
    if kind in ("phone_number", "card_number"):
        return _digits(value)[1:] not in _digits(text)
    squeezed = re.sub(r"\s", "", value).lower()
    return squeezed not in re.sub(r"\s", "", text).lower()
