"""The public pages: what Sharewise is, and the policy packs it applies.

They show guidance, not personal data, so they need no sign-in. Each view loads one thing
through `sharewise.guidance` and renders it; anything a page works out from a pack lives in
`pack_pages`, where it can be tested without a request.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from sharewise.guidance.compare import compare
from sharewise.guidance.errors import PackError
from sharewise.guidance.packs import Pack, pack_get, packs_all
from sharewise.web import pack_pages
from sharewise.web.access import PUBLIC, access


def _pack_or_404(pack_id: str) -> Pack:
    try:
        return pack_get(pack_id)
    except PackError as exc:
        raise Http404(f"There is no pack '{pack_id}'") from exc


@access(PUBLIC)
@require_safe
def healthz(request: HttpRequest) -> HttpResponse:
    """For process supervisors and tests: the application is up and answering."""
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")


@access(PUBLIC)
@require_safe
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "sharewise/home.html", {"packs": packs_all()})


@access(PUBLIC)
@require_safe
def pack_list(request: HttpRequest) -> HttpResponse:
    packs = [(pack, pack_pages.hash_short(pack)) for pack in packs_all()]
    return render(request, "sharewise/pack_list.html", {"packs": packs})


@access(PUBLIC)
@require_safe
def pack_detail(request: HttpRequest, pack_id: str) -> HttpResponse:
    pack = _pack_or_404(pack_id)
    interrupts = [
        (interrupt, pack_pages.interrupt_triggers(pack, interrupt)) for interrupt in pack.interrupts
    ]
    context = {
        "pack": pack,
        "summary_paragraphs": pack_pages.paragraphs_of(pack.summary),
        "hash_short": pack_pages.hash_short(pack),
        "interrupts": interrupts,
        "questions": pack_pages.flowchart_questions(pack),
    }
    return render(request, "sharewise/pack_detail.html", context)


@access(PUBLIC)
@require_safe
def pack_sources(request: HttpRequest, pack_id: str) -> HttpResponse:
    pack = _pack_or_404(pack_id)
    context = {"pack": pack, "documents": pack_pages.sources_by_document(pack)}
    return render(request, "sharewise/pack_sources.html", context)


@access(PUBLIC)
@require_safe
def source_paragraph(request: HttpRequest, pack_id: str, cite: str) -> HttpResponse:
    pack = _pack_or_404(pack_id)
    paragraph = pack.paragraph(cite)
    if paragraph is None:
        raise Http404(f"Pack '{pack_id}' cites no paragraph '{cite}'")
    context = {
        "pack": pack,
        "paragraph": paragraph,
        "document": pack.sources.documents.get(paragraph.document),
    }
    return render(request, "sharewise/source_paragraph.html", context)


@access(PUBLIC)
@require_safe
def pack_compare(request: HttpRequest) -> HttpResponse:
    """One case through every pack, side by side (guidance.compare): for training, and for
    a partnership moving between editions. The case is in the query string, so a compared
    case can be bookmarked or linked from a decision; it holds answers, never a name."""
    packs = packs_all()
    fields = pack_pages.compare_fields(packs, request.GET)
    raw = pack_pages.compare_facts(fields, request.GET)
    comparison = compare(raw) if raw else None
    results = []
    if comparison is not None:
        for result in comparison.results:
            results.append(
                {
                    "result": result,
                    "citations": pack_pages.citations(
                        result.pack,
                        tuple(result.outcome.citations) if result.outcome else (),
                    ),
                }
            )
    differences = []
    for difference in comparison.differences if comparison else ():
        differences.append(
            {
                "aspect": difference.aspect,
                "rows": [
                    {
                        "pack": pack_get(pack_id),
                        "value": value,
                        "citations": pack_pages.citations(
                            pack_get(pack_id), difference.cites.get(pack_id, ())
                        ),
                    }
                    for pack_id, value in difference.values.items()
                ],
            }
        )
    context = {
        "fields": fields,
        "results": results,
        "differences": differences,
        "compared": comparison is not None,
    }
    return render(request, "sharewise/pack_compare.html", context)
