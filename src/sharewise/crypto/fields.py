"""Model fields whose values are stored encrypted (keyring.py has the format).

A value is encrypted when it is written and decrypted when it is read, bound to its table,
its column and its row's primary key (docs/decisions/0019-encryption-bound-to-the-row.md):

- Writing. `pre_save` hands the value on with the row's primary key (`RowBound`), and
  `get_prep_value` encrypts it with that key in the associated data. A new row has no key
  before its INSERT, so one is taken from the table's own sequence first (`_allocate_pk`,
  on the `pre_save` signal), and the row is inserted with it: the value is written once,
  already bound, and never exists in the table in a form that could be moved to another
  row. A write that cannot name its row (`QuerySet.update`, `bulk_update`, `bulk_create`
  of rows without ids) is refused, unless the value hides nothing (the empty string, an
  empty list or dict); a caller that knows the row passes `for_row(pk, value)`.
- Reading. A field's column is selected as `<pk>:<stored value>` (`RowBoundColumn`), so
  `from_db_value`, which Django gives no row, learns the row's key from the database
  itself, not from anything stored in the value.

A stored value without the `enc:` prefix is legacy plain text, read as it is, so that the
migrations that introduce these fields can read each row and save it again encrypted. The
empty string is stored as it is: it hides nothing, and forms and `blank=True` checks depend
on it.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

from django.db import connections, models, router
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models.expressions import Col, Expression
from django.db.models.signals import pre_save
from django.utils.functional import cached_property

from . import keyring

# django-stubs makes the field types generic for mypy only; at run time TextField cannot
# be subscripted.
if TYPE_CHECKING:
    _TextField = models.TextField[Any, Any]
else:
    _TextField = models.TextField

# Between the row's primary key and the stored value in what `RowBoundColumn` selects.
PK_SEPARATOR = ":"
# Values that hide nothing, stored as plain text when written without a row.
_EMPTY_JSON = ("[]", "{}")


@dataclass(frozen=True)
class RowBound:
    """A value on its way to the database with the primary key of the row it goes in."""

    value: Any
    pk: Any


def for_row(pk: Any, value: Any) -> RowBound:
    """`value` to be written to the row whose primary key is `pk`, for a write the field
    cannot see the row of: `Model.objects.filter(pk=pk).update(notes=for_row(pk, text))`."""
    if pk is None:
        raise keyring.FieldKeyError("An encrypted value is bound to a row: name the row's key")
    return RowBound(value, pk)


class RowBoundColumn(Col):
    """An encrypted field's column, selected with its row's primary key in front.

    Only the SELECT list changes (`select_format`); in WHERE, ORDER BY or an UPDATE the
    column is the plain column."""

    def select_format(self, compiler: Any, sql: str, params: Any) -> tuple[str, Any]:
        pk_column = str(self.target.model._meta.pk.column)
        names = (self.alias, pk_column) if self.alias else (pk_column,)
        pk_sql = ".".join(map(compiler.quote_name_unless_alias, names))
        return f"(CAST({pk_sql} AS text) || '{PK_SEPARATOR}' || {sql})", params


class EncryptedFieldMixin:
    """What both field types share: the table, column and row are the associated data."""

    def _place(self) -> tuple[str, str]:
        # The mixin is only ever used with a model field, which has both.
        field = cast("models.Field[Any, Any]", self)
        return field.model._meta.db_table, str(field.column)

    def _seal(self, plaintext: str, pk: Any) -> str:
        if plaintext == "":
            return ""
        if pk is None:
            if plaintext in _EMPTY_JSON:
                return plaintext
            table, column = self._place()
            raise keyring.FieldKeyError(
                f"A value of {table}.{column} is written without the row it belongs to, and "
                "could not be bound to it: save the row, or pass crypto.fields.for_row(pk, value)"
            )
        table, column = self._place()
        return keyring.encrypt(plaintext, table=table, column=column, row=str(pk))

    def _open(self, stored: str, pk: str | None) -> str:
        if not keyring.is_encrypted(stored):
            return stored
        table, column = self._place()
        return keyring.decrypt(stored, table=table, column=column, row=pk)

    def _stored_and_pk(self, value: str, expression: Expression) -> tuple[str, str | None]:
        """The stored value and its row's key, from what `RowBoundColumn` selected."""
        if not isinstance(expression, RowBoundColumn):
            # Selected some other way (a raw query, an expression over the column): the
            # row is not known, and a v2 value then refuses to decrypt.
            return value, None
        pk, _, stored = value.partition(PK_SEPARATOR)
        return stored, pk

    def pre_save(self, model_instance: models.Model, add: bool) -> Any:
        field = cast("models.Field[Any, Any]", self)
        value = getattr(model_instance, field.attname)
        if model_instance.pk is None:
            return value
        return RowBound(value, model_instance.pk)

    def get_col(self, alias: str, output_field: Any = None) -> Col:
        field = cast("models.Field[Any, Any]", self)
        if alias == field.model._meta.db_table and (output_field is None or output_field == self):
            return self.cached_col
        return RowBoundColumn(alias, field, output_field)

    @cached_property
    def cached_col(self) -> Col:
        field = cast("models.Field[Any, Any]", self)
        return RowBoundColumn(field.model._meta.db_table, field)

    def contribute_to_class(
        self, cls: type[models.Model], name: str, private_only: bool = False
    ) -> None:
        super().contribute_to_class(cls, name, private_only)  # type: ignore[misc]
        if not cls._meta.abstract:
            # Once per model class however many encrypted fields it has: the signal keeps
            # one connection per (receiver, sender). The historical models of migrations
            # are classes of their own, and get theirs.
            pre_save.connect(_allocate_pk, sender=cls)


