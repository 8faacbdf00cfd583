"""The guided decision: start, one question a page, check your answers, the outcome, sign;
and the record of a decision, on screen and as a PDF.

Every page takes its question from the engine's `ask`, so the order is the pack's; every
write goes through `decisions.services`, which saves the draft on every page so that a
session that times out loses nothing.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as HttpForbidden
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from sharewise.audit.services import audit_append
from sharewise.common import NotFound, PermissionDenied, ServiceError
from sharewise.guidance.choice import pack_in_force
from sharewise.guidance.engine import Outcome, question_json
from sharewise.guidance.packs import Pack, pack_get, pack_replacement_notice, packs_all
from sharewise.guidance.record import answer_words, answers_used, outcome_record, question_words
from sharewise.people.selectors import person_get_for_user
from sharewise.web import pack_pages
from sharewise.web.access import AGENCY_DECIDE, AGENCY_READ, access
from sharewise.web.forms import FormErrors, lines, text

from . import services
from .models import (
    Article6Basis,
    Decision,
    Paragraph18Reason,
    PersonTold,
    SpecialCategoryCondition,
)
from .selectors import decision_get_for_user, decision_record, decision_replay


def _decision_or_404(request: HttpRequest, decision_id: int) -> Decision:
    try:
        return decision_get_for_user(user=request.user, decision_id=decision_id)
    except NotFound as exc:
        raise Http404(exc.message) from exc


def _paragraphs(pack: Pack, cites: list[str] | tuple[str, ...]) -> list[Any]:
    """The cited paragraphs with their text, for the guidance beside a page."""
    return [p for p in (pack.paragraph(c) for c in dict.fromkeys(cites)) if p is not None]


def _revision(request: HttpRequest, errors: FormErrors) -> int | None:
    """The form's `revision` (the draft's revision it was built from, which stops two
    tabs overwriting each other's answers), or None with the error added: a hand-made
    or damaged POST is a 400 naming the field, never a 500."""
    raw = request.POST.get("revision", "").strip() or "0"
    try:
        value = int(raw)
    except ValueError:
        value = -1
    if value < 0:
        errors.add(
            "revision",
            "The form's 'revision' is not a whole number: reload the page and answer again",
        )
        return None
    return value


def _require_decider(request: HttpRequest, decision: Decision) -> None:
    """A 403 for a role that may only read decisions, before its form is looked at."""
    try:
        services.require_decider(request.user, decision.person)
    except PermissionDenied as exc:
        raise HttpForbidden(exc.message) from exc


def _next_page(decision: Decision, outcome: Outcome | None = None) -> str:
    outcome = outcome or services.decision_evaluate(decision)
    if outcome.outcome == "ask" and outcome.question is not None:
        return reverse("decisions:question", args=[decision.pk, outcome.question["id"]])
    return reverse("decisions:check", args=[decision.pk])


@access(AGENCY_DECIDE)
@require_http_methods(["GET", "POST"])
@login_required
def decision_new(request: HttpRequest, person_id: int) -> HttpResponse:
    try:
        person = person_get_for_user(user=request.user, person_id=person_id)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    errors = FormErrors()
    if request.method == "POST":
        try:
            decision = services.decision_start(
                user=request.user,
                person=person,
                purpose=text(request, "purpose"),
                recipient=text(request, "recipient"),
                information=lines(request, "information"),
                pack_id=text(request, "pack_id") or None,
            )
        except PermissionDenied as exc:
            raise HttpForbidden(exc.message) from exc
        except ServiceError as exc:
            errors.add_service_error(exc)
        else:
            return redirect(_next_page(decision))
    choice = services.decision_pack_choice(agency=person.agency)
    today = timezone.localdate()
    context = {
        "person": person,
        "errors": errors,
        "values": request.POST,
        # Only the packs that can apply today, where the agency is: a pack of law not yet
        # in force, or of another country, is not offered.
        # A replaced pack may still be chosen, but never without saying that it has been.
        "packs": [
            (p, pack_replacement_notice(p, today))
            for p in packs_all()
            if pack_in_force(p, today, person.agency.country) is None
        ],
        "default_pack": choice.pack_id,
        "default_reason": choice.reason,
    }
    return render(request, "decisions/decision_new.html", context, status=400 if errors else 200)


@access(AGENCY_DECIDE)
@require_http_methods(["GET", "POST"])
@login_required
def question(request: HttpRequest, decision_id: int, fact: str) -> HttpResponse:
    decision = _decision_or_404(request, decision_id)
    if decision.is_signed:
        return redirect("decisions:detail", decision_id=decision.pk)
    pack = pack_get(decision.pack_id)
    if fact not in pack.questions:
        raise Http404(f"Pack {pack.id} asks no question '{fact}'")
    outcome = services.decision_evaluate(decision)
    # The node that asks this fact now, or for a change from the check page the first that
    # asks it; the reasons question can also be asked by an outcome.
    node_id = (
        outcome.question["node"]
        if outcome.question and outcome.question["id"] == fact
        else next((n.id for n in pack.nodes.values() if n.fact == fact), None)
    )
    node = pack.nodes[node_id] if node_id else pack.nodes[outcome.node or pack.start]
    asked = question_json(pack, node, fact)
    spec = pack.facts[fact]
    errors = FormErrors()
    changing = request.GET.get("change") == "1"
    if request.method == "POST":
        _require_decider(request, decision)
        if spec.multiple:
            chosen: Any = [v for v in request.POST.getlist(fact) if v != "none"]
            if not request.POST.getlist(fact):
                errors.add(fact, "Select all that apply, or 'None of these'")
        else:
            chosen = text(request, fact)
            if not chosen:
                errors.add(fact, "Select an answer")
        reasons = {fact: text(request, "reasons")} if asked["kind"] == "judgement" else {}
        proportionality = (
            [
                {"question": item["text"], "answer": text(request, f"proportionality-{i}")}
                for i, item in enumerate(asked.get("proportionality", []))
            ]
            if asked["kind"] == "judgement"
            else None
        )
        revision = _revision(request, errors)
        if not errors:
            try:
                decision = services.decision_answer(
                    user=request.user,
                    decision=decision,
                    answers={fact: chosen},
                    reasons=reasons,
                    proportionality=proportionality,
                    revision=revision,
                )
            except PermissionDenied as exc:
                raise HttpForbidden(exc.message) from exc
            except ServiceError as exc:
                errors.add(
                    "reasons" if (exc.field or "").startswith("reasons") else (exc.field or fact),
                    exc.message,
                )
            else:
                after = services.decision_evaluate(decision)
                if changing and after.outcome != "ask":
                    return redirect("decisions:check", decision_id=decision.pk)
                return redirect(_next_page(decision, after))
    # Every page of the wizard shows the person and the decision so far: each view is a
    # read of personal data, and goes in the audit log like the record page.
    audit_append(
        actor=request.user,
        verb="decision.view",
        obj=decision,
        request=request,
        details={"page": "question"},
    )
    current = decision.facts.get(fact)
    from_records = (decision.consent_source or {}).get("facts", {}).get(fact)
    context = {
        "decision": decision,
        "pack": pack,
        "question": asked,
        "options": [o for o in pack.questions[fact].options if o.offered(decision.facts)],
        "multiple": spec.multiple,
        "current": current if current is not None else [],
        "posted": request.POST.getlist(fact) if request.method == "POST" else None,
        "reasons": request.POST.get("reasons", decision.reasons.get(fact, "")),
        "proportionality_answers": {p["question"]: p["answer"] for p in decision.proportionality},
        "consent_source": decision.consent_source if from_records is not None else None,
        "paragraphs": _paragraphs(pack, asked["cite"]),
        "refer_now": outcome.refer_now,
        "interrupts": outcome.interrupts,
        "errors": errors,
        "step": len(outcome.trace) + 1,
        "back_url": reverse("decisions:check", args=[decision.pk]) if changing else None,
        "changing": changing,
    }
    return render(request, "decisions/question.html", context, status=400 if errors else 200)


def _draft_record(pack: Pack, decision: Decision, outcome: Outcome) -> dict[str, Any]:
    """A draft's outcome in the shape of a signed record, so that one set of templates
    shows both (guidance.record.outcome_record)."""
    return outcome_record(pack, outcome, answers_used(pack, outcome, decision.facts))


def _answers(pack: Pack, decision: Decision, record: dict[str, Any]) -> list[dict[str, Any]]:
    """Every answer the record rests on, in the words it was asked and answered in: the
    trace in order, then any answer the refer-now interrupt read off the deciding path."""
    from_records = (decision.consent_source or {}).get("facts", {})
    shown = record.get("words", {})

    def row(fact: str, answer: Any, kind: str, cite: list[str]) -> dict[str, Any]:
        said = shown.get(fact, {})
        return {
            "fact": fact,
            "question": said.get("question") or question_words(pack, fact),
            "answer": said.get("answer") or answer_words(pack, fact, answer),
            "kind": kind,
            "cite": cite,
            "reasons": decision.reasons.get(fact, ""),
            "from_records": fact in from_records and from_records[fact] == answer,
        }

    trace = record["outcome"]["trace"]
    rows = [row(s["question"], s["answer"], s.get("kind", "question"), s["cite"]) for s in trace]
    on_path = {s["question"] for s in trace}
    rows += [
        row(fact, answer, "interrupt", [])
        for fact, answer in record.get("answers", {}).items()
        if fact not in on_path
    ]
    return rows


@access(AGENCY_READ)
@require_safe
@login_required
def check(request: HttpRequest, decision_id: int) -> HttpResponse:
    decision = _decision_or_404(request, decision_id)
    if decision.is_signed:
        return redirect("decisions:detail", decision_id=decision.pk)
    pack = pack_get(decision.pack_id)
    outcome = services.decision_evaluate(decision)
    audit_append(
        actor=request.user,
        verb="decision.view",
        obj=decision,
        request=request,
        details={"page": "check"},
    )
    record = _draft_record(pack, decision, outcome)
    context = {
        "decision": decision,
        "pack": pack,
        "outcome": record["outcome"],
        "answers": _answers(pack, decision, record),
        "next_url": _next_page(decision, outcome)
        if outcome.outcome == "ask"
        else reverse("decisions:outcome", args=[decision.pk]),
    }
    return render(request, "decisions/check.html", context)


DETAIL_CHOICES = {
    "article6_choices": Article6Basis.choices,
    "special_choices": SpecialCategoryCondition.choices,
    "paragraph18_choices": Paragraph18Reason.choices,
    "told_choices": PersonTold.choices,
}


@access(AGENCY_DECIDE)
@require_http_methods(["GET", "POST"])
@login_required
def outcome_page(request: HttpRequest, decision_id: int) -> HttpResponse:
    decision = _decision_or_404(request, decision_id)
    if decision.is_signed:
        return redirect("decisions:detail", decision_id=decision.pk)
    pack = pack_get(decision.pack_id)
    outcome = services.decision_evaluate(decision)
    if outcome.outcome == "ask":
        return redirect(_next_page(decision, outcome))
    errors = FormErrors()
    if request.method == "POST":
        _require_decider(request, decision)
        details = {name: request.POST.get(name, "") for name in services.DETAIL_FIELDS}
        revision = _revision(request, errors)
        if revision is not None:
            try:
                decision = services.decision_details_update(
                    user=request.user,
                    decision=decision,
                    details=details,
                    revision=revision,
                )
                if request.POST.get("action") == "sign":
                    problems = services.decision_sign_problems(decision)
                    for field, message in problems:
                        errors.add(field, message)
                    if not problems:
                        decision = services.decision_sign(
                            user=request.user, decision=decision, revision=decision.revision
                        )
                        return redirect("decisions:detail", decision_id=decision.pk)
                elif not errors:
                    return redirect("decisions:outcome", decision_id=decision.pk)
            except PermissionDenied as exc:
                raise HttpForbidden(exc.message) from exc
            except ServiceError as exc:
                errors.add_service_error(exc)
    audit_append(
        actor=request.user,
        verb="decision.view",
        obj=decision,
        request=request,
        details={"page": "outcome"},
    )
    # Suggest telling the person or not as the outcome says, with the reason already given.
    values: dict[str, Any] = {name: getattr(decision, name) for name in services.DETAIL_FIELDS}
    if request.method == "POST":
        values.update({name: request.POST.get(name, "") for name in services.DETAIL_FIELDS})
    elif not values["article6_basis"]:
        # The lawful basis the engine's basis rests on, offered first (the practitioner may
        # choose another that does not contradict the outcome).
        values["article6_basis"] = services.decision_article6_suggested(decision, outcome)
    record = _draft_record(pack, decision, outcome)
    context = {
        "decision": decision,
        "pack": pack,
        "outcome": record["outcome"],
        "answers": _answers(pack, decision, record),
        "sharing": outcome.outcome in services.SHARING,
        "paragraphs": _paragraphs(pack, outcome.citations),
        "errors": errors,
        "values": values,
        **DETAIL_CHOICES,
    }
    return render(request, "decisions/outcome.html", context, status=400 if errors else 200)


def _record_context(request: HttpRequest, decision: Decision) -> dict[str, Any]:
    """The record page and the PDF: a signed decision as it was signed (never replayed),
    with the replay check beside it; a draft as its answers stand."""
    pack = pack_get(decision.pack_id)
    record = decision_record(decision)
    return {
        "decision": decision,
        "pack": pack,
        "record": record,
        "outcome": record["outcome"],
        "answers": _answers(pack, decision, record),
        "replay_differences": decision_replay(decision) if decision.is_signed else [],
        "paragraphs": _paragraphs(pack, record["outcome"]["citations"]),
        "corrected_by": getattr(decision, "corrected_by", None) if decision.is_signed else None,
        # The answers only, never the reasons or anything naming the person.
        "compare_url": pack_pages.compare_url(decision.facts),
    }


@access(AGENCY_READ)
@require_safe
@login_required
def detail(request: HttpRequest, decision_id: int) -> HttpResponse:
    decision = _decision_or_404(request, decision_id)
    audit_append(actor=request.user, verb="decision.view", obj=decision, request=request)
    return render(request, "decisions/detail.html", _record_context(request, decision))


@access(AGENCY_DECIDE)
@require_POST
@login_required
def correct(request: HttpRequest, decision_id: int) -> HttpResponse:
    decision = _decision_or_404(request, decision_id)
    try:
        correction = services.decision_correct(user=request.user, decision=decision)
    except PermissionDenied as exc:
        raise HttpForbidden(exc.message) from exc
    except ServiceError as exc:
        context = _record_context(request, decision)
        context["errors"] = FormErrors({exc.field or "form": exc.message})
        return render(request, "decisions/detail.html", context, status=400)
    return redirect("decisions:check", decision_id=correction.pk)


@access(AGENCY_READ)
@require_safe
@login_required
def pdf(request: HttpRequest, decision_id: int) -> HttpResponse:
    from .pdf import decision_pdf

    decision = _decision_or_404(request, decision_id)
    if not decision.is_signed:
        raise Http404("Only a signed decision has a PDF for the case file")
    body = decision_pdf(_record_context(request, decision))
    # An export leaves the system: recorded once the PDF is made, as it is handed over.
    audit_append(actor=request.user, verb="decision.pdf", obj=decision, request=request)
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="sharewise-decision-{decision.pk}-v{decision.version}.pdf"'
    )
    return response
