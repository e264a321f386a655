"""The cooperation API is a package of one module per area: its modules read through the
selectors and write through the services (no query of their own), every refusal they raise says
its message through gettext, and the operations keep the ids clients were generated with."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

import opora.cooperation.api as package
from opora.api import api

MODULES = sorted(Path(package.__file__).parent.glob("*.py"))
# What building or running a query looks like; ``.all()`` only reads what a selector fetched.
QUERYING = re.compile(
    r"\.objects\b|\.(filter|exclude|get|select_related|prefetch_related|order_by|annotate|"
    r"aggregate|values|values_list|extra|raw|create|update|delete|save|exists|count|first|"
    r"last|in_bulk|get_or_create|update_or_create|bulk_create|bulk_update)\("
)


def test_the_package_has_a_module_per_area():
    names = {path.stem for path in MODULES}
    assert {"partners", "agreements", "events", "series", "letters", "aid"} <= names


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.name)
def test_no_module_queries_the_database_itself(path):
    source = path.read_text()
    assert "django.db" not in source
    assert [
        f"{number}: {line.strip()}"
        for number, line in enumerate(source.splitlines(), 1)
        if QUERYING.search(line) and not line.lstrip().startswith("@router.")
    ] == []


def _is_gettext(node: ast.expr) -> bool:
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod):
        node = node.left
    return isinstance(node, ast.Call) and getattr(node.func, "id", "") == "_"


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.name)
def test_every_refusal_is_translatable(path):
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "DomainError":
            assert len(node.args) >= 2 and _is_gettext(node.args[1]), ast.unparse(node)
            for keyword in node.keywords:
                if keyword.arg == "details":
                    for messages in keyword.value.values:  # type: ignore[attr-defined]
                        assert all(_is_gettext(m) for m in messages.elts), ast.unparse(node)


def test_the_operations_keep_their_ids():
    paths = api.get_openapi_schema()["paths"]
    ids = [
        operation["operationId"]
        for path, methods in paths.items()
        if path.startswith("/api/v1/cooperation/")
        for operation in methods.values()
    ]
    assert len(ids) == len(set(ids)) == 43
    assert all(re.fullmatch(r"opora_cooperation_api_[a-z_]+", i) for i in ids), ids
    assert "opora_cooperation_api_partner_list" in ids
