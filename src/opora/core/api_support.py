"""What every API router shares: authentication, declared permissions and the one error body."""

from __future__ import annotations

import copy
import datetime as dt
import hmac
import inspect
import json
import re
import types
from datetime import timedelta
from functools import wraps
from typing import Annotated, Any, Union, get_args, get_origin

import annotated_types
from django.conf import settings
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError, IntegrityError, transaction
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.http.response import HttpResponseBase
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, NinjaAPI, Schema
from ninja import Router as NinjaRouter
from ninja.constants import NOT_SET
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.openapi.schema import OpenAPISchema
from ninja.pagination import PageNumberPagination as NinjaPageNumberPagination
from ninja.parser import Parser
from ninja.responses import Status
from ninja.security import HttpBearer, django_auth
from pydantic import AfterValidator, BaseModel, BeforeValidator
from pydantic import ValidationError as PydanticValidationError

from . import token_cache
from .errors import DomainError
from .models import ApiToken
from .permissions import PUBLIC, has_permission
from .services import hash_token_key

# --- The one validation layer of the API's input ----------------------------------------------
#
# Every parameter and body an operation declares passes through ``harden`` when the operation is
# added to a ``Router``: whatever the app's schema says, an integer fits the database's 64-bit
# range, a string holds nothing the database cannot store (NUL, lone surrogates), a date is a
# strict ISO date within years that later arithmetic cannot push out of the calendar, a time or a
# moment is in the server's time zone, a decimal is a finite number. A schema that names the
# model it is stored in (``stored_in``) also gets each string's column length and refuses an
# explicit null for a column that cannot be empty. The limits are part of the published schema.

DB_INTEGER_MIN = -(2**63)
DB_INTEGER_MAX = 2**63 - 1
# Years far from any record of the department, and far enough from 1 and 9999 that adding a
# term, a deadline or a review period to a date stays in the calendar.
EARLIEST_DATE = dt.date(1800, 1, 1)
LATEST_DATE = dt.date(2199, 12, 31)
MAX_PAGE = 2**31 - 1
# A year or a count of days a handler turns into a date.
Year = Annotated[int, Field(ge=EARLIEST_DATE.year, le=LATEST_DATE.year)]
DayCount = Annotated[int, Field(ge=-3660, le=3660, description="At most ten years either way.")]
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_ISO_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")


def _storable_text(value: str) -> str:
    if "\x00" in value:
        raise ValueError(_("The text contains a NUL character."))
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError(_("The text is not valid Unicode.")) from None
    return value


def _iso_date(value: Any) -> Any:
    # pydantic reads a number as a Unix time ("?on=0" is 1970-01-01): a date is written out.
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str) or not _ISO_DATE.fullmatch(value):
        raise ValueError(_("Give a date as YYYY-MM-DD."))
    return value