def _unbound(value: Any) -> tuple[Any, Any]:
    if isinstance(value, RowBound):
        return value.value, value.pk
    return value, None


class EncryptedTextField(EncryptedFieldMixin, _TextField):
    """A TextField stored encrypted; its Python value is the plain text."""

    def from_db_value(
        self, value: str | None, expression: Expression, connection: BaseDatabaseWrapper
    ) -> str | None:
        if value is None:
            return None
        stored, pk = self._stored_and_pk(value, expression)
        return self._open(stored, pk)

    def get_prep_value(self, value: Any) -> Any:
        value, pk = _unbound(value)
        value = super().get_prep_value(value)
        if value is None:
            return None
        return self._seal(str(value), pk)


class EncryptedJSONField(EncryptedFieldMixin, _TextField):
    """A dict or list stored as its JSON text, encrypted, in a text column.

    Unlike JSONField it cannot be queried by key: the database sees only ciphertext."""

    def from_db_value(
        self, value: str | None, expression: Expression, connection: BaseDatabaseWrapper
    ) -> Any:
        if value is None:
            return None
        stored, pk = self._stored_and_pk(value, expression)
        if stored == "":
            return None
        return json.loads(self._open(stored, pk))

    def to_python(self, value: Any) -> Any:
        # Django calls this when it cleans a model; the Python value is already the dict or
        # list, unlike TextField's, which would turn it into a string.
        return value

    def get_prep_value(self, value: Any) -> Any:
        value, pk = _unbound(value)
        if value is None:
            return None
        return self._seal(json.dumps(value, ensure_ascii=False, sort_keys=True), pk)

    def value_to_string(self, obj: models.Model) -> str:
        return json.dumps(self.value_from_object(obj), ensure_ascii=False, sort_keys=True)


def _encrypted_fields(model: type[models.Model]) -> list[Any]:
    return [f for f in model._meta.concrete_fields if isinstance(f, EncryptedFieldMixin)]


def _allocate_pk(
    sender: type[models.Model], instance: models.Model, raw: bool = False, **kwargs: Any
) -> None:
    """Give a new row its primary key before its INSERT, when it has a value to encrypt,
    so that the value is bound to the row from its first write (see the module's text)."""
    if raw or instance.pk is not None:
        return
    if not any(_needs_row(f, getattr(instance, f.attname)) for f in _encrypted_fields(sender)):
        return
    using = kwargs.get("using") or router.db_for_write(sender, instance=instance)
    (instance.pk,) = row_ids_allocate(sender, 1, using=using)


def _needs_row(field: Any, value: Any) -> bool:
    if value is None or value == "":
        return False
    if isinstance(field, EncryptedJSONField):
        return json.dumps(value) not in _EMPTY_JSON
    return True


def row_ids_allocate(model: type[models.Model], count: int, using: str = "default") -> list[int]:
    """`count` new primary keys of `model`'s table, taken from the table's own sequence as
    an INSERT without a key would take them, for rows that must know their key before
    they are written (bulk_create of rows with encrypted values, among them)."""
    if count <= 0:
        return []
    connection = connections[using]
    table = model._meta.db_table
    pk_column = str(model._meta.pk.column)
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [quote(table), pk_column, count],
            )
            return [int(row[0]) for row in cursor.fetchall()]
        if connection.vendor != "sqlite":
            raise RuntimeError(f"Sharewise runs on SQLite or PostgreSQL, not {connection.vendor}")
        # AUTOINCREMENT keeps the largest key ever given in sqlite_sequence; moving it on by
        # `count` reserves the keys as an INSERT would (the write lock of the statement
        # puts two allocations in order). The table's largest key is read too, in case the
        # sequence row is missing or behind (a table just rebuilt by a migration).
        largest = f"(SELECT coalesce(max({quote(pk_column)}), 0) FROM {quote(table)})"  # noqa: S608
        cursor.execute(
            f"UPDATE sqlite_sequence SET seq = max(seq, {largest}) + %s WHERE name = %s"  # noqa: S608
            " RETURNING seq",
            [count, table],
        )
        found = cursor.fetchone()
        if found is None:
            cursor.execute(
                f"INSERT INTO sqlite_sequence (name, seq) SELECT %s, {largest} + %s RETURNING seq",
                [table, count],
            )
            found = cursor.fetchone()
        last = int(found[0])
    return list(range(last - count + 1, last + 1))


def rows_with_ids(objs: Sequence[models.Model], using: str = "default") -> Sequence[models.Model]:
    """Give every object of `objs` without a primary key one, for a bulk_create of rows
    that hold encrypted values; returns `objs`."""
    missing = [o for o in objs if o.pk is None]
    if missing:
        for obj, pk in zip(
            missing, row_ids_allocate(type(missing[0]), len(missing), using), strict=True
        ):
            obj.pk = pk
    return objs
