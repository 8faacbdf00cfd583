"""Build a realistic partnership on PostgreSQL, for the benchmarks of performance at scale.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sharewise_scale \\
        uv run python benchmarks/generate.py [--scale 1.0] [--create] [--replace] [--seed 6]

At --scale 1 (the default): 50 agencies, 5,000 practitioners (and a safeguarding lead, a
manager and an auditor in each agency), 200,000 people and 1,000,000 decisions, with the
consent records, disclosures and disclosure items they go with, and the audit entries all
of it implies, in one hash chain that `sharewise audit verify` accepts. --scale 0.01 is a
quick run (the agencies stay 50; practitioners are never fewer than 100).

The database is the one DATABASE_URL names. It must not exist (give --create), or be
empty, or have been made by this script (give --replace to drop and make it again): a
database holding anything else is refused. The encryption keys of the free-text columns
and the audit signing key live in the data directory printed at the end (SHAREWISE_DATA_DIR
if set, else one per database under the system's temporary folder); serve or benchmark the
database with that same SHAREWISE_DATA_DIR, or its encrypted columns cannot be read.

How it is fast: every table is written with COPY (psycopg 3 `cursor.copy`), in id order,
in chunks of time; the pack's answers, outcome and trace are worked out by the engine once
per path through each pack and reused; the audit chain is hashed with the core's own
functions (`guidance.audit_chain`) as the rows are written, so the chain and the head are
exactly what `audit_append` would have made had each entry been appended in turn.
"""

from __future__ import annotations

import argparse
import bisect
import datetime as dt
import heapq
import json
import math
import os
import random
import sys
import tempfile
import time
import uuid
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]

# The marker that a database was made here: a table of this script's own, outside Django's
# models, holding the scale and the seed.
MARKER_TABLE = "sharewise_generated"
# Tables that hold case records or accounts: a database with rows in any of them and no
# marker is somebody's data, and is refused.
GUARDED_TABLES = (
    "auth_user",
    "agencies_agency",
    "people_person",
    "decisions_decision",
    "audit_auditentry",
)

FULL = {"practitioners": 5000, "people": 200_000, "decisions": 1_000_000}
AGENCY_COUNT = 50
YEARS = 5
DECISIONS_PER_CHUNK = 25_000
# The most decisions about one person: a long-running case, reviewed for years.
MOST_DECISIONS = 600
DAY = 86400.0

# ----------------------------------------------------------------------------------------
# The partnership: who the agencies are, and how big.

# (kind, how many, relative size, share of its people who are adults)
AGENCY_MIX = [
    ("school", 20, 1.0, 0.0),
    ("early_years", 3, 0.5, 0.0),
    ("gp_practice", 8, 1.5, 0.5),
    ("hospital_trust", 2, 4.0, 0.45),
    ("health_visiting", 1, 2.0, 0.0),
    ("childrens_social_care", 2, 6.0, 0.0),
    ("adult_social_care", 1, 3.0, 1.0),
    ("police", 2, 6.0, 0.4),
    ("probation", 1, 2.0, 1.0),
    ("youth_offending", 1, 1.5, 0.1),
    ("housing", 2, 1.5, 0.6),
    ("voluntary", 7, 0.7, 0.3),
]
PLACES = [
    "Riverside",
    "Northtown",
    "Eastfield",
    "Westbrook",
    "Southmere",
    "Oakley",
    "Ashford",
    "Brookside",
    "Hillcrest",
    "Meadowbank",
    "Kingsway",
    "Millbrook",
    "Fairview",
    "Greenhill",
    "Lakeside",
    "Stonebridge",
    "Elmwood",
    "Highfield",
    "Parkside",
    "Woodlands",
    "Castlegate",
    "Marshfield",
    "Redhill",
    "Thornbury",
    "Willowdale",
]
KIND_NAMES = {
    "school": ["{} Primary School", "{} Academy", "{} High School"],
    "early_years": ["{} Nursery"],
    "gp_practice": ["{} GP Practice", "{} Medical Centre"],
    "hospital_trust": ["{} Hospitals NHS Trust"],
    "health_visiting": ["{} Health Visiting Service"],
    "childrens_social_care": ["{} Children's Social Care"],
    "adult_social_care": ["{} Adult Social Care"],
    "police": ["{} Police"],
    "probation": ["{} Probation Service"],
    "youth_offending": ["{} Youth Justice Service"],
    "housing": ["{} Housing Association"],
    "voluntary": ["{} Family Support", "{} Young Carers", "{} Women's Aid", "{} Youth Club"],
}
# Where each kind of agency mostly shares with (the rest goes anywhere in the partnership).
SHARES_WITH = {
    "school": ["childrens_social_care", "police", "health_visiting", "school"],
    "early_years": ["childrens_social_care", "health_visiting"],
    "gp_practice": ["childrens_social_care", "adult_social_care", "hospital_trust", "police"],
    "hospital_trust": ["childrens_social_care", "adult_social_care", "gp_practice"],
    "health_visiting": ["childrens_social_care", "gp_practice", "early_years"],
    "childrens_social_care": ["police", "school", "gp_practice", "health_visiting"],
    "adult_social_care": ["police", "gp_practice", "housing", "hospital_trust"],
    "police": ["childrens_social_care", "adult_social_care", "probation", "school"],
    "probation": ["police", "housing", "adult_social_care"],
    "youth_offending": ["police", "childrens_social_care", "school"],
    "housing": ["adult_social_care", "police", "childrens_social_care"],
    "voluntary": ["childrens_social_care", "adult_social_care", "police"],
}
GIVEN_NAMES = [
    "Oliver",
    "Amelia",
    "George",
    "Isla",
    "Harry",
    "Ava",
    "Noah",
    "Mia",
    "Jack",
    "Ivy",
    "Leo",
    "Lily",
    "Arthur",
    "Freya",
    "Muhammad",
    "Florence",
    "Oscar",
    "Willow",
    "Charlie",
    "Emily",
    "Theo",
    "Sophia",
    "Henry",
    "Grace",
    "Alfie",
    "Evie",
    "Jacob",
    "Poppy",
    "Thomas",
    "Ella",
    "Archie",
    "Rosie",
    "Joshua",
    "Daisy",
    "James",
    "Chloe",
    "William",
    "Sienna",
    "Isaac",
    "Aisha",
    "Ethan",
    "Zara",
    "Mason",
    "Maya",
    "Lucas",
    "Ruby",
    "Adam",
    "Hannah",
    "Ibrahim",
    "Fatima",
    "Daniel",
    "Layla",
    "Samuel",
    "Ellie",
    "Joseph",
    "Megan",
    "Dylan",
    "Jessica",
    "Ryan",
    "Holly",
    "Kai",
    "Amira",
    "Tyler",
    "Leah",
]
FAMILY_NAMES = [
    "Smith",
    "Jones",
    "Taylor",
    "Brown",
    "Williams",
    "Wilson",
    "Johnson",
    "Davies",
    "Patel",
    "Robinson",
    "Wright",
    "Thompson",
    "Evans",
    "Walker",
    "White",
    "Roberts",
    "Green",
    "Hall",
    "Thomas",
    "Clarke",
    "Jackson",
    "Wood",
    "Harris",
    "Edwards",
    "Turner",
    "Martin",
    "Cooper",
    "Hill",
    "Ward",
    "Hughes",
    "Moore",
    "Clark",
    "King",
    "Harrison",
    "Lewis",
    "Baker",
    "Lee",
    "Allen",
    "Morris",
    "Khan",
    "Scott",
    "Watson",
    "Davis",
    "Parker",
    "James",
    "Bennett",
    "Young",
    "Phillips",
    "Richardson",
    "Mitchell",
    "Bailey",
    "Carter",
    "Cook",
    "Singh",
    "Shaw",
    "Bell",
    "Collins",
    "Morgan",
    "Kelly",
    "Begum",
    "Miller",
    "Cox",
    "Hussain",
    "Marshall",
    "Simpson",
    "Price",
    "Anderson",
    "Adams",
    "Wilkinson",
    "Ali",
    "Ahmed",
    "Foster",
    "Ellis",
    "Murphy",
    "Chapman",
    "Mason",
    "Gray",
    "Richards",
    "Webb",
    "Griffiths",
    "Hunt",
    "Palmer",
    "Campbell",
    "Holmes",
    "Mills",
    "Rogers",
    "Barnes",
    "Knight",
    "Matthews",
]
STREETS = [
    "High Street",
    "Church Road",
    "Station Road",
    "Park Avenue",
    "Mill Lane",
    "Victoria Road",
    "Green Lane",
    "Manor Road",
    "Kings Road",
    "The Crescent",
]

