"""The records Sharewise calls unchangeable, sealed by a hash of their content in the audit
log, and checked against it by `sharewise audit verify` (issue 17).

Triggers refuse to change a signed decision, but anyone who owns the database can drop a
trigger, or get past one (`INSERT OR REPLACE` on SQLite deletes the old row without firing
its DELETE trigger). The audit log is harder to rewrite unnoticed: every entry's hash
covers the one before it, and signed checkpoints pin the chain. So the entry that makes a
record unchangeable (a decision's `decision.sign`, a disclosure's `disclosure.acknowledge`,
a protocol's `protocol.in_force`) carries the SHA-256 of the record's canonical content,
and so does every entry that changes it afterwards in a way the product allows (a
disclosure withdrawn, a record erased at the end of its retention). `audit verify` reads
every such record again and compares: a record whose content no longer matches the last
entry that sealed it, a sealed record with no such entry, and an entry whose record is no
longer sealed, are named.

Each app registers its kinds of sealed record in its `AppConfig.ready` (`sealed_kind_register`),
so the audit app never imports the apps above it. A kind's content is read in batches in id
order by the app's own function; another app can add a part of the content it owns (where
an imported decision came from) with `sealed_part_register`.

The canonical form of a kind's content has a number (`form`). Adding a field to a sealed
model changes the form: the old form must then be kept for the records sealed under it,
and `verify` says so rather than report every old record as changed.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.db.models.fields.json import KT
from django.db.models.functions import Length

from sharewise.guidance.audit_chain import canonical_bytes

# The keys of an entry's `details` that seal a record.
CONTENT_SHA256 = "content_sha256"
CONTENT_FORM = "content_form"
# Records read and hashed per round trip: as the chain walk's chunks, large enough to be
# bound by hashing and small enough never to hold many records in memory.
BATCH_SIZE = 2000

Content = Mapping[str, Any]
# `read(where, limit)`: the sealed records matching `where` (an id range, or one id), at
# most `limit`, in id order, each with its content, or None where its content cannot be
# read (a value that no longer decrypts is a changed record too).
ContentReader = Callable[[Q, int], list[tuple[int, Content | None]]]


@dataclass(frozen=True)
class SealedKind:
    """A kind of record that is unchangeable once sealed."""

    # As the audit log names the record: its model's name ("decision").
    object_type: str
    # What verify calls it, with its article: "a signed decision".
    description: str
    # The entries that seal it: each carries its content hash, the last one counts.
    verbs: frozenset[str]
    # The verb whose entry first seals it, for the message when none is found.
    sealing_verb: str
    form: int
    read: ContentReader
    # The hash of a record's content (with the parts other apps add): the kind's own
    # function, which says why each field is in it, built on `canonical_sha256`.
    sha256: Callable[[Content], str]


@dataclass(frozen=True)
class SealedPart:
    """Content of a sealed record that another app keeps: `read(ids)` gives it for each
    of those records that has it (the rest get None)."""

    object_type: str
    name: str
    read: Callable[[Sequence[int]], Mapping[int, Content]]


@dataclass(frozen=True)
class SealProblem:
    object_type: str
    object_id: str
    message: str

    def describe(self) -> str:
        return f"{self.object_type} {self.object_id}: {self.message}"


_KINDS: dict[str, SealedKind] = {}
_PARTS: dict[str, list[SealedPart]] = {}


def sealed_kind_register(kind: SealedKind) -> None:
    _KINDS[kind.object_type] = kind


def sealed_part_register(part: SealedPart) -> None:
    parts = _PARTS.setdefault(part.object_type, [])
    if all(p.name != part.name for p in parts):
        parts.append(part)


def sealed_kinds() -> list[SealedKind]:
    return [_KINDS[name] for name in sorted(_KINDS)]


def canonical_sha256(object_type: str, form: int, content: Content) -> str:
    """SHA-256 of a record's kind and content form, then its content in the audit chain's
    canonical form (sorted keys, times in UTC): the same from either database, and never
    the hash of another kind's record with the same fields."""
    prefix = f"sharewise:{object_type}:form {form}\n".encode()
    return hashlib.sha256(prefix + canonical_bytes(content)).hexdigest()


def _contents(kind: SealedKind, where: Q, limit: int) -> list[tuple[int, Content | None]]:
    rows = kind.read(where, limit)
    parts = _PARTS.get(kind.object_type, [])
    if not parts or not rows:
        return rows
    ids = [pk for pk, _ in rows]
    extra = {part.name: part.read(ids) for part in parts}
    return [
        (
            pk,
            None
            if content is None
            else {**content, **{name: found.get(pk) for name, found in extra.items()}},
        )
        for pk, content in rows
    ]


