"""Policy packs: the guidance as versioned data, loaded from one folder per pack.

A pack folder holds `pack.toml` (metadata, golden rules, principles, interrupts, the Q6
"share appropriately and securely" and Q7 "record" duties), `questions.toml` (how each fact
is asked: text, help, the label of every option), `flow.toml` (the flowchart: question,
judgement and outcome nodes) and `sources.toml` (the paragraphs cited, with their text).
The format is described in docs/packs.md.

Loading checks the structure and names the file and key at fault; whether the flowchart
makes sense (every node reachable, every path ending in an outcome, every citation
resolving) is the linter's job (`lint.py`), so that a broken pack can still be loaded and
its faults reported all at once.
"""

from __future__ import annotations

import datetime as dt
import marshal
import os
from collections.abc import Iterable, Mapping
from functools import cache, cached_property
from pathlib import Path
from typing import Any, NamedTuple

from .errors import PackError
from .facts import CONTRACT_FACTS, FactSpec

# The pack model is made of NamedTuples rather than dataclasses: they are as immutable and
# as typed, and importing and creating them costs a fraction of the time, which matters
# for `sharewise decide`, a whole process per decision (benchmarks/cli.py).

SHIPPED_PACKS_DIR = Path(__file__).with_name("packs")
PACK_FILES = ("pack.toml", "questions.toml", "flow.toml", "sources.toml")

NODE_KINDS = ("question", "judgement", "outcome")
OUTCOMES = ("share", "must_share", "do_not_share", "seek_consent", "seek_advice")
BASES = (
    "anonymised",
    "not_confidential",
    "consent",
    "public_interest",
    "legal_obligation",
    "safeguarding",
    "vital_interests",
    "public_task",
    # UK GDPR Article 6(1)(ea), added by the Data (Use and Access) Act 2025: an addition to
    # the contract's bases, offered only by the packs whose law has it (hmg-2024 on).
    "recognised_legitimate_interest",
)
# A national pack is the whole of one edition of HM Government's advice; an overlay adds
# to a national pack (its `extends`) the rules of a law that applies only in some places,
# such as the statutory duty to share in England (docs/packs.md, "Overlays").
PACK_KINDS = ("national", "overlay", "local")
# How an outcome settles `inform_subject` (contract: "inform_subject"). Sharing without
# consent tells the person unless a reason not to seek consent applies (3.9, 3.11, 3.36,
# 3.48); where telling does not arise the field is null.
INFORM_UNLESS_REASON = "unless_reason_not_to_seek_consent"
INFORM_RULES = (INFORM_UNLESS_REASON, "not_applicable")
REASONS_FACT = "reasons_not_to_seek_consent"
# The interrupt that sets the contract's `refer_now`.
REFER_NOW = "refer_now"
# Branch keys of a list fact: the empty list, or any non-empty list.
LIST_BRANCHES = ("none", "any")


class Duty(NamedTuple):
    """Something the practitioner must do or record, with the paragraphs that say so."""

    text: str
    cite: tuple[str, ...]


class Rule(NamedTuple):
    """A golden rule or principle, shown to practitioners beside the flowchart."""

    number: int
    title: str
    text: str
    cite: tuple[str, ...]


class Condition(NamedTuple):
    """Holds when the fact is answered with one of `values`."""

    fact: str
    values: tuple[str, ...]


class Interrupt(NamedTuple):
    """Checked at every step whatever the flow does (the flowchart's "follow the relevant
    procedures without delay"): it never stops the flow, it only raises a flag.

    `ask_before_outcome` makes the engine ask every fact the interrupt reads before it
    gives any outcome, unless the interrupt has already fired: the 2024 advice puts a
    child's protection first (golden rule 1), so no path of its pack may decide without
    asking about harm. `not_assessed` is the pack's own words, with citations, shown on an
    outcome reached without the facts the interrupt reads (what to do about a concern of
    harm that the decision did not assess)."""

    id: str
    title: str
    text: str
    cite: tuple[str, ...]
    when_any: tuple[Condition, ...]
    ask_before_outcome: bool = False
    not_assessed: Duty | None = None


