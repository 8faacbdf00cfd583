"""Taking the person's identity out of an advice request before it leaves the practitioner.

Golden rule 3: "Seek advice if you are in any doubt, without disclosing the identity of the
person where possible" (003 section 2; 004 "Seven golden rules"), and 003 3.45: "Where
possible you should not disclose the identity of the person concerned."

Two kinds of finding, both through Presidio's analyser and anonymiser:

- **Known identifiers**: what the case's records hold about everyone in it (names and
  aliases, dates of birth, NHS numbers, Unique Pupil Numbers, addresses, postcodes, phone
  numbers, email addresses, streets, schools) and any term the practitioner adds. Each is
  turned into a pattern that also finds its other spellings: a name's first name or
  surname alone, any case, a possessive ("Helen's" keeps its "'s"); a date of birth in any
  common British form; an NHS number or phone number in any spacing. These are the promise
  the service makes: none of them may survive (tests/advice checks it on every sample).
- **Pattern recognisers** for identifiers the records do not hold: UK postcodes, NHS
  numbers (with their check digit), UPNs, UK phone numbers, email and web addresses,
  National Insurance numbers, vehicle registrations, full dates, street addresses, school
  names and names after a title ("Mrs Patel") or a relation ("her boyfriend Jay"). Only
  UK and global recognisers: Presidio's US ones (SSN, bank routing, driver's licence)
  match ordinary British numbers and were left out.

No model is downloaded, ever: the NLP engine is a blank spaCy English pipeline (a
tokeniser, plus a lemma that is the lower-case word so Presidio's context words work),
and the email recogniser's domain check uses tldextract's bundled suffix list with the
download turned off (`suffix_list_urls=()`, no cache directory). The analyser is built
once per process, on first use, because building it takes a noticeable fraction of a
second; the case's own identifiers go to each call as ad hoc recognisers.

Pure Python: no Django, no database, so it can be tested and benchmarked on its own.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import spacy
import tldextract
from presidio_analyzer import (
    AnalyzerEngine,
    EntityRecognizer,
    Pattern,
    PatternRecognizer,
    RecognizerRegistry,
)
from presidio_analyzer.nlp_engine import NerModelConfiguration, SpacyNlpEngine
from presidio_analyzer.predefined_recognizers import (
    CreditCardRecognizer,
    EmailRecognizer,
    IbanRecognizer,
    IpRecognizer,
    NhsRecognizer,
    PhoneRecognizer,
    UkNinoRecognizer,
    UkVehicleRegistrationRecognizer,
    UrlRecognizer,
)
from presidio_anonymizer import AnonymizerEngine
from presidio_anonymizer.entities import OperatorConfig
from presidio_anonymizer.entities import RecognizerResult as AnonymizerResult
from spacy.lang.en.stop_words import STOP_WORDS
from spacy.language import Language
from spacy.tokens import Doc

from .identifiers import LABELS, NUMBERED, Identifier, Kind, Redaction, Replacement

__all__ = ["Identifier", "Kind", "Redaction", "Replacement", "analyzer", "redact"]

# Entity names: what the records hold, what a pattern found, and the other mentions of a
# name a pattern found ("Dean" after "her boyfriend Dean Walker").
KNOWN_PREFIX = "KNOWN"
FOUND_PREFIX = "FOUND"
ECHO_PREFIX = "ECHO"

# --- The analyser, built once --------------------------------------------------------


@Language.component("sharewise_lower_lemma")
def _lower_lemma(doc: Doc) -> Doc:
    # A blank pipeline has no lemmatiser; Presidio compares context words ("NHS", "phone")
    # with lemmas, and the lower-case word is near enough for that.
    for token in doc:
        token.lemma_ = token.lower_
    return doc


class BlankEnglishNlpEngine(SpacyNlpEngine):
    """spaCy's blank English pipeline in memory: a tokeniser and nothing to download.

    Presidio's own SpacyNlpEngine downloads the named model when it is not installed; this
    engine never names one. There is no NER either: names come from the case's records and
    from the name patterns below, which in our tests found more than a small model did
    not, without a 500 MB download (ADR 10)."""

    def __init__(self) -> None:
        super().__init__(
            models=[{"lang_code": "en", "model_name": "blank:en"}],
            ner_model_configuration=NerModelConfiguration(),
        )

    def load(self) -> None:
        nlp = spacy.blank("en")
        nlp.add_pipe("sharewise_lower_lemma")
        # Presidio declares `nlp` as None until loaded; this is what its own load() sets.
        self.nlp = {"en": nlp}  # type: ignore[assignment]


# tldextract fetches the Public Suffix List from the internet on first use unless told not
# to. No URLs to fetch and no cache directory: it uses the copy bundled with the package.
OFFLINE_TLD_EXTRACT = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)


class OfflineEmailRecognizer(EmailRecognizer):
    """Presidio's email recogniser, checking the domain with the offline suffix list."""

    def validate_result(self, pattern_text: str) -> bool:
        return OFFLINE_TLD_EXTRACT(pattern_text.rsplit("@", 1)[-1]).fqdn != ""


