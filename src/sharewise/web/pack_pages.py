"""What the pack pages show, read from a loaded pack and nothing else.

The pages explain a pack to a practitioner: its flowchart in the order the questions are
met, where each answer leads, and the text of every paragraph cited. All of it is derived
from the pack's own data, as `guidance.explain.flowchart_text` derives the text version,
so the pages cannot drift from what the engine does.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from django.http import QueryDict
from django.urls import reverse

from sharewise.guidance.packs import (
    LIST_BRANCHES,
    Document,
    Interrupt,
    Node,
    Pack,
    Paragraph,
    flow_order,
)

# How the two branches of a list fact (such as the reasons not to seek consent) read.
LIST_BRANCH_LABELS = {"none": "None of these", "any": "Any of these"}
# Deeper indents in the source text are shown at the deepest one the stylesheet has.
DEEPEST_INDENT = 3


@dataclass(frozen=True, slots=True)
class Citation:
    """A paragraph id as cited, and the page of its text when the pack has it."""

    cite: str
    url: str | None


@dataclass(frozen=True, slots=True)
class Branch:
    """One answer to a flowchart question and where it leads: a later question or an
    outcome."""

    answer: str
    question_number: int | None
    node_id: str
    outcome_title: str


@dataclass(frozen=True, slots=True)
class FlowchartQuestion:
    """A question or judgement node of the flowchart, numbered as a step in the order met.

    Steps are numbered apart from the guidance's own questions ("Question 4: Do you have
    consent to share?"), which are the `part` headings the steps are grouped under: one
    question of the guidance can take several steps.
    """

    number: int
    part: str
    starts_part: bool
    node: Node
    text: str
    help_paragraphs: tuple[str, ...]
    options: tuple[tuple[str, str], ...]
    select_all_that_apply: bool
    cite: tuple[str, ...]
    branches: tuple[Branch, ...]

    @property
    def anchor(self) -> str:
        return f"question-{self.node.id}"

    @property
    def is_judgement(self) -> bool:
        return self.node.kind == "judgement"


@dataclass(frozen=True, slots=True)
class InterruptTrigger:
    """An answer that raises an "at every step" interrupt."""

    question: str
    answers: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class TextBlock:
    """A run of lines of a source paragraph: plain lines, or the items of a bullet list.

    `indent` is how far the source indents the run (two spaces a step), so that nested
    lists in the guidance still read as nested.
    """

    kind: Literal["lines", "bullets"]
    lines: tuple[str, ...]
    indent: int


@dataclass(frozen=True, slots=True)
class DocumentParagraphs:
    document: Document
    paragraphs: tuple[Paragraph, ...]


def hash_short(pack: Pack) -> str:
    """The first 12 hex digits of the pack's content hash: enough to tell versions apart
    at a glance, and what a practitioner can read out over the phone."""
    return pack.hash.partition(":")[2][:12]


def paragraphs_of(text: str) -> tuple[str, ...]:
    """Prose as unwrapped by the pack loader: paragraphs separated by blank lines."""
    return tuple(p for p in text.split("\n\n") if p.strip())


def answer_label(pack: Pack, fact: str, answer: str) -> str:
    """How the pack words an answer to a fact, or a branch of a list fact."""
    spec = pack.facts.get(fact)
    if spec is not None and spec.multiple and answer in LIST_BRANCHES:
        return LIST_BRANCH_LABELS[answer]
    question = pack.questions.get(fact)
    if question is not None:
        for option in question.options:
            if option.value == answer:
                return option.label
    return answer


def flowchart_questions(pack: Pack) -> list[FlowchartQuestion]:
    order = flow_order(pack)
    numbers = {node_id: number for number, node_id in enumerate(order, start=1)}
    questions = []
    previous_part = ""
    for node_id in order:
        node = pack.nodes[node_id]
        question = pack.questions.get(node.fact)
        spec = pack.facts.get(node.fact)
        branches = []
        for answer, target_id in node.next.items():
            target = pack.nodes.get(target_id)
            branches.append(
                Branch(
                    answer=answer_label(pack, node.fact, answer),
                    question_number=numbers.get(target_id),
                    node_id=target_id,
                    # A target the pack lacks is a fault the pack linter reports; the page
                    # still shows the id rather than failing.
                    outcome_title=target.title if target is not None else target_id,
                )
            )
        questions.append(
            FlowchartQuestion(
                number=numbers[node_id],
                part=node.part,
                starts_part=bool(node.part) and node.part != previous_part,
                node=node,
                text=question.text if question is not None else node.fact,
                help_paragraphs=paragraphs_of(question.help) if question is not None else (),
                options=tuple((o.label, o.hint) for o in question.options)
                if question is not None
                else (),
                select_all_that_apply=spec is not None and spec.multiple,
                # The flowchart box's own citations first, then the guidance on the question.
                cite=_unique(node.cite + (question.cite if question is not None else ())),
                branches=tuple(branches),
            )
        )
        previous_part = node.part
    return questions


def interrupt_triggers(pack: Pack, interrupt: Interrupt) -> list[InterruptTrigger]:
    """The answers that raise `interrupt`, worded as the questions put them."""
    triggers = []
    for condition in interrupt.when_any:
        question = pack.questions.get(condition.fact)
        triggers.append(
            InterruptTrigger(
                question=question.text if question is not None else condition.fact,
                answers=tuple(answer_label(pack, condition.fact, v) for v in condition.values),
            )
        )
    return triggers


def citations(pack: Pack, cites: tuple[str, ...]) -> list[Citation]:
    """Links to the paragraphs cited. A cite the pack's sources lack (which the pack
    linter reports) is shown as plain text, not as a link to a page that would not exist."""
    return [
        Citation(
            cite=cite,
            url=reverse("web:source_paragraph", args=[pack.id, cite])
            if pack.paragraph(cite) is not None
            else None,
        )
        for cite in cites
    ]


def text_blocks(text: str) -> list[TextBlock]:
    """A source paragraph's text as blocks, keeping its line breaks: consecutive lines
    starting with "- " become one bullet list, other lines stay lines of their own."""
    blocks: list[TextBlock] = []
    kind: Literal["lines", "bullets"] | None = None
    indent = 0
    lines: list[str] = []

    def flush() -> None:
        if kind is not None and lines:
            blocks.append(TextBlock(kind=kind, lines=tuple(lines), indent=indent))
        lines.clear()

    for raw in text.splitlines():
        stripped = raw.lstrip(" ")
        if not stripped.strip():
            flush()
            kind = None
            continue
        line_kind: Literal["lines", "bullets"] = "bullets" if stripped.startswith("- ") else "lines"
        line_indent = min((len(raw) - len(stripped)) // 2, DEEPEST_INDENT)
        if (line_kind, line_indent) != (kind, indent):
            flush()
            kind, indent = line_kind, line_indent
        lines.append(stripped[2:] if line_kind == "bullets" else stripped)
    flush()
    return blocks


def sources_by_document(pack: Pack) -> list[DocumentParagraphs]:
    """Every paragraph of the pack's sources, grouped by the document it comes from, in
    the order the sources file lists them."""
    sources = pack.sources
    grouped: dict[str, list[Paragraph]] = {document_id: [] for document_id in sources.documents}
    for paragraph in sources.paragraphs.values():
        grouped.setdefault(paragraph.document, []).append(paragraph)
    return [
        DocumentParagraphs(
            document=sources.documents.get(document_id)
            or Document(id=document_id, file="", title=document_id, publisher="", year=""),
            paragraphs=tuple(paragraphs),
        )
        for document_id, paragraphs in grouped.items()
        if paragraphs
    ]


def _unique(cites: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(cites))


# --- comparing packs ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CompareField:
    """One fact on the compare form: asked in the words of the first pack that asks it,
    with every answer any pack offers."""

    fact: str
    text: str
    multiple: bool
    options: tuple[tuple[str, str], ...]
    chosen: tuple[str, ...]
    # For a list fact, whether it is answered at all: with none ticked, it is answered
    # "none of these" only when the "answered" box says so.
    answered: bool = False


def compare_fields(packs: list[Pack], query: QueryDict) -> list[CompareField]:
    """The facts of every pack, in the order the packs meet them (oldest pack first)."""
    seen: dict[str, CompareField] = {}
    for pack in packs:
        for node_id in flow_order(pack):
            fact = pack.nodes[node_id].fact
            question = pack.questions.get(fact)
            if question is None:
                continue
            known = seen.get(fact)
            options = dict(known.options) if known else {}
            for option in question.options:
                options.setdefault(option.value, option.label)
            chosen = tuple(v for v in query.getlist(fact) if v in options)
            seen[fact] = CompareField(
                fact=fact,
                text=known.text if known else question.text,
                multiple=pack.facts[fact].multiple,
                options=tuple(options.items()),
                chosen=chosen,
                answered=bool(chosen) or query.get(f"{fact}-answered") == "yes",
            )
    return list(seen.values())


def compare_facts(fields: list[CompareField], query: QueryDict) -> dict[str, object]:
    """The case the form describes, as a contract facts object: unanswered facts are left
    out; a list fact is answered once its "answered" box is ticked, even with nothing."""
    raw: dict[str, object] = {}
    for field in fields:
        if field.multiple:
            if field.answered:
                raw[field.fact] = list(field.chosen)
        elif field.chosen:
            raw[field.fact] = field.chosen[0]
    return raw


def compare_url(facts: dict[str, object]) -> str:
    """The compare page for a case's answers (a decision's facts), as a link."""
    from urllib.parse import urlencode

    params: list[tuple[str, str]] = []
    for fact, answer in facts.items():
        if isinstance(answer, list | tuple):
            params.append((f"{fact}-answered", "yes"))
            params += [(fact, str(value)) for value in answer]
        else:
            params.append((fact, str(answer)))
    return reverse("web:pack_compare") + "?" + urlencode(params) + "#results"