class Option(NamedTuple):
    value: str
    label: str
    hint: str = ""
    # Not offered to a practitioner when any of these holds (the recognised legitimate
    # interest is not offered to a public authority). The engine still accepts the answer
    # from an integrator and follows the flow, which says why it cannot apply.
    unless: tuple[Condition, ...] = ()

    def offered(self, facts: Mapping[str, Any]) -> bool:
        return not any(facts.get(c.fact) in c.values for c in self.unless)


class Question(NamedTuple):
    """How a fact is put to the practitioner in this pack."""

    fact: str
    text: str
    help: str
    cite: tuple[str, ...]
    options: tuple[Option, ...]


class Node(NamedTuple):
    """One box of the flowchart.

    question: asks `fact` and follows `next[answer]`.
    judgement: the same, but the answer is the practitioner's own judgement (the public
      interest test); the engine follows it and asks for the reasons to be recorded.
    outcome: ends the flow with `outcome` and `basis`.
    """

    id: str
    kind: str
    cite: tuple[str, ...]
    fact: str = ""
    # Which part of the guidance's own flowchart the node belongs to ("Question 4: Do you
    # have consent to share?"), so pages can follow the guidance's numbering rather than
    # the order of the nodes.
    part: str = ""
    next: Mapping[str, str] = {}
    # judgement nodes
    weigh: tuple[Duty, ...] = ()
    proportionality: tuple[Duty, ...] = ()
    reasons_prompt: str = ""
    # outcome nodes
    outcome: str = ""
    basis: str | None = None
    inform_subject: str = "not_applicable"
    title: str = ""
    explanation: str = ""
    record: tuple[Duty, ...] = ()


class Document(NamedTuple):
    id: str
    file: str
    title: str
    publisher: str
    year: str
    url: str = ""


class Paragraph(NamedTuple):
    id: str
    document: str
    heading: str
    text: str
    # How the text was confirmed, where it was not taken from a seed document: the packs
    # of law newer than the seeds say where their wording came from, or that it could not
    # be confirmed and is a summary.
    note: str = ""


class Sources(NamedTuple):
    documents: Mapping[str, Document]
    paragraphs: Mapping[str, Paragraph]


