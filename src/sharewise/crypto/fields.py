"""Model fields whose values are stored encrypted (keyring.py has the format).

A value is encrypted when it is written (`get_prep_value`) and decrypted when it is read
(`from_db_value`). A stored value without the `enc:` prefix is legacy plain text, read as
it is, so that the migrations that introduce these fields can read each row and save it
again encrypted. The empty string is stored as it is: it hides nothing, and forms and
`blank=True` checks depend on it.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, cast

from django.db import models
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models.expressions import Expression

from . import keyring

# django-stubs makes the field types generic for mypy only; at run time TextField cannot
# be subscripted.
if TYPE_CHECKING:
    _TextField = models.TextField[Any, Any]
else:
    _TextField = models.TextField


class EncryptedFieldMixin:
    """What both field types share: the table and column are the associated data."""

    def _place(self) -> tuple[str, str]:
        # The mixin is only ever used with a model field, which has both.
        field = cast("models.Field[Any, Any]", self)
        return field.model._meta.db_table, str(field.column)

    def _seal(self, plaintext: str) -> str:
        if plaintext == "":
            return ""
        table, column = self._place()
        return keyring.encrypt(plaintext, table=table, column=column)

    def _open(self, stored: str) -> str:
        if not keyring.is_encrypted(stored):
            return stored
        table, column = self._place()
        return keyring.decrypt(stored, table=table, column=column)


class EncryptedTextField(EncryptedFieldMixin, _TextField):
    """A TextField stored encrypted; its Python value is the plain text."""

    def from_db_value(
        self, value: str | None, expression: Expression, connection: BaseDatabaseWrapper
    ) -> str | None:
        if value is None:
            return None
        return self._open(value)

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None:
            return None
        return self._seal(str(value))


class EncryptedJSONField(EncryptedFieldMixin, _TextField):
    """A dict or list stored as its JSON text, encrypted, in a text column.

    Unlike JSONField it cannot be queried by key: the database sees only ciphertext."""

    def from_db_value(
        self, value: str | None, expression: Expression, connection: BaseDatabaseWrapper
    ) -> Any:
        if value is None or value == "":
            return None
        return json.loads(self._open(value))

    def to_python(self, value: Any) -> Any:
        # Django calls this when it cleans a model; the Python value is already the dict or
        # list, unlike TextField's, which would turn it into a string.
        return value

    def get_prep_value(self, value: Any) -> Any:
        if value is None:
            return None
        return self._seal(json.dumps(value, ensure_ascii=False, sort_keys=True))

    def value_to_string(self, obj: models.Model) -> str:
        return json.dumps(self.value_from_object(obj), ensure_ascii=False, sort_keys=True)
