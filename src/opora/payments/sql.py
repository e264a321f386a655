"""The few SQL statements payments writes itself, portable between SQLite (3.33 or later, for
``UPDATE … FROM``) and PostgreSQL; the one dialect switch is the check-digit condition
(``bank.sql_check_digit_ok``) and the date difference of ``assistance.selectors.payable``."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.db.models import QuerySet


def q(name: str) -> str:
    return connection.ops.quote_name(name)


def table(model: Any) -> str:
    return q(model._meta.db_table)


def compiled(qs: QuerySet) -> tuple[str, tuple[Any, ...]]:
    """A queryset's SQL with its parameters kept apart (never ``str(qs.query)``)."""
    sql, params = qs.query.sql_with_params()
    return sql, tuple(params)


def execute(sql: str, params: Any = ()) -> int:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def fetchall(sql: str, params: Any = ()) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def date_param(day: Any) -> Any:
    return connection.ops.adapt_datefield_value(day)