class Pack:
    """A loaded policy pack. `hash` identifies this exact version of its files.

    A plain class rather than a NamedTuple because it caches: its sources, read on first
    use, and the engine's trace steps. Everything else is fixed once loaded.
    """

    def __init__(
        self,
        *,
        id: str,
        title: str,
        publisher: str,
        edition: str,
        in_force_from: dt.date,
        version: str,
        summary: str,
        default: bool,
        hash: str,
        path: Path,
        facts: Mapping[str, FactSpec],
        start: str,
        nodes: Mapping[str, Node],
        questions: Mapping[str, Question],
        interrupts: tuple[Interrupt, ...],
        golden_rules: tuple[Rule, ...],
        principles: tuple[Rule, ...],
        how_to_share: tuple[Duty, ...],
        record: tuple[Duty, ...],
        kind: str = "national",
        extends: str | None = None,
        applies_in: tuple[str, ...] = (),
        base_path: Path | None = None,
        replaced_by: str | None = None,
        replaced_from: dt.date | None = None,
        replaced_by_title: str = "",
        replaced_cite: tuple[str, ...] = (),
    ) -> None:
        self.id = id
        self.title = title
        self.publisher = publisher
        self.edition = edition
        self.in_force_from = in_force_from
        self.version = version
        self.summary = summary
        self.default = default
        self.hash = hash
        self.path = path
        self.facts = facts
        self.start = start
        self.nodes = nodes
        self.questions = questions
        self.interrupts = interrupts
        self.golden_rules = golden_rules
        self.principles = principles
        self.how_to_share = how_to_share
        self.record = record
        self.kind = kind
        self.extends = extends
        # Where the pack applies ("england", "wales", ...); empty for everywhere.
        self.applies_in = applies_in
        # The folder of the pack an overlay extends, whose sources it also cites.
        self.base_path = base_path
        # A pack whose guidance has been replaced may still be chosen, but every decision
        # dated on or after `replaced_from` says so (`pack_replacement_notice`).
        # `replaced_by` is the pack that carries the guidance on; `replaced_by_title`
        # names the edition that replaced it where that edition is not itself a pack.
        self.replaced_by = replaced_by
        self.replaced_from = replaced_from
        self.replaced_by_title = replaced_by_title
        self.replaced_cite = replaced_cite
        # The engine's cache of trace steps by (node id, answer); see engine.Outcome.trace.
        self.steps: dict[tuple[str, Any], Any] = {}

    def __repr__(self) -> str:
        return f"<Pack {self.id} {self.version} {self.hash[:19]}>"

    # Sources are only read when a paragraph's text is wanted, so that `sharewise decide`
    # does not parse the guidance text it never prints.
    @cached_property
    def sources(self) -> Sources:
        own = _sources_load(self.path / "sources.toml")
        if self.base_path is None:
            return own
        # An overlay cites its base pack's paragraphs as well as its own.
        base = _sources_load(self.base_path / "sources.toml")
        return Sources(
            documents={**base.documents, **own.documents},
            paragraphs={**base.paragraphs, **own.paragraphs},
        )

    def paragraph(self, cite: str) -> Paragraph | None:
        return self.sources.paragraphs.get(cite)

    def metadata(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "publisher": self.publisher,
            "edition": self.edition,
            "in_force_from": self.in_force_from.isoformat(),
            "version": self.version,
            "hash": self.hash,
            "default": self.default,
            "kind": self.kind,
            "extends": self.extends,
            "applies_in": list(self.applies_in),
            "replaced_by": self.replaced_by,
            "replaced_from": self.replaced_from.isoformat() if self.replaced_from else None,
        }


def flow_order(pack: Pack) -> list[str]:
    """The question and judgement nodes in the order a practitioner meets them:
    breadth-first from the start, with the nodes of one part of the guidance's flowchart
    kept together (a court order's follow-up question stays under Question 1). Pages and
    text versions of the flowchart use this order."""
    order: list[str] = []
    queue = [pack.start]
    while queue:
        node_id = queue.pop(0)
        node = pack.nodes.get(node_id)
        if node_id in order or node is None or node.kind == "outcome":
            continue
        order.append(node_id)
        queue += list(node.next.values())
    part_rank: dict[str, int] = {}
    for index, node_id in enumerate(order):
        part_rank.setdefault(pack.nodes[node_id].part or node_id, index)
    return sorted(order, key=lambda n: part_rank[pack.nodes[n].part or n])


def pack_hash(path: Path) -> str:
    """The content hash of a pack folder: SHA-256 over each pack file's name and bytes.

    Any change to any file, including to the text of a cited paragraph, gives a new hash,
    so a recorded decision names exactly the guidance it was made under.
    """
    import hashlib

    digest = hashlib.sha256()
    for name in PACK_FILES:
        file = path / name
        data = file.read_bytes() if file.exists() else b""
        digest.update(name.encode() + b"\0" + str(len(data)).encode() + b"\0" + data)
    return "sha256:" + digest.hexdigest()


