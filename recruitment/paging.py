"""Pages of the applicant list that cost the same at row 50 and at row 500,000.

OFFSET n reads and throws away n rows, so numbered pages are served only within
NUMBERED_ROWS rows of either end of the list: the first pages in the list's order, the
last ones in the reverse order (the last page is the first page read backwards). Pages
in between are reached with Next and Previous, which carry a cursor: the sort key of the
row they continue from, signed so that it cannot be forged into an arbitrary filter.
The page then seeks to that key in the sort's index (keyset paging) instead of
counting rows to it.

The keyset condition follows the database's place for NULLs in an order (PostgreSQL
puts them after every value, SQLite before), so nullable sort columns (city, source,
age) page like the others.
"""

import datetime
from dataclasses import dataclass

from django.core import signing
from django.db import connection
from django.db.models import F, OrderBy, Q, QuerySet
from django.db.models.expressions import Col
from django.db.models.functions import Collate

# Numbered pages reach this many rows into the list from either end.
NUMBERED_ROWS = 10_000
_SALT = "recruitment.list.cursor"


class BadCursor(ValueError):
    """A cursor that was not made by this site, or for another sort."""


@dataclass(frozen=True)
class SortKey:
    expression: object
    descending: bool
    nullable: bool


def sort_keys(queryset: QuerySet) -> list[SortKey]:
    """The queryset's order as expressions; its last key must be unique (the id)."""
    keys = []
    for item in queryset.query.order_by:
        if isinstance(item, str):
            expression = F(item.lstrip("-"))
            descending = item.startswith("-")
        elif isinstance(item, OrderBy):
            expression, descending = item.expression, item.descending
        else:
            raise TypeError(f"Cannot page by {item!r}")
        keys.append(SortKey(expression, descending, _nullable(queryset.model, expression)))
    return keys


def _nullable(model, expression) -> bool:
    if isinstance(expression, Collate):
        expression = expression.get_source_expressions()[0]
    if not isinstance(expression, F | Col):
        # The stage order is a CASE with a value for every stage.
        return False
    path = expression.name.split("__") if isinstance(expression, F) else [expression.target.name]
    for name in path:
        field = model._meta.get_field(name)
        if field.null:
            return True
        model = field.related_model
    return False


def _alias(index: int) -> str:
    return f"seek_{index}"


def with_sort_values(queryset: QuerySet, keys: list[SortKey]) -> QuerySet:
    return queryset.annotate(**{_alias(i): key.expression for i, key in enumerate(keys)})


def cursor_for(values: tuple, *, sort: str) -> str:
    """A row's sort values (as with_sort_values reads them) as a signed cursor."""
    plain = [
        value.isoformat() if isinstance(value, datetime.datetime) else value for value in values
    ]
    return signing.dumps({"sort": sort, "values": plain}, salt=_SALT, compress=True)


def cursor_values(cursor: str, *, sort: str, keys: list[SortKey]) -> list:
    try:
        data = signing.loads(cursor, salt=_SALT)
    except signing.BadSignature as error:
        raise BadCursor(cursor) from error
    if data.get("sort") != sort or len(data.get("values", ())) != len(keys):
        raise BadCursor(cursor)
    return data["values"]


def reversed_keys(keys: list[SortKey]) -> list[SortKey]:
    return [SortKey(key.expression, not key.descending, key.nullable) for key in keys]


def order_by_keys(queryset: QuerySet, keys: list[SortKey]) -> QuerySet:
    return queryset.order_by(
        *(OrderBy(F(_alias(i)), descending=key.descending) for i, key in enumerate(keys))
    )


def rows_after(queryset: QuerySet, keys: list[SortKey], values: list) -> QuerySet:
    """The rows that come after `values` in the order of `keys` (queryset annotated by
    with_sort_values), in that order."""
    beyond = Q(pk__in=[])
    equal_so_far = Q()
    for index, (key, value) in enumerate(zip(keys, values, strict=True)):
        beyond |= equal_so_far & _after(index, key, value)
        equal_so_far &= _equal(index, value)
    queryset = queryset.filter(beyond)
    leading = _leading_bound(keys[0], values[0])
    if leading is not None:
        # Redundant with the condition above, but a plain range on the first key is what
        # lets the database start its index scan at the cursor.
        queryset = queryset.filter(leading)
    return order_by_keys(queryset, keys)


def _nulls_last(key: SortKey) -> bool:
    nulls_largest = connection.vendor == "postgresql"
    return nulls_largest != key.descending


def _after(index: int, key: SortKey, value) -> Q:
    name = _alias(index)
    if value is None:
        return Q(pk__in=[]) if _nulls_last(key) else Q(**{f"{name}__isnull": False})
    strictly = Q(**{f"{name}__lt" if key.descending else f"{name}__gt": value})
    if key.nullable and _nulls_last(key):
        return strictly | Q(**{f"{name}__isnull": True})
    return strictly


def _equal(index: int, value) -> Q:
    name = _alias(index)
    return Q(**{f"{name}__isnull": True}) if value is None else Q(**{name: value})


def _leading_bound(key: SortKey, value) -> Q | None:
    if value is None or key.nullable:
        return None
    name = _alias(0)
    return Q(**{f"{name}__lte" if key.descending else f"{name}__gte": value})