UPN_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"


def upn_valid(value: str) -> bool:
    """The DfE check letter of a Unique Pupil Number (as people.identifiers.upn_clean)."""
    upn = re.sub(r"\s", "", value).upper()
    if not re.fullmatch(r"[A-Z]\d{11}[0-9A-Z]", upn):
        return False
    letter_values = {c: i for i, c in enumerate(UPN_LETTERS)}
    total = 0
    for position, char in enumerate(upn[1:], start=2):
        value_of = int(char) if char.isdigit() else letter_values.get(char, -1)
        if value_of < 0:
            return False
        total += value_of * position
    return UPN_LETTERS[total % 23] == upn[0]


class UpnRecognizer(PatternRecognizer):
    """A Unique Pupil Number: a check letter and 12 characters. A valid check letter
    makes it certain; without one it is still taken out, at a lower score, since little
    else in a note looks like it."""

    def __init__(self) -> None:
        super().__init__(
            supported_entity=f"{FOUND_PREFIX}_{Kind.UPN.name}",
            patterns=[Pattern("UPN", r"\b[A-Z]\s?\d{11}\s?[0-9A-Z]\b", 0.6)],
            context=["upn", "pupil"],
        )

    def validate_result(self, pattern_text: str) -> bool | None:
        return True if upn_valid(pattern_text) else None


CASE_SENSITIVE = re.DOTALL | re.MULTILINE
CAPITALISED = r"[A-Z][a-z'’\-]+"
STREET_WORDS = (
    r"(?:Road|Rd|Street|St|Avenue|Ave|Lane|Close|Drive|Way|Crescent|Gardens|Court|Place|"
    r"Terrace|Grove|Walk|Row|Square|Mews|Rise|Hill|View|Park|Green|Parade|Estate)"
)
RELATIONS = (
    r"brother|sister|half-brother|half-sister|stepbrother|stepsister|mum|mother|dad|"
    r"father|stepdad|stepmum|stepfather|stepmother|partner|boyfriend|girlfriend|friend|"
    r"uncle|aunt|auntie|nan|nana|gran|grandad|grandma|grandmother|grandfather|cousin|"
    r"neighbour|son|daughter|husband|wife|baby|carer|lodger|teacher|boy|girl|lad|man|"
    r"woman|pupil|student|called|named|"
    r"known as|nicknamed"
)
MONTHS = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
    r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)"
)


def _found(kind: Kind) -> str:
    return f"{FOUND_PREFIX}_{kind.name}"