def pack_load(path: Path) -> Pack:
    """Load and structurally validate the pack in folder `path`. An overlay (`extends` in
    its pack.toml) is loaded merged with the national pack beside it that it extends."""
    if not (path / "pack.toml").is_file():
        raise PackError(f"No pack.toml in {path}", field="pack.toml")
    raw = _compiled(path)
    base_path: Path | None = None
    extends = raw["pack"].get("extends")
    if extends is not None:
        _str(extends, "pack.toml: extends")
        base_path = path.parent / extends
        if not (base_path / "pack.toml").is_file():
            raise PackError(
                f"pack.toml: extends names '{extends}', which is not a pack beside this one",
                field="pack.toml: extends",
            )
        base = _compiled(base_path)
        if base["pack"].get("extends") is not None:
            raise PackError(
                f"pack.toml: extends names '{extends}', itself an overlay: an overlay extends "
                "a national pack",
                field="pack.toml: extends",
            )
        raw = _overlaid(base, raw)
    meta, flow, questions_raw = raw["pack"], raw["flow"], raw["questions"]

    where = "pack.toml"
    facts = dict(CONTRACT_FACTS)
    for name, spec in _table(meta.get("facts", {}), f"{where}: facts").items():
        spec_t = _table(spec, f"{where}: facts.{name}")
        values = _strs(spec_t.get("values"), f"{where}: facts.{name}.values")
        contract = CONTRACT_FACTS.get(name)
        if contract is not None and set(contract.values) - set(values):
            # The contract grows, it never changes (contract, "Versioning"): a pack may
            # offer more answers to a contract fact, never fewer.
            raise PackError(
                f"{where}: facts.{name} must keep every answer of the decision contract; "
                f"missing {sorted(set(contract.values) - set(values))}",
                field=f"{where}: facts.{name}.values",
            )
        since = _table(spec_t.get("since", {}), f"{where}: facts.{name}.since")
        for value, day in since.items():
            if value not in values:
                raise PackError(
                    f"{where}: facts.{name}.since names '{value}', not an answer of the fact",
                    field=f"{where}: facts.{name}.since",
                )
            _date(day, f"{where}: facts.{name}.since.{value}")
        facts[name] = FactSpec(
            name=name,
            values=values,
            multiple=bool(spec_t.get("multiple", False)),
            meaning=str(spec_t.get("meaning", contract.meaning if contract else "")),
            since=tuple((value, str(day)) for value, day in since.items()),
        )

    kind = meta.get("kind", "national")
    if kind not in PACK_KINDS:
        raise PackError(
            f"{where}: kind must be one of {', '.join(PACK_KINDS)}", field=f"{where}: kind"
        )
    if (kind == "overlay") != (extends is not None):
        raise PackError(
            f"{where}: an overlay names the pack it extends, and only an overlay does",
            field=f"{where}: extends",
        )

    in_force = _date(meta.get("in_force_from"), f"{where}: in_force_from")
    replaced_by = meta.get("replaced_by")
    replaced_from: dt.date | None = None
    if replaced_by is not None or meta.get("replaced_from") is not None:
        _str(replaced_by, f"{where}: replaced_by")
        replaced_from = _date(meta.get("replaced_from"), f"{where}: replaced_from")
        if replaced_from <= in_force:
            raise PackError(
                f"{where}: replaced_from must be after in_force_from",
                field=f"{where}: replaced_from",
            )

    nodes = {
        node_id: _node(node_id, raw)
        for node_id, raw in _table(flow.get("nodes"), "flow.toml: nodes").items()
    }
    questions = {
        fact: _question(fact, raw) for fact, raw in _table(questions_raw, "questions.toml").items()
    }
    return Pack(
        id=_str(meta.get("id"), f"{where}: id"),
        title=_str(meta.get("title"), f"{where}: title"),
        publisher=_str(meta.get("publisher"), f"{where}: publisher"),
        edition=_str(meta.get("edition"), f"{where}: edition"),
        in_force_from=in_force,
        version=_str(meta.get("version"), f"{where}: version"),
        summary=prose(str(meta.get("summary", ""))),
        default=bool(meta.get("default", False)),
        hash=raw["hash"],
        path=path,
        facts=facts,
        start=_str(flow.get("start"), "flow.toml: start"),
        nodes=nodes,
        questions=questions,
        interrupts=tuple(
            _interrupt(i, raw)
            for i, raw in enumerate(_list(meta.get("interrupts", []), f"{where}: interrupts"))
        ),
        golden_rules=_rules(meta.get("golden_rules", []), f"{where}: golden_rules"),
        principles=_rules(meta.get("principles", []), f"{where}: principles"),
        how_to_share=_duties(meta.get("how_to_share", []), f"{where}: how_to_share"),
        record=_duties(meta.get("record", []), f"{where}: record"),
        kind=kind,
        extends=extends,
        applies_in=_strs(meta.get("applies_in"), f"{where}: applies_in"),
        base_path=base_path,
        replaced_by=replaced_by,
        replaced_from=replaced_from,
        replaced_by_title=prose(str(meta.get("replaced_by_title", ""))),
        replaced_cite=_strs(meta.get("replaced_cite"), f"{where}: replaced_cite"),
    )


