"""What every API router shares: authentication, declared permissions and the one error body."""

from __future__ import annotations

import copy
import hmac
import inspect
import json
from datetime import timedelta
from functools import wraps
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, NinjaAPI, Schema
from ninja import Router as NinjaRouter
from ninja.constants import NOT_SET
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security import HttpBearer, django_auth

from .errors import DomainError
from .models import ApiToken
from .permissions import PUBLIC, has_permission
from .services import hash_token_key


class ExampleMarkOut(Schema):
    """The fields of ``core.models.ExampleMark`` that every API object made up by the demo shows
    (its badge on the pages)."""

    is_example: bool = Field(False, description="Made up for the demo, not a published fact.")
    example_note: str = Field("", description="What of the record is an example.")


class TokenAuth(HttpBearer):
    """``Authorization: Bearer opora_<prefix>_<secret>`` for service accounts."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        parts = token.split("_", 2)
        if len(parts) != 3 or parts[0] != "opora":
            return None
        record = ApiToken.objects.select_related("user").filter(prefix=parts[1]).first()
        if record is None or not hmac.compare_digest(record.key_hash, hash_token_key(token)):
            return None
        now = timezone.now()
        if record.revoked_at or (record.expires_at and record.expires_at <= now):
            return None
        if not record.user.is_active:
            return None
        if record.last_used_at is None or now - record.last_used_at > timedelta(minutes=5):
            ApiToken.objects.filter(pk=record.pk).update(last_used_at=now)
        request.user = record.user
        return record.user


_checked_classes: dict[type, type] = {}


def _permission_checked(auth: Any, code: str) -> Any:
    """A copy of an authentication callback that also refuses an authenticated caller without
    the permission, so the refusal (403) comes before ninja parses any parameter or body.
    The class keeps its name, so the OpenAPI security schemes stay as they are."""
    base = type(auth)
    if base not in _checked_classes:

        def __call__(self, request):
            result = base.__call__(self, request)
            if result and not has_permission(request.user, self.opora_permission):
                raise PermissionDenied
            return result

        _checked_classes[base] = type(base.__name__, (base,), {"__call__": __call__})
    checked = copy.copy(auth)
    checked.__class__ = _checked_classes[base]
    checked.opora_permission = code
    return checked


def default_auth() -> list[Any]:
    return [TokenAuth(), django_auth]


class Router(NinjaRouter):
    """ninja's Router, checking each operation's declared permission at authentication."""

    def add_api_operation(self, path, methods, view_func, *, auth=NOT_SET, **kwargs):
        code = getattr(view_func, "opora_permission", None)
        if auth is NOT_SET and code and code != PUBLIC:
            auth = [_permission_checked(callback, code) for callback in default_auth()]
        return super().add_api_operation(path, methods, view_func, auth=auth, **kwargs)


def error_body(code: str, message: str, details: Any = None, status: int = 400) -> JsonResponse:
    return JsonResponse({"code": code, "message": message, "details": details or {}}, status=status)


def api_require(code: str):
    """The API twin of ``permissions.require``: declares and enforces an endpoint's permission."""

    def decorator(func):
        @wraps(func)
        def wrapped(request, *args, **kwargs):
            if code != PUBLIC and not has_permission(request.user, code):
                raise PermissionDenied
            return func(request, *args, **kwargs)

        wrapped.opora_permission = code
        # Ninja reads annotations in the outermost function's module; give it the handler's
        # own, evaluated, so handlers may use ``from __future__ import annotations``.
        wrapped.__signature__ = inspect.signature(func, eval_str=True)
        return wrapped

    return decorator


def install_error_handlers(api: NinjaAPI) -> None:
    @api.exception_handler(DomainError)
    def domain_error(request, exc: DomainError):
        return error_body(exc.code, str(exc.message), exc.details, exc.status)

    @api.exception_handler(ValidationError)
    def validation_error(request, exc: ValidationError):
        details = [
            {"location": list(map(str, e.get("loc", ()))), "message": e.get("msg", "")}
            for e in exc.errors
        ]
        return error_body("validation_error", _("The request is not valid."), details, 422)

    @api.exception_handler(AuthenticationError)
    def authentication_error(request, exc):
        return error_body("not_authenticated", _("Authentication is required."), status=401)

    @api.exception_handler(PermissionDenied)
    def permission_denied(request, exc):
        return error_body(
            "permission_denied", _("You do not have permission for this."), status=403
        )

    @api.exception_handler(Http404)
    def not_found(request, exc):
        return error_body("not_found", _("Not found."), status=404)

    @api.exception_handler(HttpError)
    def http_error(request, exc: HttpError):
        return error_body(f"http_{exc.status_code}", str(exc), status=exc.status_code)


class ApiErrorBodyMiddleware:
    """Any 4xx under /api/ that did not come from a handler above (an unknown path, a wrong
    method, a failed CSRF check, a throttled login) still gets the one JSON error body."""

    CODES = {
        400: "bad_request",
        401: "not_authenticated",
        403: "permission_denied",
        404: "not_found",
        405: "method_not_allowed",
        429: "too_many_requests",
    }

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not request.path.startswith("/api/") or not 400 <= response.status_code < 500:
            return response
        if response.get("Content-Type", "").startswith("application/json"):
            try:
                body = json.loads(response.content)
            except ValueError:
                body = None
            if isinstance(body, dict) and {"code", "message", "details"} <= set(body):
                return response
        status = response.status_code
        wrapped = error_body(
            self.CODES.get(status, f"http_{status}"),
            response.reason_phrase or "Error",
            status=status,
        )
        for header in ("Allow", "WWW-Authenticate", "Retry-After"):
            if header in response:
                wrapped[header] = response[header]
        return wrapped
