"""`POST /decide` and `POST /consent`: the decision contract's two entry points over HTTP.

The body is read and checked by the same functions `sharewise decide` and `sharewise
consent` call, not by a schema of ours, so that for any input the API answers exactly what
the command prints, and rejects exactly what it rejects (decision contract, "Entry
points").
"""

# No `from __future__ import annotations` here: ninja reads the parameters' annotations
# as objects to build the query parameters.

from typing import Any

from django.http import HttpRequest
from ninja import P, QueryEx, Router

from sharewise.guidance.consent import consent_from_json
from sharewise.guidance.decide import decide as contract_decide
from sharewise.web.access import API_ANY_TOKEN, access

from ..errors import ErrorOut, json_body
from ..responses import json_response
from ..schemas import ConsentOut, OutcomeOut, consent_json_schema, facts_json_schema

router = Router(tags=["Decision contract"])

CONTRACT_ERRORS: dict[int, Any] = {400: ErrorOut, 401: ErrorOut, 413: ErrorOut, 422: ErrorOut}


@router.post(
    "/decide",
    response={200: OutcomeOut, **CONTRACT_ERRORS},
    summary="Decide whether to share: facts in, outcome out",
    description=(
        "The body is the decision contract's facts object; the answer is exactly what "
        "`sharewise decide` prints for it. Every fact is optional: when the pack needs one "
        "that is missing, the outcome is `ask` with the question to put next. Facts the "
        "contract rejects (an unknown fact, a value outside its list, a wrong type) give "
        '422 with `{"error", "field"}` as `sharewise decide` prints when it exits with '
        "status 2; a body that is not JSON gives 400. The packs follow HM Government's "
        "guidance: `hmg-2008` the seven key questions (003 section 3), `hmg-2018` the 2018 "
        "advice (004)."
    ),
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": facts_json_schema()}},
        }
    },
)
@access(API_ANY_TOKEN)
def decide(
    request: HttpRequest,
    pack: QueryEx[str | None, P(description="Overrides the body's pack, as --pack does")] = None,
) -> Any:
    # Returned as it is rather than through OutcomeOut, which documents the contract's
    # fields only: the answer must be exactly what `sharewise decide` prints, additions
    # and all.
    return json_response(contract_decide(json_body(request), pack_id=pack).as_json())


@router.post(
    "/consent",
    response={200: ConsentOut, **CONTRACT_ERRORS},
    summary="Whose consent counts, and what it is",
    description=(
        "The body is `sharewise consent`'s input (the person, any care order, the "
        "responses in the order made, optionally a proposed share); the answer is exactly "
        "what `sharewise consent` prints. The rules are those of 003 3.22 to 3.35: "
        "presumed capacity at 16 (3.30), a competent child's own view (3.28), one person "
        "with parental responsibility sufficing (3.27). Bad input gives 422, a body that is "
        "not JSON 400."
    ),
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": consent_json_schema()}},
        }
    },
)
@access(API_ANY_TOKEN)
def consent(request: HttpRequest) -> Any:
    return json_response(consent_from_json(json_body(request)))