# What an overlay's pack.toml replaces in its base (its own identity and dates), and what
# it adds to (the duties and interrupts, which still apply beside its own).
_OVERLAY_REPLACES = (
    "id",
    "title",
    "publisher",
    "edition",
    "in_force_from",
    "version",
    "summary",
    "kind",
    "extends",
    "applies_in",
    "golden_rules",
    "principles",
)
_OVERLAY_ADDS = ("interrupts", "how_to_share", "record")


def _overlaid(base: dict[str, Any], overlay: dict[str, Any]) -> dict[str, Any]:
    """An overlay's compiled files merged onto its base's: its nodes and questions replace
    the base's of the same id (that is how it reroutes the flow into its own questions),
    its facts are added, and its hash covers both packs, so that a change to either gives
    the overlay a new hash."""
    import hashlib

    base_meta, own_meta = base["pack"], overlay["pack"]
    meta = {k: v for k, v in base_meta.items() if k not in ("default", "applies_in")}
    meta.update({k: own_meta[k] for k in _OVERLAY_REPLACES if k in own_meta})
    for key in _OVERLAY_ADDS:
        meta[key] = list(base_meta.get(key, [])) + list(own_meta.get(key, []))
    meta["facts"] = {**base_meta.get("facts", {}), **own_meta.get("facts", {})}
    # Only the overlay itself can make it the default.
    meta["default"] = bool(own_meta.get("default", False))
    flow = {
        "start": overlay["flow"].get("start", base["flow"].get("start")),
        "nodes": {**base["flow"].get("nodes", {}), **overlay["flow"].get("nodes", {})},
    }
    digest = hashlib.sha256(f"{base['hash']}\0{overlay['hash']}".encode()).hexdigest()
    return {
        "pack": meta,
        "flow": flow,
        "questions": {**base["questions"], **overlay["questions"]},
        "hash": "sha256:" + digest,
    }


def packs_dirs() -> dict[str, Path]:
    """The shipped pack folders by pack id (the folder name is the pack id)."""
    return {
        p.name: p
        for p in sorted(SHIPPED_PACKS_DIR.iterdir())
        if p.is_dir() and (p / "pack.toml").is_file()
    }


@cache
def pack_get(pack_id: str) -> Pack:
    """The shipped pack `pack_id`, loaded once per process."""
    path = packs_dirs().get(pack_id)
    if path is None:
        known = ", ".join(packs_dirs())
        raise PackError(f"There is no pack '{pack_id}'. The packs are: {known}", field="pack")
    return pack_load(path)


def packs_all() -> list[Pack]:
    return [pack_get(pack_id) for pack_id in packs_dirs()]


def pack_default_id() -> str:
    """The pack used when a decision names none (contract: hmg-2018 until a newer one)."""
    defaults = [p.id for p in packs_all() if p.default]
    if len(defaults) != 1:
        raise PackError(f"Exactly one pack must be the default, found {defaults}", field="pack")
    return defaults[0]


def day_words(day: dt.date) -> str:
    """A date as a reader writes it: "19 April 2024"."""
    return f"{day.day} {day:%B %Y}"