# ----------------------------------------------------------------------------------------
# What the decisions are about, and the free text recorded with them.

PURPOSES = [
    "Refer concerns about bruising to children's social care",
    "Share attendance concerns with the education welfare service",
    "Tell the GP about a disclosure of domestic abuse at home",
    "Share a missing episode with the police missing persons unit",
    "Ask health visiting to follow up concerns about neglect",
    "Share risk information for a strategy discussion",
    "Refer self-neglect concerns to adult social care",
    "Share concerns about exploitation with the youth justice service",
    "Pass on a housing officer's concerns about the home conditions",
    "Share information for a multi-agency risk assessment conference",
    "Respond to a request for information for a child protection conference",
    "Share a change of address with the allocated social worker",
]
INFORMATION_KINDS = [
    "attendance record",
    "injuries seen",
    "what the child said",
    "home conditions",
    "health information",
    "contact with the police",
    "missing episodes",
    "school reports",
    "the family's address",
    "parent's mental health",
]
REASON_TEXTS = {
    "public_interest": [
        "The risk of harm to the child outweighs the family's interest in confidentiality; "
        "the bruising pattern is consistent with non-accidental injury.",
        "Sharing is needed to protect the child from significant harm; the information is "
        "limited to what the receiving agency needs to assess risk.",
        "The concerns are not yet serious enough to override the parents' refusal; we will "
        "monitor and review at the next team meeting.",
    ],
    "lawful_basis": [
        "Safeguarding of children and individuals at risk (DPA 2018 Schedule 1 para 18): "
        "consent would prejudice the protection the child needs.",
        "Our statutory duty under the Children Act 1989 s47 enquiries.",
        "Public task: the local authority's safeguarding functions.",
    ],
}
PROPORTIONALITY_TEXTS = [
    ("Is sharing proportionate to the risk?", "Yes: only the injuries and the dates seen."),
    ("Could the purpose be met without identifying the person?", "No: the referral needs it."),
    ("Is the information accurate and up to date?", "Yes: recorded the day it was observed."),
]
NOT_TOLD_REASONS = [
    "Telling the mother would put the child at increased risk before the strategy meeting.",
    "The police asked us not to tell him while the investigation is live.",
]
ADVICE_TEXTS = [
    "Refer to children's social care today and record the reasons for not seeking consent.",
    "Share only the attendance pattern; the health information is not needed.",
    "Seek the young person's view first, then share if the risk remains.",
]
NOTE_TEXTS = [
    "Mother to be told after the referral is made.",
    "Discussed at supervision; agreed to review in two weeks.",
    "Class teacher informed of the outcome.",
    "Telephone referral followed up in writing the same day.",
]
ITEM_TEXTS = [
    ("fact", "Bruising seen on the upper arm during PE; the child said she fell over."),
    ("fact", "Attendance this term is 71 per cent, with eleven unexplained absences."),
    ("opinion", "In my view the home conditions have deteriorated since the last visit."),
    ("fact", "Reported missing overnight and found by the police the next morning."),
    ("opinion", "The young person appeared withdrawn and anxious when asked about home."),
    ("fact", "Seen at the emergency department with a head injury on the date given."),
    ("fact", "Mother disclosed that her partner has been violent towards her."),
]
ITEM_SOURCES = [
    "Class teacher's record",
    "Attendance register",
    "Home visit notes",
    "Police incident log",
    "Emergency department notes",
    "Health visitor's record",
]
CHANNEL_DETAILS = {
    "secure_email": "referrals@{}.example.gov.uk",
    "meeting": "Strategy meeting, {}",
    "phone": "",
    "sharewise": "",
}

# The proportion of decisions by outcome and basis, as a partnership's records might show:
# most decisions share, most of them without consent on a safeguarding basis; a good many
# decide not to share, or to seek consent or advice first. Classes a pack cannot reach are
# left out and the rest weighed up again.
OUTCOME_MIX = {
    ("share", "consent"): 24.0,
    ("share", "safeguarding"): 20.0,
    ("share", "public_interest"): 20.0,
    ("share", "public_task"): 9.0,
    ("share", "legal_obligation"): 5.0,
    ("share", "vital_interests"): 2.5,
    ("share", "recognised_legitimate_interest"): 3.0,
    ("share", "anonymised"): 1.5,
    ("share", "not_confidential"): 2.0,
    ("must_share", "legal_obligation"): 6.0,
    ("do_not_share", None): 12.0,
    ("seek_consent", None): 7.0,
    ("seek_advice", None): 5.0,
}
# How likely each answer is, next to the others of its question: "unsure" is rare.
ANSWER_WEIGHT = {"unsure": 0.05, "cannot_be_obtained": 0.3, "withdrawn": 0.2, "court_order": 0.2}
SHARING = ("share", "must_share")


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="1 is the full size")
    parser.add_argument("--seed", type=int, default=6)
    parser.add_argument("--create", action="store_true", help="create the database if missing")
    parser.add_argument(
        "--replace", action="store_true", help="drop and make again a database this script made"
    )
    args = parser.parse_args(argv)
    if not 0 < args.scale <= 1:
        parser.error("--scale must be more than 0 and at most 1")
    return args


def data_dir_for(database_url: str) -> Path:
    """Where the keys of a generated database live: SHAREWISE_DATA_DIR when set, else one
    folder per database name, so that the benchmarks find the keys the data was made with."""
    configured = os.environ.get("SHAREWISE_DATA_DIR", "").strip()
    if configured:
        return Path(configured)
    name = urlsplit(database_url).path.lstrip("/")
    return Path(tempfile.gettempdir()) / "sharewise-generated" / name


def environment_for(database_url: str) -> dict[str, str]:
    """The environment a process needs to read a generated database."""
    data_dir = data_dir_for(database_url)
    return {
        "DATABASE_URL": database_url,
        "SHAREWISE_DATA_DIR": str(data_dir),
        "SHAREWISE_CACHE_DIR": str(data_dir / "cache"),
        "SHAREWISE_DEMO": "off",
    }


class Refused(Exception):
    """The database named is not one this script may write to."""


def _admin_url(url: str) -> str:
    return urlunsplit(urlsplit(url)._replace(path="/postgres"))


def prepare_database(url: str, *, create: bool, replace: bool) -> None:
    """Check that the database may be written, making it when asked (see the docstring)."""
    import psycopg
    from psycopg import sql

    name = urlsplit(url).path.lstrip("/")
    if not name or name in ("postgres", "template0", "template1"):
        raise Refused(f"DATABASE_URL must name a database of its own, not {name or 'none'}")
    with psycopg.connect(_admin_url(url), autocommit=True) as admin:
        exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists:
            state = _database_state(url)
            if state == "generated" and replace:
                admin.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name)))
                exists = None
            elif state == "generated":
                raise Refused(
                    f"{name} was made by this script already: give --replace to make it again"
                )
            elif state != "empty":
                raise Refused(
                    f"{name} holds data this script did not make ({state}); nothing was written"
                )
        if not exists:
            if not (create or replace):
                raise Refused(f"there is no database {name}: give --create to make it")
            admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def _database_state(url: str) -> str:
    import psycopg
    from psycopg import sql

    with psycopg.connect(url) as conn:
        tables = {
            row[0]
            for row in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"
            )
        }
        if MARKER_TABLE in tables:
            return "generated"
        for table in GUARDED_TABLES:
            if table in tables:
                has_rows = conn.execute(
                    sql.SQL("SELECT EXISTS (SELECT 1 FROM {})").format(sql.Identifier(table))
                ).fetchone()
                if has_rows and has_rows[0]:
                    return f"{table} has rows"
    return "empty"