def _pattern_recognizers() -> list[EntityRecognizer]:
    """The recognisers for identifiers that the case's records do not hold."""
    return [
        # Our own UK postcode (the Royal Mail format, outward and inward code), rather
        # than Presidio's, so the rule is ours to read.
        PatternRecognizer(
            supported_entity=_found(Kind.POSTCODE),
            patterns=[
                Pattern(
                    "UK postcode",
                    r"\b(?:[A-PR-UWYZ][A-HK-Y]?[0-9][0-9A-HJKPSTUW]?)\s?[0-9][ABD-HJLNP-UW-Z]{2}\b",
                    0.6,
                )
            ],
            context=["postcode", "address", "lives"],
        ),
        NhsRecognizer(supported_entity=_found(Kind.NHS_NUMBER)),
        UpnRecognizer(),
        PhoneRecognizer(supported_entity=_found(Kind.PHONE_NUMBER), supported_regions=("GB",)),
        # UK numbers in the shapes people write them, valid or not (a mistyped number still
        # points at someone): 07700 900123, 01234 567890, +44 (0)7700 900 123.
        PatternRecognizer(
            supported_entity=_found(Kind.PHONE_NUMBER),
            name="UkPhoneShapeRecognizer",
            patterns=[
                Pattern(
                    "UK phone",
                    r"(?<![\w+])(?:(?:\+|00)44\s?(?:\(0\)\s?)?|\(?0)\d(?:[\s\-)]{0,2}\d){8,9}(?!\d)",
                    0.5,
                )
            ],
        ),
        OfflineEmailRecognizer(supported_entity=_found(Kind.EMAIL)),
        UrlRecognizer(supported_entity=_found(Kind.WEB_ADDRESS)),
        UkNinoRecognizer(supported_entity=_found(Kind.NI_NUMBER)),
        UkVehicleRegistrationRecognizer(supported_entity=_found(Kind.VEHICLE)),
        IbanRecognizer(supported_entity=_found(Kind.BANK_ACCOUNT)),
        CreditCardRecognizer(supported_entity=_found(Kind.CARD_NUMBER)),
        IpRecognizer(supported_entity=_found(Kind.IP_ADDRESS)),
        # Full dates only: "on 3 November" helps the lead and identifies nobody; a date
        # with its year may be someone's date of birth.
        PatternRecognizer(
            supported_entity=_found(Kind.DATE),
            patterns=[
                Pattern(
                    "numeric date",
                    r"\b(?:0?[1-9]|[12]\d|3[01])\s?[/.\-]\s?(?:0?[1-9]|1[0-2])\s?[/.\-]\s?(?:19|20)?\d\d\b",
                    0.6,
                ),
                Pattern(
                    "date in words",
                    rf"\b(?:0?[1-9]|[12]\d|3[01])(?:st|nd|rd|th)?\s+(?:of\s+)?{MONTHS}\.?,?\s+(?:19|20)\d\d\b",
                    0.6,
                ),
                Pattern(
                    "month first",
                    rf"\b{MONTHS}\.?\s+(?:0?[1-9]|[12]\d|3[01])(?:st|nd|rd|th)?,?\s+(?:19|20)\d\d\b",
                    0.6,
                ),
                Pattern(
                    "ISO date", r"\b(?:19|20)\d\d-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])\b", 0.6
                ),
            ],
        ),
        # Street addresses with a house number, and streets named without one. Case
        # sensitive: "a close friend" is not a street.
        PatternRecognizer(
            supported_entity=_found(Kind.ADDRESS),
            patterns=[
                Pattern(
                    "house and street",
                    rf"\b(?:Flat\s+\d+[A-Za-z]?,?\s+)?\d{{1,4}}[A-Za-z]?,?\s+(?:{CAPITALISED}\s+){{1,3}}{STREET_WORDS}\b",
                    0.6,
                )
            ],
            global_regex_flags=CASE_SENSITIVE,
        ),
        PatternRecognizer(
            supported_entity=_found(Kind.STREET),
            patterns=[
                Pattern(
                    "street",
                    rf"\b(?:{CAPITALISED}\s+){{1,2}}(?:Road|Street|Avenue|Lane|Close|Crescent|Terrace|Grove|Gardens|Drive|Mews|Way|Walk|Rise|Parade)\b",
                    0.5,
                )
            ],
            global_regex_flags=CASE_SENSITIVE,
        ),
        PatternRecognizer(
            supported_entity=_found(Kind.SCHOOL),
            patterns=[
                Pattern(
                    "school",
                    rf"\b(?:St\.?\s+)?(?:{CAPITALISED}\s+){{1,4}}(?:Primary School|Primary|Infant School|Infants|Junior School|Juniors|High School|Academy|School|College|Nursery|Pre-School)\b",
                    0.5,
                )
            ],
            global_regex_flags=CASE_SENSITIVE,
        ),
        # Names the records do not hold: after a title, or after a word for a relation
        # ("her boyfriend Jay", "a man called Dean"). Without a statistical model these
        # cues find most of the names practitioners write.
        PatternRecognizer(
            supported_entity=_found(Kind.NAME),
            patterns=[
                Pattern(
                    "title and name",
                    rf"\b(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof)\.?\s+{CAPITALISED}(?:\s+{CAPITALISED})?",
                    0.6,
                ),
                Pattern(
                    "relation and name",
                    rf"(?<=\b(?i:{RELATIONS})(?:['’]s)?,?\s+){CAPITALISED}(?:\s+(?!(?:and|or|who|was|is|has|had)\b){CAPITALISED})?",
                    0.5,
                ),
            ],
            global_regex_flags=CASE_SENSITIVE,
        ),
    ]


