"""The check made before every save of a Sharewise record: its free text within the limit
of its kind and storable by the database (sharewise.input_limits).

Every write goes through a service and every service saves through a model, so checking
here, once, covers the web forms, the API and the commands alike, and a field or a way in
added later cannot forget it. What is refused is a ServiceError naming the field, which the
web shows beside the field and the API as its error object (400); the service's transaction
is rolled back, so nothing of the write is kept. A CharField's max_length is enforced here
too: SQLite ignores it, and PostgreSQL would fail on the write with a server error.

A `bulk_create` or `QuerySet.update` sends no signal: a service writing free text that way
checks it itself with `text_refused`.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models.signals import pre_save

from sharewise.common import ServiceError
from sharewise.crypto.fields import RowBound
from sharewise.input_limits import (
    LONG_TEXT,
    text_limit,
    text_too_long_message,
    unstorable_text_problem,
)

# The apps whose records hold what people type. The audit log, training progress and API
# tokens hold only what Sharewise writes itself.
CHECKED_APPS = frozenset(
    {"agencies", "people", "consents", "decisions", "disclosures", "requests", "advice"}
    | {"protocols", "followups", "rights", "retention"}
)
# Fields Sharewise fills itself with more than a note's length: a subject access PDF.
UNLIMITED_FIELDS = frozenset({("rights", "subjectaccessrequest", "pdf")})


def text_refused(value: str, *, field: str, label: str, limit: int) -> ServiceError | None:
    """The error for text that is too long or cannot be stored, or None."""
    problem = unstorable_text_problem(value)
    if problem is not None:
        return ServiceError(f"{label} {problem}", field=field)
    if len(value) > limit:
        return ServiceError(text_too_long_message(label, limit, len(value)), field=field)
    return None


def _label(field: models.Field[Any, Any]) -> str:
    name = str(field.verbose_name)
    return name[:1].upper() + name[1:]


def _refused_in(value: Any, *, field: str, label: str, limit: int) -> ServiceError | None:
    """The first string in a JSON value (a list of kinds of information, the reasons by
    fact) that is refused, each item judged as a field of its own."""
    if isinstance(value, str):
        return text_refused(value, field=field, label=label, limit=limit)
    if isinstance(value, dict):
        for key, item in value.items():
            name = f"{field}.{key}"
            # Only a field's own items take the limit of their kind ("reasons.<fact>" is a
            # reason); deeper down is what Sharewise writes itself (a trace, the outcome as
            # signed), which keeps the long limit.
            item_limit = text_limit(name) if "." not in field else LONG_TEXT
            refused = text_refused(str(key), field=field, label=label, limit=LONG_TEXT)
            refused = refused or _refused_in(
                item, field=name, label=f"{label} ({key})", limit=item_limit
            )
            if refused is not None:
                return refused
    if isinstance(value, (list, tuple)):
        for item in value:
            refused = _refused_in(item, field=field, label=f"Each of {label.lower()}", limit=limit)
            if refused is not None:
                return refused
    return None


def record_refused(instance: models.Model) -> ServiceError | None:
    """The first of the record's text fields that may not be saved, or None."""
    meta = instance._meta
    for field in meta.concrete_fields:
        if (meta.app_label, meta.model_name, field.name) in UNLIMITED_FIELDS:
            continue
        value = getattr(instance, field.attname, None)
        if isinstance(value, RowBound):
            value = value.value
        if isinstance(value, str):
            if isinstance(field, models.CharField) and field.max_length is not None:
                limit = field.max_length
            else:
                limit = text_limit(field.name)
            refused = text_refused(value, field=field.name, label=_label(field), limit=limit)
        elif isinstance(value, (dict, list)):
            refused = _refused_in(
                value, field=field.name, label=_label(field), limit=text_limit(field.name)
            )
        else:
            continue
        if refused is not None:
            return refused
    return None


def record_text_check(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    """pre_save: refuse the save of a record whose text may not be kept."""
    # `raw` is a fixture or a backup being loaded: what was stored is restored as it was.
    if kwargs.get("raw") or sender._meta.app_label not in CHECKED_APPS:
        return
    refused = record_refused(instance)
    if refused is not None:
        raise refused


def connect() -> None:
    pre_save.connect(record_text_check, dispatch_uid="sharewise.storable.record_text_check")
