"""Django form fields drawn as GOV.UK Design System components.

`{% govuk_field form.username %}` draws a form group: the label, the hint, the error
message and the input, with the classes and `aria-describedby` links that govuk-frontend's
own macros give them. `{% govuk_error_summary form %}` draws the error summary that goes
at the top of the page, each error linked to its field.
"""

from __future__ import annotations

import copy
import re
from typing import Any

from django import forms, template
from django.forms.boundfield import BoundField
from django.utils.safestring import SafeString, mark_safe

from sharewise.web.forms import SummaryError

register = template.Library()

XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>\s*")


def _kind(field: BoundField) -> str:
    widget = field.field.widget
    if isinstance(widget, forms.HiddenInput):
        return "hidden"
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    if isinstance(widget, forms.Textarea):
        return "textarea"
    if isinstance(widget, forms.Select):
        return "select"
    return "input"


_WIDGET_CLASS = {
    "input": "govuk-input",
    "textarea": "govuk-textarea",
    "select": "govuk-select",
    "checkbox": "govuk-checkboxes__input",
}


@register.inclusion_tag("accounts/includes/govuk_field.html")
def govuk_field(field: BoundField, width: str = "", label_size: str = "s") -> dict[str, Any]:
    kind = _kind(field)
    hint_id = f"{field.auto_id}-hint" if field.help_text else ""
    error_id = f"{field.auto_id}-error" if field.errors else ""
    classes = [_WIDGET_CLASS.get(kind, "")]
    if width and kind == "input":
        classes.append(f"govuk-input--width-{width}")
    if field.errors and kind in ("input", "textarea", "select"):
        classes.append(f"{_WIDGET_CLASS[kind]}--error")
    attrs: dict[str, str | bool] = {"class": " ".join(c for c in classes if c)}
    described_by = " ".join(i for i in (hint_id, error_id) if i)
    if described_by:
        attrs["aria-describedby"] = described_by
    # A copy of the widget, so that the form's own widget keeps its attributes.
    widget = copy.deepcopy(field.field.widget)
    widget.attrs.pop("placeholder", None)
    return {
        "field": field,
        "kind": kind,
        "hint_id": hint_id,
        "error_id": error_id,
        "label_size": label_size,
        "widget_html": field.as_widget(widget=widget, attrs=attrs),
    }


@register.inclusion_tag("sharewise/includes/error_summary.html")
def govuk_error_summary(form: forms.Form) -> dict[str, Any]:
    visible = form.visible_fields()
    # An error about the form as a whole (a wrong username or password) links to its first
    # field, which is where someone would start to put it right.
    first_id = visible[0].id_for_label if visible else ""
    errors = [SummaryError(str(message), first_id) for message in form.non_field_errors()]
    for field in visible:
        errors.extend(SummaryError(str(message), field.id_for_label) for message in field.errors)
    return {"errors": errors}


@register.filter
def inline_svg(svg: str) -> SafeString:
    """An SVG document (allauth's QR code) as markup to put straight into the page.

    Drawn inline rather than as a data: URL in an <img>, so the Content-Security-Policy
    need not allow data: images. The document comes from the qrcode library, never from a
    user."""
    return mark_safe(XML_DECLARATION.sub("", svg))  # noqa: S308