@functools.cache
def analyzer() -> AnalyzerEngine:
    """The analyser with the pattern recognisers, built on first use and kept."""
    registry = RecognizerRegistry(supported_languages=["en"])
    for recognizer in _pattern_recognizers():
        registry.add_recognizer(recognizer)
    return AnalyzerEngine(
        registry=registry, nlp_engine=BlankEnglishNlpEngine(), supported_languages=["en"]
    )


@functools.cache
def _anonymizer() -> AnonymizerEngine:
    return AnonymizerEngine()  # type: ignore[no-untyped-call]


# --- Known identifiers as patterns --------------------------------------------------


def _letters(term: str) -> str:
    """`term` as a regex that also accepts it without accents ("Zoë", "Zoe"), with either
    apostrophe ("O'Brien", "O’Brien") and with any run of spaces between words."""
    out: list[str] = []
    for char in term:
        if char.isspace():
            if not out or out[-1] != r"\s+":
                out.append(r"\s+")
        elif char in "'’":
            out.append("['’]")
        else:
            base = unicodedata.normalize("NFKD", char)[0]
            out.append(f"[{re.escape(char)}{re.escape(base)}]" if base != char else re.escape(char))
    return "".join(out)


def _name_terms(name: str) -> list[str]:
    """A name and each of its parts: "Helen Smith-Jones" gives the whole, "Helen",
    "Smith-Jones", "Smith" and "Jones". An initial is too short to take out alone."""
    name = " ".join(name.split())
    terms = [name]
    for word in name.split(" "):
        terms.append(word)
        terms.extend(part for part in word.split("-") if part != word)
    seen: dict[str, None] = {}
    for term in terms:
        if len(term.strip(".")) >= 2:
            seen.setdefault(term, None)
    return list(seen)


def _name_pattern(term: str) -> str:
    pattern = _letters(term)
    if term.lower() in STOP_WORDS:
        # A name that is also a common word ("May", "Will", "Grace" is not, "Bill" is
        # not): only with its capital, so "she may be at risk" keeps its "may".
        pattern = f"(?-i:{_letters(term[:1].upper() + term[1:])}|{_letters(term.upper())})"
    # "the Smiths": the family, by a plural s.
    return rf"(?<!\w){pattern}s?(?!\w)"


MONTH_NAMES = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


def _date_patterns(value: str) -> list[str]:
    try:
        born = dt.date.fromisoformat(value.strip())
    except ValueError:
        return [rf"(?<!\w){_letters(value.strip())}(?!\w)"] if value.strip() else []
    d, m, y = born.day, born.month, born.year
    day, month = f"0?{d}", f"0?{m}"
    year = f"(?:{y}|{y % 100:02d})"
    sep = r"\s?[/.\-]\s?"
    full = MONTH_NAMES[m - 1]
    short = full[:3] + ("t?" if m == 9 else "")
    month_word = f"(?:{full}|{short}\\.?)"
    ordinal = f"{d}(?:st|nd|rd|th)?"
    return [
        rf"(?<!\d){day}{sep}{month}{sep}{year}(?!\d)",
        rf"(?<!\d){y}{sep}{month}{sep}{day}(?!\d)",
        rf"(?<!\d){ordinal}\s+(?:of\s+)?{month_word},?\s+{year}(?!\d)",
        rf"\b{month_word}\s+{ordinal},?\s+{year}(?!\d)",
    ]


def _digits_pattern(digits: str) -> str:
    """Digits written with any spaces, hyphens or dots between them."""
    return r"[\s\-.]?".join(digits)


def _phone_patterns(value: str) -> list[str]:
    digits = re.sub(r"\D", "", value)
    if len(digits) < 6:
        return []
    if digits.startswith("44"):
        national = "0" + digits[2:]
    elif digits.startswith("0044"):
        national = "0" + digits[4:]
    else:
        national = digits
    if not national.startswith("0"):
        return [rf"(?<!\d){_digits_pattern(national)}(?!\d)"]
    rest = r"[\s\-.)]{0,2}".join(national[1:])
    prefix = r"(?:(?:\+|00)\s?44[\s\-.]*(?:\(0\)[\s\-.]*)?|\(?0[\s\-.)]{0,2})"
    return [rf"(?<![\d+]){prefix}{rest}(?!\d)"]