def _iso_datetime(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value
    if not isinstance(value, str) or not _ISO_DATETIME.match(value):
        raise ValueError(_("Give a date and time as YYYY-MM-DDTHH:MM, with an offset if needed."))
    return value


def _aware(value: dt.datetime) -> dt.datetime:
    if timezone.is_naive(value):
        return timezone.make_aware(value)
    return value


def _local_time(value: dt.time) -> dt.time:
    """A time with an offset as the wall-clock time it is here today: times are compared with
    the naive times of the records."""
    if value.tzinfo is None:
        return value
    moment = dt.datetime.combine(timezone.localdate(), value)
    return timezone.localtime(moment).time().replace(tzinfo=None)


_BOUNDED_DATE = Field(ge=EARLIEST_DATE, le=LATEST_DATE)
_BOUNDED_MOMENT = Field(
    ge=dt.datetime.combine(EARLIEST_DATE, dt.time.min, tzinfo=dt.UTC),
    le=dt.datetime.combine(LATEST_DATE, dt.time.max, tzinfo=dt.UTC),
)
_HARDENED: dict[Any, Any] = {
    int: Annotated[int, Field(ge=DB_INTEGER_MIN, le=DB_INTEGER_MAX)],
    str: Annotated[str, AfterValidator(_storable_text)],
    dt.date: Annotated[dt.date, BeforeValidator(_iso_date), _BOUNDED_DATE],
    dt.datetime: Annotated[
        dt.datetime, BeforeValidator(_iso_datetime), AfterValidator(_aware), _BOUNDED_MOMENT
    ],
    dt.time: Annotated[dt.time, AfterValidator(_local_time)],
}
_hardened_models: set[type[BaseModel]] = set()


def _hardened(annotation: Any) -> Any:
    origin = get_origin(annotation)
    if origin is Annotated:
        base, *extra = get_args(annotation)
        return Annotated[(_hardened(base), *extra)]
    if origin in (Union, types.UnionType):
        return Union[tuple(_hardened(arg) for arg in get_args(annotation))]  # noqa: UP007
    if origin in (list, set, frozenset):
        return origin[_hardened(get_args(annotation)[0])]
    if origin is dict and get_args(annotation):
        key, value = get_args(annotation)
        return dict[_hardened(key), _hardened(value)]  # type: ignore[misc]
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        harden(annotation)
        return annotation
    if annotation.__class__ is type and annotation.__name__ == "Decimal":
        return Annotated[annotation, Field(allow_inf_nan=False)]
    return _HARDENED.get(annotation, annotation)


def _column(model: type[BaseModel], name: str) -> Any:
    stored_in = getattr(model, "stored_in", None)
    if stored_in is None:
        return None
    try:
        return stored_in._meta.get_field(name)
    except FieldDoesNotExist:
        return None


def _not_null(annotation: Any) -> Any:
    """``X | None`` without ``None``: the field may still be left out (its default is None and
    defaults are not validated), but an explicit null is refused."""
    if get_origin(annotation) in (Union, types.UnionType):
        kept = tuple(arg for arg in get_args(annotation) if arg is not type(None))
        return kept[0] if len(kept) == 1 else Union[kept]  # noqa: UP007
    return annotation


def harden(model: type[BaseModel]) -> type[BaseModel]:
    """Apply the validation layer to ``model`` and the models it contains, once. The model is
    rebuilt even when only a contained model changed: pydantic copies a contained model's
    validator into its container when the container is built."""
    if model in _hardened_models:
        return model
    _hardened_models.add(model)
    for name, field in model.model_fields.items():
        annotation = _hardened(field.annotation)
        column = _column(model, name)
        if column is not None:
            if not column.null and not column.is_relation:
                annotation = _not_null(annotation)
            # A field that declares its own limit is normalised before it is stored (a SNILS
            # with its dashes): its limit wins over the column's.
            own_limit = any(isinstance(m, annotated_types.MaxLen) for m in field.metadata)
            if column.max_length and not own_limit and _is_text(field.annotation):
                annotation = Annotated[annotation, Field(max_length=column.max_length)]
        field.annotation = annotation
    model.model_rebuild(force=True)
    return model


def _is_text(annotation: Any) -> bool:
    if annotation is str:
        return True
    return any(_is_text(arg) for arg in get_args(annotation) if arg is not type(None))


class PageNumberPagination(NinjaPageNumberPagination):
    """ninja's page numbers, bounded so that an offset stays within the database's range."""

    class Input(Schema):
        page: int = Field(1, ge=1, le=MAX_PAGE)
        page_size: int | None = Field(None, ge=1, le=MAX_PAGE)


class ObjectBodyParser(Parser):
    """A JSON body must be an object: a scalar or a list read as an empty PATCH would change
    nothing and answer 200."""

    def parse_body(self, request: HttpRequest) -> dict[str, Any]:
        data = json.loads(request.body)
        if not isinstance(data, dict):
            raise ValueError("The body is not a JSON object.")
        return data


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
        key_hash = hash_token_key(token)
        now = timezone.now()
        caching = settings.API_TOKEN_CACHE_SECONDS > 0
        # The stamp is read before the token is looked up: see token_cache.keep.
        stamp = token_cache.current_stamp() if caching else b""
        user = token_cache.kept_user(key_hash, stamp, now) if caching else None
        if user is None:
            record = ApiToken.objects.select_related("user").filter(prefix=parts[1]).first()
            if record is None or not hmac.compare_digest(record.key_hash, key_hash):
                return None
            if record.revoked_at or (record.expires_at and record.expires_at <= now):
                return None
            if not record.user.is_active:
                return None
            if record.last_used_at is None or now - record.last_used_at > timedelta(minutes=5):
                ApiToken.objects.filter(pk=record.pk).update(last_used_at=now)
            user = token_cache.keep(key_hash, record, stamp)
        request.user = user
        return user


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


class ErrorOut(Schema):
    """The one error body of the API."""

    code: str = Field(description="Stable and machine-readable, e.g. not_found.")
    message: str = Field(description="In the caller's language.")
    details: dict[str, Any] | list[Any] = Field(
        description="Fields and their messages, or other facts of the refusal."
    )


_WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
_READ_METHODS = {"GET", "HEAD", "OPTIONS"}
# What any operation may answer besides its success: a request that cannot be read (400), an
# object not found or not in scope (404), a refused rule of the domain (409), parameters or a
# body out of their schema (422); with a login 401 and 403; with a body 413.
_ERRORS_OF_EVERY_OPERATION = (400, 404, 409, 422)
_ERRORS_OF_GUARDED_OPERATION = (401, 403)
_ERRORS_OF_WRITE = (413,)


def _success_responses(response: Any) -> dict[int, Any]:
    if isinstance(response, dict):
        return dict(response)
    return {200: response}


def _operation_view(view_func, default_status: int, *, reads_only: bool):
    """The handler in one transaction: a refused or failed write leaves no row behind, and a
    read the database refuses does not break a transaction around the request. A plain result
    is sent with the operation's one success status.

    An operation that only reads (GET) runs without a transaction of its own unless one is
    already open: it has nothing to undo, each statement sees the committed rows either way
    (READ COMMITTED), and BEGIN and COMMIT were two of a page's five round trips to the
    database. A service it calls still runs in its own transaction."""

    @wraps(view_func)
    def view(request, *args, **kwargs):
        if reads_only and not transaction.get_connection().in_atomic_block:
            result = view_func(request, *args, **kwargs)
        else:
            with transaction.atomic():
                result = view_func(request, *args, **kwargs)
        if default_status != 200 and not isinstance(result, Status | HttpResponseBase):
            return Status(default_status, result)
        return result

    if hasattr(view_func, "__signature__"):
        view.__signature__ = view_func.__signature__  # type: ignore[attr-defined]
    return view


class Router(NinjaRouter):
    """ninja's Router: checks each operation's declared permission at authentication, documents
    the error responses every operation may give, runs writes in one transaction and passes
    every parameter and body through the validation layer (``harden``)."""

    def add_api_operation(
        self, path, methods, view_func, *, auth=NOT_SET, response=NOT_SET, **kwargs
    ):
        code = getattr(view_func, "opora_permission", None)
        guarded = code is not None and code != PUBLIC and auth is not None
        if auth is NOT_SET and guarded:
            auth = [_permission_checked(callback, code) for callback in default_auth()]
        success = _success_responses(response)
        errors = list(_ERRORS_OF_EVERY_OPERATION)
        if guarded:
            errors += _ERRORS_OF_GUARDED_OPERATION
        if _WRITE_METHODS & {m.upper() for m in methods}:
            errors += _ERRORS_OF_WRITE
        responses = {status: ErrorOut for status in errors} | success
        default_status = next(iter(success)) if len(success) == 1 else 200
        reads_only = {m.upper() for m in methods} <= _READ_METHODS
        view = _operation_view(view_func, default_status, reads_only=reads_only)
        super().add_api_operation(path, methods, view, auth=auth, response=responses, **kwargs)
        for model in self.path_operations[path].operations[-1].models:
            harden(model)


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
        if isinstance(exc.__cause__, RequestDataTooBig):
            return too_large(request, exc.__cause__)
        return error_body(f"http_{exc.status_code}", str(exc), status=exc.status_code)

    @api.exception_handler(RequestDataTooBig)
    def too_large(request, exc):
        return error_body("payload_too_large", _("The request is too large."), status=413)

    @api.exception_handler(MultiPartParserError)
    def broken_multipart(request, exc):
        return error_body("bad_request", _("The form data of the request cannot be read."))

    @api.exception_handler(DjangoValidationError)
    def model_validation_error(request, exc: DjangoValidationError):
        details = exc.message_dict if hasattr(exc, "error_dict") else {"": exc.messages}
        return error_body("validation_error", _("The request is not valid."), details, 422)

    # What the validation layer could not foresee (a value a computation or the database refuses)
    # is the caller's input, not a fault of the server: 400, in the one body. The transaction of
    # a write has been rolled back before the handler runs.
    @api.exception_handler(ValueError)
    @api.exception_handler(OverflowError)
    @api.exception_handler(DataError)
    def invalid_value(request, exc):
        return error_body("invalid_value", _("A value of the request cannot be used."))

    @api.exception_handler(IntegrityError)
    def integrity_error(request, exc):
        return error_body("conflict", _("The request conflicts with the records."), status=409)

    # A response that does not match its own schema is the server's fault: not a ValueError
    # of the request (pydantic's error is one), so it stays a 500.
    @api.exception_handler(PydanticValidationError)
    def response_invalid(request, exc):
        raise exc


class OporaAPI(NinjaAPI):
    """The NinjaAPI of Opora: JSON bodies must be objects, the error handlers above, and an
    OpenAPI schema that refuses two different components under one name."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("parser", ObjectBodyParser())
        super().__init__(**kwargs)
        install_error_handlers(self)

    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        if path_prefix is None:
            path_prefix = self.get_root_path(path_params or {})
        return UniqueNamesSchema(self, path_prefix)


class SchemaNameClash(Exception):
    """Two different schemas would be published under one component name."""


class UniqueNamesSchema(OpenAPISchema):
    """ninja's OpenAPI schema keeps the last of two components with the same name, so an
    operation would be documented with another app's fields; here the second one is refused."""

    def add_schema_definitions(self, definitions: dict) -> None:
        for name, definition in definitions.items():
            if name in self.schemas and self.schemas[name] != definition:
                raise SchemaNameClash(
                    f"Two different schemas are named {name!r}: give one a name of its own."
                )
        super().add_schema_definitions(definitions)


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
