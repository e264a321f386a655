"""The published OpenAPI schema: valid OpenAPI 3.1, one component per name, every operation's
error responses documented."""

from __future__ import annotations

import schemathesis

from opora.api import api


def test_the_published_schema_is_valid_openapi():
    schema = api.get_openapi_schema()  # refuses two different components under one name
    schemathesis.openapi.from_dict(schema).validate()


def test_the_registry_people_are_documented_with_the_registry_fields():
    schema = api.get_openapi_schema()
    person = schema["components"]["schemas"]["PersonOut"]["properties"]
    assert {"snils", "birth_date", "merged_into_id"} <= set(person)
    partner_person = schema["components"]["schemas"]["PartnerPersonOut"]["properties"]
    assert "positions" in partner_person


def test_every_operation_documents_its_errors_and_guarded_ones_their_login():
    schema = api.get_openapi_schema()
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            responses = {int(code): answer for code, answer in operation["responses"].items()}
            codes = set(responses)
            assert {400, 404, 409, 422} <= codes, (method, path)
            if operation.get("security"):
                assert {401, 403} <= codes, (method, path)
            if method in {"post", "put", "patch"}:
                assert 413 in codes, (method, path)
            for code in codes - {200, 201, 202, 204, 503}:
                ref = responses[code]["content"]["application/json"]["schema"]
                assert ref == {"$ref": "#/components/schemas/ErrorOut"}, (method, path, code)