def pack_replacement_notice(pack: Pack, day: dt.date) -> str | None:
    """The sentence a decision of `day` under `pack` must carry when the guidance had been
    replaced by then, or None while it was still current.

    A replaced pack may still be chosen (an agency finishing a review under the guidance
    it began with, say), but the record must not let a reader take it for the guidance in
    force: hmg-2018 was replaced by the 2024 advice from 19 April 2024 (hmg-2024
    sources, "about"), and hmg-2008 by the March 2015 advice whose 2018 edition is
    hmg-2018 (hmg-2008 sources, "replaced"). The chain is followed as far as it had gone
    on `day`, so the sentence ends with the guidance that was current that day.
    """
    if pack.replaced_by is None or pack.replaced_from is None or day < pack.replaced_from:
        return None
    parts: list[str] = []
    seen = {pack.id}
    current: Pack = pack
    while (
        current.replaced_by is not None
        and current.replaced_from is not None
        and day >= current.replaced_from
        and current.replaced_by not in seen
    ):
        replacement = pack_get(current.replaced_by)
        by = current.replaced_by_title or f"{replacement.id} ({replacement.title})"
        subject = (
            f"This guidance, {current.id} ({current.title}), was replaced"
            if not parts
            else f"{current.id} was in turn replaced"
        )
        parts.append(f"{subject} on {day_words(current.replaced_from)} by {by}")
        seen.add(replacement.id)
        current = replacement
    return (
        "; ".join(parts)
        + f". This decision is dated {day_words(day)}: it applies guidance that was no "
        "longer current on that day."
    )


# --- the compiled-pack cache --------------------------------------------------------------
#
# `sharewise decide` is called once per decision by integrators' scripts, so its start-up
# is most of its cost. Parsing TOML (and importing the parser) would be most of that, so the
# parsed pack files and their hash are kept in the user's cache directory, keyed like
# Python's own bytecode cache by each file's size and modification time, and rebuilt
# whenever any file changes. A cache that cannot be read or written is simply skipped.

CACHE_FORMAT = 1


def _cache_dir() -> Path:
    configured = os.environ.get("SHAREWISE_CACHE_DIR")
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "sharewise" / "packs"


def _signature(path: Path) -> list[tuple[str, int, int]]:
    signature = []
    for name in PACK_FILES:
        try:
            stat = (path / name).stat()
        except FileNotFoundError:
            signature.append((name, -1, -1))
        else:
            signature.append((name, stat.st_size, stat.st_mtime_ns))
    return signature


def _plain(value: Any) -> Any:
    # marshal stores only built-in types: TOML dates become ISO text.
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dt.date | dt.datetime | dt.time):
        return value.isoformat()
    return value


def _compiled(path: Path) -> dict[str, Any]:
    """The parsed pack.toml, flow.toml and questions.toml of `path`, and the pack hash."""
    resolved = path.resolve()
    signature = _signature(resolved)
    cache_file = _cache_dir() / (resolved.as_posix().strip("/").replace("/", "__") + ".marshal")
    try:
        # The cache is the user's own, written by this function, never data from elsewhere.
        cached = marshal.loads(cache_file.read_bytes())  # noqa: S302
        if cached.get("format") == CACHE_FORMAT and cached.get("signature") == signature:
            return dict(cached)
    except (OSError, ValueError, EOFError, TypeError, AttributeError):
        pass
    compiled = {
        "format": CACHE_FORMAT,
        "signature": signature,
        "pack": _plain(_toml(path, "pack.toml")),
        "flow": _plain(_toml(path, "flow.toml")),
        "questions": _plain(_toml(path, "questions.toml")),
        "hash": pack_hash(path),
    }
    # The files may have changed while being read; only cache what matches the signature.
    if _signature(resolved) == signature:
        try:
            cache_file.parent.mkdir(parents=True, exist_ok=True)
            partial = cache_file.with_suffix(f".{os.getpid()}.tmp")
            partial.write_bytes(marshal.dumps(compiled))
            os.replace(partial, cache_file)
        except OSError:
            pass
    return compiled


# --- parsing helpers: each names the file and key at fault -------------------------------


def prose(text: str) -> str:
    """Text written wrapped in TOML, unwrapped: lines join, blank lines keep paragraphs."""
    paragraphs = [" ".join(block.split()) for block in text.strip().split("\n\n")]
    return "\n\n".join(p for p in paragraphs if p)