def seal_details(object_type: str, pk: int) -> dict[str, Any]:
    """The `details` that seal record `pk` of `object_type` as it is stored now, read as
    `verify` will read it. Called by the service that seals it, in its transaction, after
    the record is saved."""
    kind = _KINDS[object_type]
    rows = _contents(kind, Q(pk=pk), 1)
    if not rows or rows[0][0] != pk or rows[0][1] is None:
        raise RuntimeError(f"{object_type} {pk} is not a {kind.description} that can be sealed")
    return {CONTENT_SHA256: kind.sha256(rows[0][1]), CONTENT_FORM: kind.form}


def _last_seals(kind: SealedKind) -> Iterator[tuple[int, str | None, str | None]]:
    """(record id, content hash, form) of the last sealing entry of each record of `kind`,
    in record id order. One streaming query: the entries are sorted by the id's length and
    then its text, which is numeric order for the digits `audit_append` writes."""
    from .models import AuditEntry

    entries = (
        AuditEntry.objects.filter(
            object_type=kind.object_type,
            verb__in=sorted(kind.verbs),
            # A change to a record not yet sealed (a disclosure withdrawn before it was
            # acknowledged) is logged by the same verb, without a hash.
            details__has_key=CONTENT_SHA256,
        )
        .order_by(Length("object_id"), "object_id", "id")
        .values_list("object_id", KT(f"details__{CONTENT_SHA256}"), KT(f"details__{CONTENT_FORM}"))
        .iterator(chunk_size=BATCH_SIZE)
    )
    current: tuple[int, str | None, str | None] | None = None
    for object_id, sha256, form in entries:
        if not object_id.isdigit():
            continue
        # SQLite's json_extract gives the form as a number, PostgreSQL's ->> as text.
        this = (int(object_id), sha256, None if form is None else str(form))
        if current is not None and current[0] != this[0]:
            yield current
        current = this
    if current is not None:
        yield current


def _sealed_rows(kind: SealedKind) -> Iterator[tuple[int, Content | None]]:
    after = 0
    while True:
        rows = _contents(kind, Q(pk__gt=after), BATCH_SIZE)
        yield from rows
        if len(rows) < BATCH_SIZE:
            return
        after = rows[-1][0]


def seals_verify(
    kinds: Sequence[SealedKind] | None = None, counts: Counter[str] | None = None
) -> Iterator[SealProblem]:
    """Every sealed record read again and hashed, against the last entry that sealed it;
    the problems found, in kind and id order (and in `counts`, how many records of each
    kind were read). Both sides are read in id order and merged, so memory does not grow
    with the number of records."""
    for kind in sealed_kinds() if kinds is None else kinds:
        seals = _last_seals(kind)
        seal = next(seals, None)
        for pk, content in _sealed_rows(kind):
            if counts is not None:
                counts[kind.description] += 1
            while seal is not None and seal[0] < pk:
                yield _no_longer_sealed(kind, seal[0])
                seal = next(seals, None)
            if seal is None or seal[0] != pk:
                yield SealProblem(
                    kind.object_type,
                    str(pk),
                    f"it is {kind.description}, and no `{kind.sealing_verb}` entry in the audit"
                    " log seals it (entries were removed, or the record was made outside"
                    " Sharewise)",
                )
                continue
            problem = _compare(kind, pk, content, seal)
            if problem is not None:
                yield problem
            seal = next(seals, None)
        while seal is not None:
            yield _no_longer_sealed(kind, seal[0])
            seal = next(seals, None)


def _no_longer_sealed(kind: SealedKind, pk: int) -> SealProblem:
    return SealProblem(
        kind.object_type,
        str(pk),
        f"the audit log sealed it as {kind.description}, and the database no longer holds "
        "it as one (it was deleted, or its status changed)",
    )


def _compare(
    kind: SealedKind, pk: int, content: Content | None, seal: tuple[int, str | None, str | None]
) -> SealProblem | None:
    _, sealed_sha256, form = seal
    if form != str(kind.form):
        return SealProblem(
            kind.object_type,
            str(pk),
            f"sealed under content form {form}, which this version of Sharewise cannot check"
            f" (it checks form {kind.form})",
        )
    if content is None:
        return SealProblem(
            kind.object_type,
            str(pk),
            "changed: a value of it no longer decrypts (altered, or moved from another row)",
        )
    if kind.sha256(content) != sealed_sha256:
        return SealProblem(
            kind.object_type,
            str(pk),
            "changed: its content no longer matches the hash its audit entry sealed",
        )
    return None