# ----------------------------------------------------------------------------------------
# The paths through each pack, worked out once by the engine.


@dataclass(frozen=True)
class Path_:
    """One way of answering a pack's questions, with what the engine made of it."""

    pack_id: str
    outcome: str
    basis: str
    refer_now: bool
    inform_subject: str
    facts_draft: str  # JSON of every answer given
    facts_signed: str  # JSON of the answers the outcome rests on (decision_sign prunes)
    trace: str
    citations: str
    answered: tuple[str, ...]
    reasons: dict[str, str]
    consent: str | None
    adult: bool | None  # None when the path asks about neither a child nor an adult
    public_authority: str | None


@dataclass
class PackPaths:
    pack_id: str
    version: str
    hash: str
    # The days from which more answers are lawful (a basis enacted later: the pack's
    # `since`), in order; for each, by (adult, public authority), the paths open on and
    # after that day and their cumulative weights.
    eras: list[str] = field(default_factory=list)
    choices: dict[tuple[str, bool, bool], tuple[list[Path_], list[float]]] = field(
        default_factory=dict
    )

    def choose(self, day: str, adult: bool, public: bool, rng: random.Random) -> Path_:
        era = self.eras[max(0, bisect.bisect_right(self.eras, day) - 1)]
        chosen, cumulative = self.choices[(era, adult, public)]
        index = bisect.bisect(cumulative, rng.random() * cumulative[-1])
        return chosen[min(index, len(chosen) - 1)]


def _answer_weight(facts: dict[str, Any]) -> float:
    weight = 1.0
    for value in facts.values():
        if isinstance(value, list | tuple):
            # A list answer (the reasons not to seek consent): one reason is the usual.
            weight *= 1.0 if len(value) == 1 else 0.3
        else:
            weight *= ANSWER_WEIGHT.get(str(value), 1.0)
    return weight


def _lawful_from(pack: Any, facts: dict[str, Any]) -> str:
    """The first day a decision with these answers may be made under `pack`: the pack's
    commencement, or later where an answer is law enacted later (decide.in_force_check)."""
    day = pack.in_force_from.isoformat()
    for name, answer in facts.items():
        chosen = answer if isinstance(answer, list | tuple) else (answer,)
        for value, since in pack.facts[name].since:
            if value in chosen and since > day:
                day = since
    return str(day)


def pack_paths(pack_id: str, rng: random.Random) -> PackPaths:
    """Every way through `pack`, with the outcome `decide` gives it, weighted so that the
    outcomes come out in OUTCOME_MIX's proportions."""
    from sharewise.guidance.decide import decide
    from sharewise.guidance.packs import pack_get
    from sharewise.guidance.paths import walk

    pack = pack_get(pack_id)
    judgement_facts = {n.fact for n in pack.nodes.values() if n.kind == "judgement"}
    paths: list[tuple[Path_, float, str]] = []
    for facts, _ in walk([pack]):
        stored = {k: list(v) if isinstance(v, tuple) else v for k, v in facts.items()}
        reasons = {
            fact: rng.choice(REASON_TEXTS.get(fact, REASON_TEXTS["public_interest"]))
            for fact in stored
            if fact in judgement_facts
        }
        lawful_from = _lawful_from(pack, stored)
        # The outcome as decision_evaluate works it out: through the contract's `decide`,
        # on a day the answers are lawful, with the judgement's reasons.
        raw: dict[str, Any] = {"pack": pack_id, **stored, "date": lawful_from}
        if reasons:
            raw["reasons"] = reasons
        outcome = decide(raw)
        if outcome.outcome == "ask":
            continue
        used = [step.fact for step in outcome.trace]
        signed = {f: stored[f] for f in used if f in stored}
        adult = True if "adult_harm" in stored else False if "child_harm" in stored else None
        path = Path_(
            pack_id=pack_id,
            outcome=outcome.outcome,
            basis=outcome.basis or "",
            refer_now=outcome.refer_now,
            inform_subject=outcome.inform_subject or "",
            facts_draft=json.dumps(stored),
            facts_signed=json.dumps(signed),
            trace=json.dumps([step.as_json() for step in outcome.trace]),
            citations=json.dumps(list(outcome.citations)),
            answered=tuple(sorted(stored)),
            reasons=reasons,
            consent=stored.get("consent") if isinstance(stored.get("consent"), str) else None,
            adult=adult,
            public_authority=stored.get("public_authority"),
        )
        paths.append((path, _answer_weight(stored), lawful_from))
    result = PackPaths(pack_id, pack.version, pack.hash)
    result.eras = sorted({lawful for _, _, lawful in paths})
    for era in result.eras:
        for adult in (False, True):
            for public in (False, True):
                fitting = [
                    (p, w)
                    for p, w, lawful in paths
                    if lawful <= era
                    and p.adult in (None, adult)
                    and p.public_authority in (None, "yes" if public else "no")
                ]
                by_class: dict[tuple[str, str | None], float] = defaultdict(float)
                for p, w in fitting:
                    by_class[(p.outcome, p.basis or None)] += w
                chosen: list[Path_] = []
                cumulative: list[float] = []
                total = 0.0
                for p, w in fitting:
                    share = OUTCOME_MIX.get((p.outcome, p.basis or None), 0.5)
                    total += share * w / by_class[(p.outcome, p.basis or None)]
                    chosen.append(p)
                    cumulative.append(total)
                result.choices[(era, adult, public)] = (chosen, cumulative)
    return result


# ----------------------------------------------------------------------------------------
# Writing.


@dataclass
class Timer:
    started: float = field(default_factory=time.perf_counter)
    stages: list[tuple[str, float, str]] = field(default_factory=list)

    def stage(self, name: str, since: float, what: str = "") -> float:
        now = time.perf_counter()
        self.stages.append((name, now - since, what))
        print(f"  {name:34} {now - since:8.1f} s  {what}", flush=True)
        return now


def copy_rows(
    cursor: Any, table: str, columns: Sequence[str], rows: Iterator[Sequence[Any]]
) -> int:
    from psycopg import sql

    statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
        sql.Identifier(table), sql.SQL(", ").join(map(sql.Identifier, columns))
    )
    count = 0
    with cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row(row)
            count += 1
    return count


def utc(t: float) -> dt.datetime:
    return dt.datetime.fromtimestamp(t, dt.UTC)


def nhs_number(rng: random.Random) -> str:
    """A ten-digit NHS number with a valid modulus 11 check digit."""
    while True:
        digits = [rng.randrange(10) for _ in range(9)]
        digits[0] = rng.randrange(4, 7)
        total = sum(d * (10 - i) for i, d in enumerate(digits))
        check = 11 - total % 11
        if check == 11:
            check = 0
        if check != 10:
            return "".join(map(str, digits)) + str(check)


def upn(rng: random.Random) -> str:
    """A Unique Pupil Number with a valid check letter (people/identifiers.py upn_clean)."""
    letters = "ABCDEFGHJKLMNPQRTUVWXYZ"
    digits = "".join(str(rng.randrange(10)) for _ in range(12))
    total = sum(int(c) * position for position, c in enumerate(digits, start=2))
    return letters[total % 23] + digits


AUDIT_COLUMNS = (
    "id",
    "at",
    "actor_id",
    "actor_username",
    "verb",
    "object_type",
    "object_id",
    "target_type",
    "target_id",
    "agency_id",
    "request_id",
    "outcome",
    "details",
    "previous_hash",
    "entry_hash",
)