def _toml(path: Path, name: str) -> dict[str, Any]:
    import tomllib

    file = path / name
    if not file.is_file():
        raise PackError(f"The pack has no {name}", field=name)
    try:
        with file.open("rb") as handle:
            return tomllib.load(handle)
    except tomllib.TOMLDecodeError as exc:
        raise PackError(f"{name} is not valid TOML: {exc}", field=name) from exc


def _table(value: Any, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise PackError(f"{where} must be a table", field=where)
    return value


def _list(value: Any, where: str) -> list[Any]:
    if not isinstance(value, list):
        raise PackError(f"{where} must be a list", field=where)
    return value


def _str(value: Any, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise PackError(f"{where} must be non-empty text", field=where)
    return value


def _strs(value: Any, where: str) -> tuple[str, ...]:
    items = _list([] if value is None else value, where)
    if not all(isinstance(v, str) for v in items):
        raise PackError(f"{where} must be a list of text", field=where)
    return tuple(items)


def _date(value: Any, where: str) -> dt.date:
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    if isinstance(value, dt.date):
        return value
    raise PackError(f"{where} must be a date (YYYY-MM-DD)", field=where)


def _duties(value: Any, where: str) -> tuple[Duty, ...]:
    duties = []
    for i, raw in enumerate(_list(value, where)):
        table = _table(raw, f"{where}[{i}]")
        duties.append(
            Duty(
                text=_str(table.get("text"), f"{where}[{i}].text"),
                cite=_strs(table.get("cite"), f"{where}[{i}].cite"),
            )
        )
    return tuple(duties)


def _rules(value: Any, where: str) -> tuple[Rule, ...]:
    rules = []
    for i, raw in enumerate(_list(value, where), start=1):
        table = _table(raw, f"{where}[{i}]")
        rules.append(
            Rule(
                number=int(table.get("number", i)),
                title=_str(table.get("title"), f"{where}[{i}].title"),
                text=str(table.get("text", "")),
                cite=_strs(table.get("cite"), f"{where}[{i}].cite"),
            )
        )
    return tuple(rules)


def _interrupt(index: int, raw: Any) -> Interrupt:
    where = f"pack.toml: interrupts[{index}]"
    table = _table(raw, where)
    conditions = []
    for j, cond in enumerate(_list(table.get("when_any"), f"{where}.when_any")):
        cond_t = _table(cond, f"{where}.when_any[{j}]")
        conditions.append(
            Condition(
                fact=_str(cond_t.get("fact"), f"{where}.when_any[{j}].fact"),
                values=_strs(cond_t.get("in"), f"{where}.when_any[{j}].in"),
            )
        )
    ask_first = table.get("ask_before_outcome", False)
    if not isinstance(ask_first, bool):
        raise PackError(
            f"{where}.ask_before_outcome must be true or false", field=f"{where}.ask_before_outcome"
        )
    not_assessed: Duty | None = None
    if "not_assessed" in table:
        note = _table(table["not_assessed"], f"{where}.not_assessed")
        not_assessed = Duty(
            text=prose(_str(note.get("text"), f"{where}.not_assessed.text")),
            cite=_strs(note.get("cite"), f"{where}.not_assessed.cite"),
        )
    return Interrupt(
        id=_str(table.get("id"), f"{where}.id"),
        title=_str(table.get("title"), f"{where}.title"),
        text=_str(table.get("text"), f"{where}.text"),
        cite=_strs(table.get("cite"), f"{where}.cite"),
        when_any=tuple(conditions),
        ask_before_outcome=ask_first,
        not_assessed=not_assessed,
    )


def _question(fact: str, raw: Any) -> Question:
    where = f"questions.toml: {fact}"
    table = _table(raw, where)
    options = []
    for j, opt in enumerate(_list(table.get("options"), f"{where}.options")):
        opt_t = _table(opt, f"{where}.options[{j}]")
        unless = []
        for k, cond in enumerate(_list(opt_t.get("unless", []), f"{where}.options[{j}].unless")):
            cond_where = f"{where}.options[{j}].unless[{k}]"
            cond_t = _table(cond, cond_where)
            unless.append(
                Condition(
                    fact=_str(cond_t.get("fact"), f"{cond_where}.fact"),
                    values=_strs(cond_t.get("in"), f"{cond_where}.in"),
                )
            )
        options.append(
            Option(
                value=_str(opt_t.get("value"), f"{where}.options[{j}].value"),
                label=_str(opt_t.get("label"), f"{where}.options[{j}].label"),
                hint=str(opt_t.get("hint", "")),
                unless=tuple(unless),
            )
        )
    return Question(
        fact=fact,
        text=_str(table.get("text"), f"{where}.text"),
        help=prose(str(table.get("help", ""))),
        cite=_strs(table.get("cite"), f"{where}.cite"),
        options=tuple(options),
    )


def _node(node_id: str, raw: Any) -> Node:
    where = f"flow.toml: nodes.{node_id}"
    table = _table(raw, where)
    kind = table.get("kind")
    if kind not in NODE_KINDS:
        raise PackError(
            f"{where}.kind must be one of {', '.join(NODE_KINDS)}", field=f"{where}.kind"
        )
    cite = _strs(table.get("cite"), f"{where}.cite")
    if kind == "outcome":
        outcome = table.get("outcome")
        if outcome not in OUTCOMES:
            raise PackError(
                f"{where}.outcome must be one of {', '.join(OUTCOMES)}", field=f"{where}.outcome"
            )
        basis = table.get("basis")
        if outcome in ("share", "must_share"):
            if basis not in BASES:
                raise PackError(
                    f"{where}.basis must be one of {', '.join(BASES)}", field=f"{where}.basis"
                )
        elif basis is not None:
            raise PackError(
                f"{where}.basis is only for share and must_share", field=f"{where}.basis"
            )
        inform = table.get("inform_subject", "not_applicable")
        if inform not in INFORM_RULES:
            raise PackError(
                f"{where}.inform_subject must be one of {', '.join(INFORM_RULES)}",
                field=f"{where}.inform_subject",
            )
        return Node(
            id=node_id,
            kind=kind,
            cite=cite,
            outcome=outcome,
            basis=basis,
            inform_subject=inform,
            title=_str(table.get("title"), f"{where}.title"),
            explanation=prose(str(table.get("explanation", ""))),
            record=_duties(table.get("record", []), f"{where}.record"),
        )
    next_ = _table(table.get("next"), f"{where}.next")
    for answer, target in next_.items():
        _str(target, f"{where}.next.{answer}")
    return Node(
        id=node_id,
        kind=kind,
        cite=cite,
        fact=_str(table.get("fact"), f"{where}.fact"),
        part=str(table.get("part", "")),
        next=dict(next_),
        weigh=_duties(table.get("weigh", []), f"{where}.weigh"),
        proportionality=_duties(table.get("proportionality", []), f"{where}.proportionality"),
        reasons_prompt=str(table.get("reasons", "")).strip(),
    )


def _sources_load(file: Path) -> Sources:
    if not file.is_file():
        return Sources(documents={}, paragraphs={})
    raw = _toml(file.parent, file.name)
    documents = {
        d["id"]: Document(
            id=d["id"],
            file=d.get("file", ""),
            title=d.get("title", ""),
            publisher=d.get("publisher", ""),
            year=str(d.get("year", "")),
            url=d.get("url", ""),
        )
        for d in raw.get("documents", [])
    }
    paragraphs = {
        p["id"]: Paragraph(
            id=p["id"],
            document=p.get("document", ""),
            heading=p.get("heading", ""),
            text=p.get("text", "").strip(),
            note=p.get("note", "").strip(),
        )
        for p in raw.get("paragraphs", [])
    }
    return Sources(documents=documents, paragraphs=paragraphs)


def cites_of(items: Iterable[Duty]) -> list[str]:
    return [c for item in items for c in item.cite]