def _address_terms(value: str) -> tuple[list[str], list[str]]:
    """The parts of an address worth taking out, and the streets in it. The last part is
    the town, kept: it identifies nobody and tells the lead which local services apply."""
    parts = [p.strip() for p in re.split(r"[\n,]", value) if p.strip()]
    parts = [p for p in parts if not re.fullmatch(r"[A-Za-z]{1,2}\d[A-Za-z\d]?\s*\d[A-Za-z]{2}", p)]
    if len(parts) > 1:
        parts = parts[:-1]
    streets = []
    for part in parts:
        match = re.fullmatch(
            r"(?:(?:flat|apartment|unit)\s+\w+\s+)?\d+[A-Za-z]?\s+(.+)", part, re.I
        )
        if match:
            streets.append(match.group(1))
    return [p for p in parts if len(p) >= 3], streets


def _known_patterns(identifier: Identifier) -> list[tuple[Kind, str]]:
    """The (kind, regex) pairs that find `identifier` in a text."""
    value = identifier.value.strip()
    if not value:
        return []
    kind = identifier.kind
    if kind == Kind.NAME:
        return [(kind, _name_pattern(term)) for term in _name_terms(value)]
    if kind == Kind.DATE_OF_BIRTH:
        return [(kind, p) for p in _date_patterns(value)]
    if kind in (Kind.NHS_NUMBER, Kind.UPN):
        compact = re.sub(r"[\s\-]", "", value)
        return [(kind, rf"(?<!\w){_digits_pattern(compact)}(?!\w)")]
    if kind == Kind.PHONE_NUMBER:
        return [(kind, p) for p in _phone_patterns(value)]
    if kind == Kind.POSTCODE:
        compact = re.sub(r"\s", "", value)
        return [(kind, rf"(?<!\w){re.escape(compact[:-3])}\s*{re.escape(compact[-3:])}(?!\w)")]
    if kind == Kind.ADDRESS:
        parts, streets = _address_terms(value)
        found = [(Kind.ADDRESS, rf"(?<!\w){_letters(p)}(?!\w)") for p in parts]
        return found + [(Kind.STREET, rf"(?<!\w){_letters(s)}(?!\w)") for s in streets]
    if kind == Kind.EMAIL:
        return [(kind, rf"(?<![\w.+\-]){re.escape(value)}(?![\w\-])")]
    return [(kind, rf"(?<!\w){_letters(value)}(?!\w)")]


@dataclass(frozen=True)
class _Meaning:
    """What an ad hoc recogniser's entity stands for."""

    kind: Kind
    key: str
    order: int
    known: bool


def _ad_hoc_recognizers(
    identifiers: Sequence[Identifier], prefix: str = KNOWN_PREFIX
) -> tuple[list[EntityRecognizer], dict[str, _Meaning]]:
    """One recogniser per (kind, group) of `identifiers`, and what each entity means: the
    kind, the key its label is numbered by and its place in the list."""
    by_entity: dict[str, list[str]] = {}
    meaning: dict[str, _Meaning] = {}
    numbers: dict[str, int] = {}
    for identifier in identifiers:
        key = identifier.group or _normalised(identifier.value)
        for kind, regex in _known_patterns(identifier):
            # The entity is named by a number, never by the identifier: Presidio logs
            # entity names, and a log must not hold a name or an address.
            entity = f"{prefix}_{kind.name}_{numbers.setdefault(key, len(numbers))}"
            if entity not in meaning:
                meaning[entity] = _Meaning(kind, key, len(meaning), prefix == KNOWN_PREFIX)
            by_entity.setdefault(entity, []).append(regex)
    recognizers: list[EntityRecognizer] = [
        PatternRecognizer(
            supported_entity=entity,
            name=entity,
            patterns=[Pattern(f"{entity}_{i}", regex, 1.0) for i, regex in enumerate(regexes)],
        )
        for entity, regexes in by_entity.items()
    ]
    return recognizers, meaning


def _normalised(text: str) -> str:
    return " ".join(re.sub(r"['’]s\b", "", text).lower().split())


TITLE = re.compile(r"^(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof)\.?\s+")


# --- Redaction -----------------------------------------------------------------------