class AuditChain:
    """Entries in time order, each hashed after the one before, exactly as `audit_append`
    would have hashed them."""

    def __init__(self, next_id: int, head_hash: str) -> None:
        self.next_id = next_id
        self.head_hash = head_hash
        self.last_id: int | None = None
        self.pending: list[tuple[float, int, tuple[Any, ...]]] = []
        self.sequence = 0
        self.count = 0
        self.verbs: Counter[str] = Counter()
        self.hash_seconds = 0.0

    def add(
        self,
        t: float,
        actor: tuple[int, str] | None,
        verb: str,
        object_type: str,
        object_id: int,
        agency_id: int,
        target_person: int | None,
        details: dict[str, Any],
        request_id: str = "",
    ) -> None:
        self.sequence += 1
        event = (actor, verb, object_type, object_id, agency_id, target_person, details, request_id)
        heapq.heappush(self.pending, (t, self.sequence, event))

    def rows_before(self, boundary: float) -> Iterator[tuple[Any, ...]]:
        """Hash and yield, in time order, every pending entry before `boundary`."""
        from sharewise.guidance.audit_chain import canonical_bytes, entry_hash

        while self.pending and self.pending[0][0] < boundary:
            t, _, event = heapq.heappop(self.pending)
            actor, verb, object_type, object_id, agency_id, target, details, request_id = event
            at = utc(t)
            fields = {
                "at": at,
                "actor_id": actor[0] if actor else None,
                "actor_username": actor[1] if actor else "",
                "verb": verb,
                "object_type": object_type,
                "object_id": str(object_id),
                "target_type": "person" if target is not None else "",
                "target_id": str(target) if target is not None else "",
                "agency_id": agency_id,
                "request_id": request_id,
                "outcome": "ok",
                "details": details,
            }
            previous = self.head_hash
            hashing = time.perf_counter()
            self.head_hash = entry_hash(previous, canonical_bytes(fields))
            self.hash_seconds += time.perf_counter() - hashing
            entry_id = self.next_id
            self.next_id += 1
            self.last_id = entry_id
            self.count += 1
            self.verbs[verb] += 1
            yield (
                entry_id,
                at,
                fields["actor_id"],
                fields["actor_username"],
                verb,
                object_type,
                fields["object_id"],
                fields["target_type"],
                fields["target_id"],
                agency_id,
                request_id,
                "ok",
                json.dumps(details),
                previous,
                self.head_hash,
            )


class Generator:
    def __init__(self, args: argparse.Namespace, url: str) -> None:
        self.args = args
        self.url = url
        self.rng = random.Random(args.seed)
        self.scale = args.scale
        self.practitioner_count = max(100, round(FULL["practitioners"] * args.scale))
        self.people_count = max(50, round(FULL["people"] * args.scale))
        self.decision_count = max(200, round(FULL["decisions"] * args.scale))
        self.now = time.time() - 3600
        self.start = self.now - YEARS * 365.25 * DAY
        self.timer = Timer()
        self.request_bits = random.Random(args.seed + 1)
        self.copy_seconds: Counter[str] = Counter()

    def request_id(self) -> str:
        return str(uuid.UUID(int=self.request_bits.getrandbits(128), version=4))

    # ------------------------------------------------------------------ set-up
    def run(self) -> None:
        import psycopg

        print(
            f"Generating at scale {self.scale}: {AGENCY_COUNT} agencies, "
            f"{self.practitioner_count} practitioners, {self.people_count} people, "
            f"{self.decision_count} decisions",
            flush=True,
        )
        total = time.perf_counter()
        t = time.perf_counter()
        self.migrate()
        t = self.timer.stage("schema (migrate)", t)
        with psycopg.connect(self.url) as conn:
            self.conn = conn
            conn.execute(
                f"CREATE TABLE {MARKER_TABLE} (scale double precision, seed integer, "
                "started_at timestamptz DEFAULT now(), finished_at timestamptz)"
            )
            conn.execute(
                f"INSERT INTO {MARKER_TABLE} (scale, seed) VALUES (%s, %s)",
                [self.scale, self.args.seed],
            )
            conn.commit()
            head = conn.execute(
                "SELECT entry_id, entry_hash FROM audit_audithead WHERE id = 1"
            ).fetchone()
            last = conn.execute("SELECT coalesce(max(id), 0) FROM audit_auditentry").fetchone()
            assert head is not None and last is not None
            self.chain = AuditChain(int(last[0]) + 1, head[1])
            self.prepare_paths()
            t = self.timer.stage("engine paths through the packs", t)
            self.write_partnership()
            t = self.timer.stage(
                "agencies, users, memberships",
                t,
                f"{AGENCY_COUNT} agencies, {len(self.users)} users",
            )
            self.write_people()
            t = self.timer.stage("people", t, f"{self.people_count} rows")
            self.write_timeline()
            t = time.perf_counter()
            self.finish()
            t = self.timer.stage("sequences, audit head, checkpoint", t)
            # VACUUM as autovacuum would have long since done on a live database: it sets
            # the visibility map, without which no index-only scan is planned.
            conn.autocommit = True
            conn.execute("VACUUM ANALYZE")
            t = self.timer.stage("VACUUM ANALYZE", t)
        print(f"  {'total':34} {time.perf_counter() - total:8.1f} s", flush=True)

    def migrate(self) -> None:
        from django.core.management import call_command

        call_command("migrate", interactive=False, verbosity=0)
        from django.db import connections

        connections.close_all()

    def prepare_paths(self) -> None:
        from sharewise.guidance.choice import pack_choose

        # The pack in force on each day of the five years, for an agency in England (the
        # partnership's agencies all are), as decision_start would choose it.
        self.pack_by_day: dict[int, tuple[str, str]] = {}
        first_day = utc(self.start).date()
        last_day = utc(self.now).date()
        day = first_day
        while day <= last_day:
            choice = pack_choose(day=day, country="england", chosen="")
            self.pack_by_day[day.toordinal()] = (choice.pack_id, choice.reason)
            day += dt.timedelta(days=1)
        self.paths: dict[str, PackPaths] = {}
        for pack_id in sorted({p for p, _ in self.pack_by_day.values()}):
            self.paths[pack_id] = pack_paths(pack_id, random.Random(self.args.seed))

    def write_partnership(self) -> None:
        from django.contrib.auth.hashers import make_password

        rng = self.rng
        cur = self.conn.cursor()
        created = utc(self.start - 30 * DAY)
        self.agencies: list[dict[str, Any]] = []
        names: set[str] = set()
        places = list(PLACES)
        rng.shuffle(places)
        place_at = 0
        for kind, count, size, adults in AGENCY_MIX:
            for _ in range(count):
                while True:
                    template = rng.choice(KIND_NAMES[kind])
                    name = template.format(places[place_at % len(places)])
                    place_at += 1
                    if name not in names:
                        break
                names.add(name)
                self.agencies.append(
                    {
                        "id": len(self.agencies) + 1,
                        "name": name,
                        "kind": kind,
                        "size": size * rng.uniform(0.6, 1.4),
                        "adults": adults,
                        "public_authority": kind != "voluntary",
                    }
                )
        assert len(self.agencies) == AGENCY_COUNT
        copy_rows(
            cur,
            "agencies_agency",
            ("id", "name", "kind", "code", "created_at", "country", "pack_id", "public_authority"),
            (
                (
                    a["id"],
                    a["name"],
                    a["kind"],
                    f"ORG{a['id']:04d}",
                    created,
                    "england",
                    "",
                    a["public_authority"],
                )
                for a in self.agencies
            ),
        )
        copy_rows(
            cur,
            "agencies_team",
            ("id", "name", "agency_id"),
            ((a["id"], "Safeguarding team", a["id"]) for a in self.agencies),
        )
        # One password hash for every account, made once (as the demo loader does): the
        # accounts are for the benchmarks, which sign in by session or token.
        password = make_password("generated-partnership-password")
        sizes = [a["size"] for a in self.agencies]
        total_size = sum(sizes)
        per_agency = [max(1, round(self.practitioner_count * s / total_size)) for s in sizes]
        while sum(per_agency) > self.practitioner_count:
            per_agency[per_agency.index(max(per_agency))] -= 1
        while sum(per_agency) < self.practitioner_count:
            per_agency[rng.randrange(len(per_agency))] += 1
        self.users: list[tuple[int, str, int, str]] = []  # id, username, agency id, role
        self.practitioners: dict[int, list[tuple[int, str]]] = defaultdict(list)
        self.leads: dict[int, tuple[int, str]] = {}
        for agency, count in zip(self.agencies, per_agency, strict=True):
            staff = [("practitioner", "") for _ in range(count)]
            staff += [
                ("safeguarding_lead", "dsl" if agency["kind"] == "school" else "named_nurse"),
                ("manager", ""),
                ("auditor", ""),
            ]
            for role, _ in staff:
                user_id = len(self.users) + 1
                username = f"{role.split('_')[0]}{user_id:05d}"
                self.users.append((user_id, username, agency["id"], role))
                if role == "practitioner":
                    self.practitioners[agency["id"]].append((user_id, username))
                elif role == "safeguarding_lead":
                    self.leads[agency["id"]] = (user_id, username)
        admin_id = len(self.users) + 1
        self.users.append(
            (admin_id, "partnership_admin", self.agencies[0]["id"], "partnership_admin")
        )
        copy_rows(
            cur,
            "auth_user",
            (
                "id",
                "password",
                "is_superuser",
                "username",
                "first_name",
                "last_name",
                "email",
                "is_staff",
                "is_active",
                "date_joined",
            ),
            (
                (
                    uid,
                    password,
                    False,
                    username,
                    rng.choice(GIVEN_NAMES),
                    rng.choice(FAMILY_NAMES),
                    f"{username}@example.org",
                    False,
                    True,
                    created,
                )
                for uid, username, _, _ in self.users
            ),
        )
        copy_rows(
            cur,
            "accounts_profile",
            ("id", "is_demo", "user_id"),
            ((uid, False, uid) for uid, _, _, _ in self.users),
        )
        copy_rows(
            cur,
            "agencies_membership",
            ("id", "role", "lead_title", "created_at", "agency_id", "user_id", "team_id"),
            (
                (
                    uid,
                    role,
                    ("dsl" if role == "safeguarding_lead" else ""),
                    created,
                    agency_id,
                    uid,
                    agency_id if role != "partnership_admin" else None,
                )
                for uid, _, agency_id, role in self.users
            ),
        )
        # Everyone whose role shows identifiable data has set up an authenticator app, as a
        # live partnership's staff must before the web or the API serves them (one secret
        # for all: nobody signs in to a generated partnership with a code).
        from allauth.mfa.adapter import get_adapter
        from allauth.mfa.totp.internal.auth import generate_totp_secret

        from sharewise.agencies.models import ROLES_SEEING_IDENTIFIABLE_DATA

        totp = json.dumps({"secret": get_adapter().encrypt(generate_totp_secret())})
        copy_rows(
            cur,
            "mfa_authenticator",
            ("id", "user_id", "type", "data", "created_at"),
            (
                (uid, uid, "totp", totp, created)
                for uid, _, _, role in self.users
                if role in ROLES_SEEING_IDENTIFIABLE_DATA
            ),
        )
        # account_create's entries: no actor, the new user, its agency and role.
        base = self.start - 30 * DAY
        for n, (uid, _, agency_id, role) in enumerate(self.users):
            self.chain.add(
                base + n, None, "account.create", "user", uid, agency_id, None, {"role": role}
            )
        self.write_audit(base + len(self.users) + 1)
        self.conn.commit()

    # ------------------------------------------------------------------ people
    def write_people(self) -> None:
        rng = self.rng
        n = self.people_count
        weights = [a["size"] for a in self.agencies]
        cumulative = []
        running = 0.0
        for w in weights:
            running += w
            cumulative.append(running)

        # Decisions per person: most have none or a few, a few have hundreds (a heavy tail:
        # Pareto, at most MOST_DECISIONS each), scaled to the total asked for.
        raw = [0.0 if rng.random() < 0.15 else rng.paretovariate(1.15) for _ in range(n)]
        factor = self.decision_count / sum(raw)
        counts = [
            min(MOST_DECISIONS, int(r * factor) + (1 if rng.random() < (r * factor) % 1 else 0))
            for r in raw
        ]
        difference = self.decision_count - sum(counts)
        while difference != 0:
            i = rng.randrange(n)
            if difference > 0 and raw[i] > 0 and counts[i] < MOST_DECISIONS:
                counts[i] += 1
                difference -= 1
            elif difference < 0 and counts[i] > 1:
                counts[i] -= 1
                difference += 1
        self.decisions_per_person = counts

        span = self.now - self.start
        people: list[
            tuple[float, int, int, float]
        ] = []  # created, agency index, decisions, case length
        for i in range(n):
            agency_index = bisect.bisect(cumulative, rng.random() * running)
            agency_index = min(agency_index, len(self.agencies) - 1)
            count = counts[i]
            # More records in later years: the service grows as agencies join.
            created = self.start + span * (rng.random() ** 0.8) * 0.98
            case = min(self.now - created - 1200, max(DAY, count * rng.expovariate(1 / (25 * DAY))))
            people.append((created, agency_index, count, case))
        people.sort()
        self.person_agency: list[int] = [0] * (n + 1)
        self.person_adult: list[bool] = [False] * (n + 1)
        self.person_care_order: list[bool] = [False] * (n + 1)
        self.person_age: list[int] = [0] * (n + 1)
        self.person_created: list[float] = [0.0] * (n + 1)
        self.decision_times: list[tuple[float, int]] = []
        creators: list[tuple[int, str]] = [(0, "")] * (n + 1)
        rows = []
        for pid, (created, agency_index, count, case) in enumerate(people, start=1):
            agency = self.agencies[agency_index]
            adult = rng.random() < agency["adults"]
            age = rng.randint(18, 92) if adult else rng.randint(0, 17)
            if agency["kind"] == "school":
                age = rng.randint(4, 17)
            elif agency["kind"] in ("early_years", "health_visiting"):
                age = rng.randint(0, 4)
            today = utc(created).date()
            born = today - dt.timedelta(days=age * 365 + rng.randrange(365))
            creator = rng.choice(self.practitioners[agency["id"]])
            creators[pid] = creator
            self.person_agency[pid] = agency["id"]
            self.person_adult[pid] = age >= 18
            self.person_age[pid] = age
            self.person_care_order[pid] = (not adult) and rng.random() < 0.04
            self.person_created[pid] = created
            for _ in range(count):
                self.decision_times.append((created + 600 + rng.random() * case, pid))
            unborn = age == 0 and rng.random() < 0.05
            rows.append(
                (
                    pid,
                    rng.choice(GIVEN_NAMES),
                    rng.choice(FAMILY_NAMES),
                    None if unborn else born,
                    today + dt.timedelta(days=rng.randint(20, 200)) if unborn else None,
                    nhs_number(rng) if rng.random() < 0.75 else "",
                    upn(rng) if agency["kind"] == "school" else "",
                    f"CR-{pid:07d}" if rng.random() < 0.5 else "",
                    f"{rng.randint(1, 200)} {rng.choice(STREETS)}, {rng.choice(PLACES)}",
                    f"XX{rng.randint(1, 30)} {rng.randint(1, 9)}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}",
                    self.person_care_order[pid],
                    utc(created),
                    agency["id"],
                    creator[0],
                )
            )
            self.chain.add(created, creator, "person.create", "person", pid, agency["id"], pid, {})
        copy_rows(
            self.conn.cursor(),
            "people_person",
            (
                "id",
                "given_name",
                "family_name",
                "date_of_birth",
                "expected_date_of_birth",
                "nhs_number",
                "upn",
                "case_reference",
                "address",
                "postcode",
                "care_order",
                "created_at",
                "agency_id",
                "created_by_id",
            ),
            iter(rows),
        )
        self.conn.commit()
        self.decision_times.sort()
        per_person = Counter(p for _, p in self.decision_times)
        most, most_count = per_person.most_common(1)[0]
        self.busiest = (most, most_count)

    # ------------------------------------------------------------------ the timeline
    def write_timeline(self) -> None:
        from sharewise.consents.models import ConsentRecord
        from sharewise.decisions.models import Decision
        from sharewise.disclosures.models import Disclosure, DisclosureItem

        def sealer(model: Any, name: str) -> Any:
            return model._meta.get_field(name).get_prep_value

        self.seal = {
            "reasons": sealer(Decision, "reasons"),
            "proportionality": sealer(Decision, "proportionality"),
            "person_not_told_reason": sealer(Decision, "person_not_told_reason"),
            "advice_given": sealer(Decision, "advice_given"),
            "notes": sealer(Decision, "notes"),
            "consent_notes": sealer(ConsentRecord, "notes"),
            "channel_details": sealer(Disclosure, "channel_details"),
            "identity_check": sealer(Disclosure, "identity_check"),
            "subject_told_how": sealer(Disclosure, "subject_told_how"),
            "item_text": sealer(DisclosureItem, "text"),
            "item_source": sealer(DisclosureItem, "source"),
        }
        self.seal_seconds = 0.0
        self.counts: Counter[str] = Counter()
        self.outcomes: Counter[tuple[str, str]] = Counter()
        self.next_id = {"decision": 1, "consent": 1, "disclosure": 1, "item": 1}
        self.agency_by_kind: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for a in self.agencies:
            self.agency_by_kind[a["kind"]].append(a)
        self.build_seconds = 0.0
        self.last_consent: dict[int, tuple[int, str]] = {}

        times = self.decision_times
        started = time.perf_counter()
        for begin in range(0, len(times), DECISIONS_PER_CHUNK):
            chunk = times[begin : begin + DECISIONS_PER_CHUNK]
            following = (
                times[begin + DECISIONS_PER_CHUNK][0]
                if begin + DECISIONS_PER_CHUNK < len(times)
                else None
            )
            self.rows: dict[str, list[tuple[Any, ...]]] = defaultdict(list)
            t = time.perf_counter()
            for when, pid in chunk:
                self.decision(when, pid)
            self.build_seconds += time.perf_counter() - t
            cur = self.conn.cursor()
            for table, columns, key in (
                ("consents_consentrecord", CONSENT_COLUMNS, "consent"),
                ("decisions_decision", DECISION_COLUMNS, "decision"),
                ("disclosures_disclosure", DISCLOSURE_COLUMNS, "disclosure"),
                ("disclosures_disclosureitem", ITEM_COLUMNS, "item"),
            ):
                t = time.perf_counter()
                copy_rows(cur, table, columns, iter(self.rows[key]))
                self.copy_seconds[key] += time.perf_counter() - t
            # Entries up to an hour before the next chunk's first decision are all known:
            # nothing in the next chunk happens earlier than that.
            self.write_audit(following - 3600 if following is not None else math.inf)
            self.conn.commit()
            done = begin + len(chunk)
            print(
                f"    {done:>9} decisions, {self.chain.count:>9} audit entries, "
                f"{time.perf_counter() - started:7.1f} s",
                flush=True,
            )
        t = time.perf_counter()
        elapsed = t - started
        audit_copy = self.copy_seconds["audit"]
        print(
            f"  {'decisions, consents, disclosures':34} {elapsed - audit_copy:8.1f} s  "
            f"{self.counts['decision']} decisions, {self.counts['consent']} consent records, "
            f"{self.counts['disclosure']} disclosures, {self.counts['item']} items "
            f"(building rows {self.build_seconds:.1f} s, of which encrypting {self.seal_seconds:.1f} s; "
            f"COPY {sum(v for k, v in self.copy_seconds.items() if k != 'audit'):.1f} s)",
            flush=True,
        )
        print(
            f"  {'audit entries':34} {audit_copy:8.1f} s  "
            f"{self.chain.count} entries (of which hashing {self.chain.hash_seconds:.1f} s)",
            flush=True,
        )
        self.timer.stages.append(("timeline", elapsed, ""))

    def write_audit(self, boundary: float) -> None:
        t = time.perf_counter()
        # The entries are hashed as COPY takes them: the time counted here includes the
        # hashing, which AuditChain also counts on its own.
        copy_rows(
            self.conn.cursor(), "audit_auditentry", AUDIT_COLUMNS, self.chain.rows_before(boundary)
        )
        self.copy_seconds["audit"] += time.perf_counter() - t

    def sealed(self, name: str, value: Any) -> str:
        t = time.perf_counter()
        result = self.seal[name](value)
        self.seal_seconds += time.perf_counter() - t
        return str(result)

    def path_for(self, pid: int, when: float) -> tuple[Path_, PackPaths, str]:
        day = utc(when).date()
        pack_id, reason = self.pack_by_day[day.toordinal()]
        paths = self.paths[pack_id]
        agency = self.agencies[self.person_agency[pid] - 1]
        path = paths.choose(
            day.isoformat(), self.person_adult[pid], agency["public_authority"], self.rng
        )
        return path, paths, reason

    def decision(
        self, when: float, pid: int, corrects: tuple[int, Path_, int] | None = None
    ) -> None:
        rng = self.rng
        agency_id = self.person_agency[pid]
        agency = self.agencies[agency_id - 1]
        author = rng.choice(self.practitioners[agency_id])
        if corrects is None:
            path, paths, pack_reason = self.path_for(pid, when)
        else:
            path = corrects[1]
            paths = self.paths[path.pack_id]
            pack_reason = self.pack_by_day[utc(when).date().toordinal()][1]
        decision_id = self.next_id["decision"]
        self.next_id["decision"] += 1
        self.counts["decision"] += 1
        purpose = rng.choice(PURPOSES)
        recipient_agency = self.recipient_for(agency)
        information = rng.sample(INFORMATION_KINDS, rng.randint(1, 3))
        chain = self.chain

        consent_source = None
        if corrects is None:
            chain.add(
                when - 40,
                author,
                "person.view",
                "person",
                pid,
                agency_id,
                pid,
                {},
                self.request_id(),
            )
            if path.consent in ("given", "refused", "withdrawn") and rng.random() < 0.7:
                consent_source = self.consent(
                    when, pid, agency_id, author, path, purpose, recipient_agency, information
                )
            chain.add(
                when,
                author,
                "decision.start",
                "decision",
                decision_id,
                agency_id,
                pid,
                {"pack": path.pack_id},
            )
        else:
            chain.add(
                when,
                author,
                "decision.correct",
                "decision",
                decision_id,
                agency_id,
                pid,
                {"corrects": corrects[0]},
            )

        # Answering takes a few minutes; the details and the signature follow, sometimes a
        # day or two later. Recent decisions are more often still drafts.
        answered = when + rng.uniform(120, 1500)
        age = self.now - when
        draft = (age < 14 * DAY and rng.random() < 0.35) or rng.random() < 0.015
        sharing = path.outcome in SHARING
        detail_fields: dict[str, str] = {}
        if sharing:
            detail_fields = self.details_for(path, rng)
        elif rng.random() < 0.3:
            detail_fields = {"notes": rng.choice(NOTE_TEXTS)}
        if rng.random() < 0.25:
            detail_fields["advice_from"] = "Designated safeguarding lead"
            detail_fields["advice_given"] = rng.choice(ADVICE_TEXTS)
        detailed = answered + rng.uniform(60, 900)
        signed = detailed + (
            rng.uniform(60, 600) if rng.random() < 0.8 else rng.uniform(3600, 2 * DAY)
        )
        if signed > self.now:
            draft = True
        revision = 1
        if corrects is None:
            revision += 1
            chain.add(
                answered,
                author,
                "decision.answer",
                "decision",
                decision_id,
                agency_id,
                pid,
                {"facts": list(path.answered)},
            )
        if detail_fields:
            revision += 1
            chain.add(
                detailed,
                author,
                "decision.details",
                "decision",
                decision_id,
                agency_id,
                pid,
                {"fields": sorted(detail_fields)},
            )
        signer = None
        if not draft:
            revision += 1
            signer = author if rng.random() < 0.9 else self.leads[agency_id]
            chain.add(
                signed,
                signer,
                "decision.sign",
                "decision",
                decision_id,
                agency_id,
                pid,
                {"outcome": path.outcome},
            )
        updated = signed if not draft else (detailed if detail_fields else answered)
        self.outcomes[(path.outcome, path.basis)] += 1

        proportionality = []
        if sharing and rng.random() < 0.6:
            proportionality = [
                {"question": q, "answer": a} for q, a in rng.sample(PROPORTIONALITY_TEXTS, 2)
            ]
        self.rows["decision"].append(
            (
                decision_id,
                purpose,
                recipient_agency["name"],
                json.dumps(information),
                path.pack_id,
                paths.version,
                paths.hash,
                path.facts_draft if draft else path.facts_signed,
                self.sealed("reasons", path.reasons),
                self.sealed("proportionality", proportionality),
                json.dumps(consent_source) if consent_source is not None else None,
                path.outcome,
                path.basis,
                path.refer_now,
                path.inform_subject,
                path.trace,
                path.citations,
                detail_fields.get("article6_basis", ""),
                detail_fields.get("special_category_condition", ""),
                detail_fields.get("paragraph18_reason", ""),
                detail_fields.get("person_told", ""),
                self.sealed(
                    "person_not_told_reason", detail_fields.get("person_not_told_reason", "")
                ),
                detail_fields.get("advice_from", ""),
                self.sealed("advice_given", detail_fields.get("advice_given", "")),
                self.sealed("notes", detail_fields.get("notes", "")),
                "draft" if draft else "signed",
                1 if corrects is None else corrects[2] + 1,
                revision,
                utc(when),
                utc(updated),
                None if draft else utc(signed),
                agency_id,
                corrects[0] if corrects else None,
                author[0],
                pid,
                signer[0] if signer else None,
                pack_reason,
            )
        )
        if draft:
            return
        # A share signed in the last hour has not been sent yet.
        if sharing and signed < self.now - 3600 and rng.random() < 0.8:
            self.disclosure(
                signed,
                decision_id,
                pid,
                agency_id,
                signer or author,
                recipient_agency,
                purpose,
                information,
            )
        # A few signed records are corrected later, as a new version (decision_correct).
        if corrects is None and rng.random() < 0.005:
            later = signed + rng.uniform(DAY, 30 * DAY)
            if later < self.now - DAY:
                self.decision(later, pid, corrects=(decision_id, path, 1))

    def details_for(self, path: Path_, rng: random.Random) -> dict[str, str]:
        article6 = {
            "consent": "consent",
            "legal_obligation": "legal_obligation",
            "vital_interests": "vital_interests",
            "recognised_legitimate_interest": "recognised_legitimate_interest",
        }.get(path.basis, "public_task")
        special = rng.random() < 0.7
        condition = (
            "not_special"
            if not special
            else "explicit_consent"
            if path.basis == "consent"
            else "safeguarding"
        )
        told = rng.choices(["yes", "not_yet", "no"], [0.55, 0.3, 0.15])[0]
        fields = {
            "article6_basis": article6,
            "special_category_condition": condition,
            "person_told": told,
        }
        if condition == "safeguarding" and path.basis != "consent":
            fields["paragraph18_reason"] = rng.choice(
                ["cannot_be_given", "cannot_reasonably_obtain", "would_prejudice_protection"]
            )
        if told == "no":
            fields["person_not_told_reason"] = rng.choice(NOT_TOLD_REASONS)
        if rng.random() < 0.4:
            fields["notes"] = rng.choice(NOTE_TEXTS)
        return fields

    def recipient_for(self, agency: dict[str, Any]) -> dict[str, Any]:
        rng = self.rng
        if rng.random() < 0.8:
            kinds = [k for k in SHARES_WITH[agency["kind"]] if self.agency_by_kind.get(k)]
            options = [a for a in self.agency_by_kind[rng.choice(kinds)] if a["id"] != agency["id"]]
            if options:
                return rng.choice(options)
        while True:
            other = rng.choice(self.agencies)
            if other["id"] != agency["id"]:
                return other

    def consent(
        self,
        when: float,
        pid: int,
        agency_id: int,
        author: tuple[int, str],
        path: Path_,
        purpose: str,
        recipient_agency: dict[str, Any],
        information: list[str],
    ) -> dict[str, Any]:
        rng = self.rng
        consent_id = self.next_id["consent"]
        self.next_id["consent"] += 1
        self.counts["consent"] += 1
        age = self.person_age[pid]
        if self.person_care_order[pid] and rng.random() < 0.5:
            given_by, party = "local_authority", "Local authority"
        elif age >= 16 or (age >= 12 and rng.random() < 0.4):
            given_by, party = "subject", ""
        else:
            given_by, party = "parent", rng.choice(["mother", "father", "mother", "grandmother"])
        response = path.consent or "given"
        follows = None
        previous = self.last_consent.get(pid)
        if response == "withdrawn":
            follows = previous[0] if previous else None
        given_at = when - rng.uniform(3600, 20 * DAY)
        recorded = when - 90
        self.last_consent[pid] = (consent_id, response)
        self.rows["consent"].append(
            (
                consent_id,
                given_by,
                party,
                response,
                "explicit" if rng.random() < 0.8 else "implicit",
                "written" if rng.random() < 0.4 else "verbal",
                json.dumps(
                    list(
                        rng.sample(
                            ["why", "what", "who", "purpose", "implications"], rng.randint(3, 5)
                        )
                    )
                ),
                json.dumps([purpose]),
                json.dumps([recipient_agency["name"]]),
                json.dumps(information),
                None,
                self.sealed(
                    "consent_notes",
                    rng.choice(["", "", "Discussed at the school gate.", "Agreed on the phone."]),
                ),
                utc(given_at),
                utc(recorded),
                agency_id,
                follows,
                pid,
                author[0],
            )
        )
        self.chain.add(
            recorded,
            author,
            "consent.record",
            "consentrecord",
            consent_id,
            agency_id,
            pid,
            {"response": response},
        )
        return {
            "consent": response,
            "whose": "the person" if given_by == "subject" else party,
            "question": None,
            "conflict": False,
            "citations": ["3.22"],
            "explanation": "Worked out from the consent records held.",
            "not_counted": [],
            "records": [consent_id],
            "facts": {"consent": response},
        }

    def disclosure(
        self,
        signed: float,
        decision_id: int,
        pid: int,
        agency_id: int,
        sender: tuple[int, str],
        recipient_agency: dict[str, Any],
        purpose: str,
        information: list[str],
    ) -> None:
        rng = self.rng
        disclosure_id = self.next_id["disclosure"]
        self.next_id["disclosure"] += 1
        self.counts["disclosure"] += 1
        channel = rng.choices(
            ["sharewise", "secure_email", "phone", "meeting"], [0.5, 0.25, 0.15, 0.1]
        )[0]
        sent = min(signed + rng.uniform(60, 2 * DAY), self.now - 60)
        if sent > self.now - 600:
            channel = "secure_email"
        recipient_user = (
            rng.choice(self.practitioners[recipient_agency["id"]])
            if channel == "sharewise"
            else None
        )
        read_at = acknowledged_at = None
        reader = None
        if recipient_user is not None and rng.random() < 0.9:
            read_at = sent + rng.uniform(600, 3 * DAY)
            reader = recipient_user
            if read_at > self.now:
                read_at = None
            elif rng.random() < 0.9:
                acknowledged_at = read_at + rng.uniform(30, 600)
                if acknowledged_at + 5 > self.now:
                    acknowledged_at = None
        told = rng.random() < 0.2
        told_at = sent + rng.uniform(DAY, 10 * DAY) if told else None
        if told_at is not None and told_at > self.now:
            told_at = None
        items = rng.randint(1, 4)
        details = {
            "decision": decision_id,
            "channel": channel,
            "recipient_agency": recipient_agency["id"],
            "items": items,
            "identities_withheld": [],
            "identities_included": [],
        }
        self.chain.add(
            sent, sender, "disclosure.send", "disclosure", disclosure_id, agency_id, pid, details
        )
        if read_at is not None and reader is not None:
            if acknowledged_at is None:
                self.chain.add(
                    read_at,
                    reader,
                    "disclosure.open",
                    "disclosure",
                    disclosure_id,
                    agency_id,
                    pid,
                    {"as": "recipient", "content_shown": False, "why": "not_acknowledged"},
                    self.request_id(),
                )
            else:
                self.chain.add(
                    read_at,
                    reader,
                    "disclosure.open",
                    "disclosure",
                    disclosure_id,
                    agency_id,
                    pid,
                    {"as": "recipient", "content_shown": False, "why": "not_acknowledged"},
                    self.request_id(),
                )
                self.chain.add(
                    acknowledged_at,
                    reader,
                    "disclosure.acknowledge",
                    "disclosure",
                    disclosure_id,
                    agency_id,
                    pid,
                    {},
                )
                self.chain.add(
                    acknowledged_at + 5,
                    reader,
                    "disclosure.read",
                    "disclosure",
                    disclosure_id,
                    agency_id,
                    pid,
                    {"as": "recipient"},
                    self.request_id(),
                )
        if told_at is not None:
            self.chain.add(
                told_at,
                sender,
                "disclosure.subject_told",
                "disclosure",
                disclosure_id,
                agency_id,
                pid,
                {},
            )
        domain = recipient_agency["name"].lower().replace(" ", "").replace("'", "")[:20]
        self.rows["disclosure"].append(
            (
                disclosure_id,
                purpose,
                "" if recipient_user else f"Duty worker, {recipient_agency['name']}",
                channel,
                self.sealed(
                    "channel_details",
                    CHANNEL_DETAILS[channel].format(
                        domain if channel == "secure_email" else utc(sent).strftime("%d %B %Y")
                    ),
                ),
                self.sealed(
                    "identity_check",
                    "Called back on the switchboard number" if channel == "phone" else "",
                ),
                (utc(sent) + dt.timedelta(days=365)).date() if rng.random() < 0.3 else None,
                utc(sent),
                utc(sent),
                utc(read_at) if read_at is not None else None,
                utc(acknowledged_at) if acknowledged_at is not None else None,
                None,
                "",
                utc(told_at) if told_at is not None else None,
                self.sealed("subject_told_how", "Told by phone" if told_at is not None else ""),
                "[]",
                reader[0] if acknowledged_at is not None and reader else None,
                agency_id,
                decision_id,
                pid,
                reader[0] if read_at is not None and reader else None,
                recipient_agency["id"],
                None,
                recipient_user[0] if recipient_user else None,
                sender[0],
                sender[0] if told_at is not None else None,
                None,
            )
        )
        for position in range(1, items + 1):
            item_id = self.next_id["item"]
            self.next_id["item"] += 1
            self.counts["item"] += 1
            kind, text = rng.choice(ITEM_TEXTS)
            self.rows["item"].append(
                (
                    item_id,
                    position,
                    self.sealed("item_text", text),
                    kind,
                    information[(position - 1) % len(information)],
                    self.sealed("item_source", rng.choice(ITEM_SOURCES)),
                    (utc(signed) - dt.timedelta(days=rng.randint(0, 60))).date(),
                    rng.random() < 0.1,
                    disclosure_id,
                )
            )

    # ------------------------------------------------------------------ the end
    def finish(self) -> None:
        conn = self.conn
        for table, column in (
            ("agencies_agency", "id"),
            ("agencies_team", "id"),
            ("auth_user", "id"),
            ("accounts_profile", "id"),
            ("agencies_membership", "id"),
            ("mfa_authenticator", "id"),
            ("people_person", "id"),
            ("consents_consentrecord", "id"),
            ("decisions_decision", "id"),
            ("disclosures_disclosure", "id"),
            ("disclosures_disclosureitem", "id"),
            ("audit_auditentry", "id"),
        ):
            conn.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', '{column}'), "
                f"coalesce((SELECT max({column}) FROM {table}), 1))"
            )
        # The head names the last entry, as audit_append leaves it after every append.
        conn.execute(
            "UPDATE audit_audithead SET entry_id = %s, entry_hash = %s, since_checkpoint = 0 "
            "WHERE id = 1",
            [self.chain.last_id, self.chain.head_hash],
        )
        conn.execute(f"UPDATE {MARKER_TABLE} SET finished_at = now()")
        conn.commit()
        # A signed checkpoint of the head, made by the product's own function.
        from sharewise.audit.checkpoints import audit_checkpoint_create

        audit_checkpoint_create()
        from django.db import connections

        connections.close_all()
        print(
            f"  busiest person: id {self.busiest[0]} with {self.busiest[1]} decisions; "
            f"audit head entry {self.chain.last_id}",
            flush=True,
        )
        print(
            "  outcomes: "
            + ", ".join(
                f"{o}/{b or '-'} {100 * c / self.counts['decision']:.1f}%"
                for (o, b), c in self.outcomes.most_common()
            )
        )
        print(
            "  audit entries by verb: "
            + ", ".join(f"{v} {c}" for v, c in self.chain.verbs.most_common())
        )