@dataclass(frozen=True)
class _Span:
    kind: Kind
    start: int
    end: int
    key: str
    known: bool
    # The place of the identifier in the list given: where two people share a surname,
    # the surname alone is labelled as the first of them (the person the case is about).
    order: int = 0

    @property
    def length(self) -> int:
        return self.end - self.start

    def overlaps(self, other: _Span) -> bool:
        return self.start < other.end and other.start < self.end

    def contains(self, other: _Span) -> bool:
        return self.start <= other.start and other.end <= self.end


def _choose(candidates: Iterable[_Span]) -> list[_Span]:
    """The spans to replace, none overlapping. What the records hold comes first, longest
    first, so a person keeps one label however they are written. A pattern's finding
    then joins where it overlaps nothing; where it is not a name and is longer than the
    known spans it covers, it replaces them (an email address holding the person's name
    goes whole). A titled name over a known name ("Dr Helen Smith") keeps the known label."""
    spans = sorted(candidates, key=lambda s: (not s.known, -s.length, s.order, s.start))
    chosen: list[_Span] = []
    for span in spans:
        clashes = [c for c in chosen if c.overlaps(span)]
        if not clashes:
            chosen.append(span)
        elif (
            not span.known
            and span.kind != Kind.NAME
            and all(span.contains(c) and c.length < span.length for c in clashes)
        ):
            chosen = [c for c in chosen if c not in clashes] + [span]
    return sorted(chosen, key=lambda s: s.start)


SCORE_THRESHOLD = 0.35


def _spans(text: str, identifiers: Sequence[Identifier], prefix: str, found: bool) -> list[_Span]:
    recognizers, meaning = _ad_hoc_recognizers(identifiers, prefix)
    if not recognizers and not found:
        return []
    results = analyzer().analyze(
        text=text,
        language="en",
        # The pattern recognisers run once; the second pass runs only its own.
        entities=None if found else list(meaning),
        ad_hoc_recognizers=recognizers or None,
        score_threshold=SCORE_THRESHOLD,
    )
    spans = []
    for result in results:
        entity = result.entity_type
        if entity in meaning:
            m = meaning[entity]
            spans.append(_Span(m.kind, result.start, result.end, m.key, m.known, m.order))
        elif entity.startswith(FOUND_PREFIX + "_"):
            kind = Kind[entity.removeprefix(FOUND_PREFIX + "_")]
            key = _normalised(text[result.start : result.end])
            spans.append(_Span(kind, result.start, result.end, f"found:{key}", False))
    return spans


def redact(text: str, identifiers: Sequence[Identifier] = ()) -> Redaction:
    """`text` with every known identifier in `identifiers`, and whatever the pattern
    recognisers find, replaced by its label ("[NAME 1]", "[DATE OF BIRTH]"). The same
    identifier has the same label throughout the text; numbers follow the order in which
    people and places first appear."""
    if not text.strip():
        return Redaction(text=text, replacements=())
    known = [
        Identifier(i.kind, i.value, f"known:{i.group or _normalised(i.value)}") for i in identifiers
    ]
    candidates = _spans(text, known, KNOWN_PREFIX, found=True)
    # A name a pattern found ("her boyfriend Dean Walker") is looked for again alone, so
    # that "Dean" two lines on is taken out too, with the same label.
    echoes = {
        span.key: Identifier(Kind.NAME, TITLE.sub("", text[span.start : span.end]), span.key)
        for span in candidates
        if span.kind == Kind.NAME and not span.known
    }
    if echoes:
        candidates += _spans(text, list(echoes.values()), ECHO_PREFIX, found=False)
    chosen = _choose(candidates)
    numbers: dict[tuple[str, str], int] = {}
    replacements = []
    for span in chosen:
        base = LABELS[span.kind]
        if span.kind in NUMBERED:
            number = numbers.setdefault(
                (base, span.key), 1 + sum(1 for b, _ in numbers if b == base)
            )
            label = f"[{base} {number}]"
        else:
            label = f"[{base}]"
        replacements.append(
            Replacement(
                kind=span.kind,
                label=label,
                start=span.start,
                end=span.end,
                original=text[span.start : span.end],
                known=span.known,
            )
        )
    anonymised = _anonymizer().anonymize(
        text=text,
        analyzer_results=[
            AnonymizerResult(entity_type=r.label, start=r.start, end=r.end, score=1.0)
            for r in replacements
        ],
        operators={
            r.label: OperatorConfig("replace", {"new_value": r.label}) for r in replacements
        },
    )
    return Redaction(text=anonymised.text, replacements=tuple(replacements))