CONSENT_COLUMNS = (
    "id",
    "given_by",
    "party",
    "response",
    "form",
    "medium",
    "informed_points",
    "purposes",
    "recipients",
    "information",
    "expires",
    "notes",
    "given_at",
    "recorded_at",
    "agency_id",
    "follows_id",
    "person_id",
    "recorded_by_id",
)
DECISION_COLUMNS = (
    "id",
    "purpose",
    "recipient",
    "information",
    "pack_id",
    "pack_version",
    "pack_hash",
    "facts",
    "reasons",
    "proportionality",
    "consent_source",
    "outcome",
    "basis",
    "refer_now",
    "inform_subject",
    "trace",
    "citations",
    "article6_basis",
    "special_category_condition",
    "paragraph18_reason",
    "person_told",
    "person_not_told_reason",
    "advice_from",
    "advice_given",
    "notes",
    "status",
    "version",
    "revision",
    "created_at",
    "updated_at",
    "signed_at",
    "agency_id",
    "corrects_id",
    "created_by_id",
    "person_id",
    "signed_by_id",
    "pack_reason",
)
DISCLOSURE_COLUMNS = (
    "id",
    "purpose",
    "recipient_name",
    "channel",
    "channel_details",
    "identity_check",
    "expires_on",
    "sent_at",
    "recorded_at",
    "read_at",
    "acknowledged_at",
    "withdrawn_at",
    "withdrawn_reason",
    "subject_told_at",
    "subject_told_how",
    "withheld_identities",
    "acknowledged_by_id",
    "agency_id",
    "decision_id",
    "person_id",
    "read_by_id",
    "recipient_agency_id",
    "recipient_team_id",
    "recipient_user_id",
    "sent_by_id",
    "subject_told_recorded_by_id",
    "withdrawn_by_id",
)
ITEM_COLUMNS = (
    "id",
    "position",
    "text",
    "kind",
    "information_kind",
    "source",
    "dated",
    "historical",
    "disclosure_id",
)


def django_setup(url: str) -> None:
    for name, value in environment_for(url).items():
        os.environ[name] = value
    Path(os.environ["SHAREWISE_DATA_DIR"]).mkdir(mode=0o700, parents=True, exist_ok=True)
    os.environ["DJANGO_SETTINGS_MODULE"] = "sharewise.settings"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    url = os.environ.get("DATABASE_URL", "").strip()
    if not url.startswith(("postgres://", "postgresql://")):
        print("generate.py: set DATABASE_URL to a PostgreSQL database", file=sys.stderr)
        return 2
    try:
        prepare_database(url, create=args.create, replace=args.replace)
    except Refused as exc:
        print(f"generate.py: {exc}", file=sys.stderr)
        return 2
    django_setup(url)
    Generator(args, url).run()
    env = environment_for(url)
    print(f"Done. Read it with SHAREWISE_DATA_DIR={env['SHAREWISE_DATA_DIR']} DATABASE_URL={url}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
