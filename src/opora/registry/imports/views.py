"""Pages of registry imports: upload → columns (with a preview) → the job's progress and the
result with its problems → the problems as CSV; and the export."""

from __future__ import annotations

import csv
from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import (
    FileResponse,
    Http404,
    HttpResponse,
    HttpResponseRedirect,
    StreamingHttpResponse,
)
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from opora.core.actors import Actor
from opora.core.errors import DomainError
from opora.core.permissions import require
from opora.core.rendering import render_page
from opora.core.tables import Column, sorted_page

from ..access import IMPORT
from ..models import ImportEntity, ImportMode, ImportStatus
from . import export as exporting
from . import selectors, services
from . import validation as v
from .columns import COLUMNS
from .conf import limit
from .plan import actor_scope
from .reading import EXTENSIONS, FileRejected, megabytes
from .services import generates_keys_for

if TYPE_CHECKING:
    from opora.institutions.models import Institution

# --- Upload -----------------------------------------------------------------------------------


class SizeLimitedUpload(FileUploadHandler):
    """Stops reading an upload as soon as it passes the size limit (nothing more is stored)."""

    def __init__(self, request: Any = None) -> None:
        super().__init__(request)
        self.limit = limit("MAX_FILE_BYTES")
        self.exceeded = False

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        if content_length and content_length > self.limit + 64 * 1024:
            self.exceeded = True
            raise StopUpload(connection_reset=False)

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        if start + len(raw_data) > self.limit:
            self.exceeded = True
            raise StopUpload(connection_reset=False)
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("File"),
        help_text=gettext_lazy(
            "CSV (UTF-8 or Windows-1251) or XLSX; the first row names the columns."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )
    entity = forms.ChoiceField(
        label=gettext_lazy("What the file holds"), choices=ImportEntity.choices
    )
    mode = forms.ChoiceField(
        label=gettext_lazy("When rows have problems"),
        choices=ImportMode.choices,
        initial=ImportMode.ALL_OR_NOTHING,
        widget=forms.RadioSelect,
    )
    institution: forms.ModelChoiceField[Institution] = forms.ModelChoiceField(
        label=gettext_lazy("Institution serving the imported people"),
        queryset=None,
        required=False,
        help_text=gettext_lazy("Every person in the file is linked to it."),
    )

    def __init__(self, *args: Any, actor: Actor, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast("forms.ModelChoiceField[Institution]", self.fields["institution"])
        institutions = selectors.institutions_for_import(actor=actor)
        field.queryset = institutions
        field.required = actor_scope(actor) is not None
        if field.required and institutions.count() == 1:
            field.initial = institutions.first()

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > limit("MAX_FILE_BYTES"):
            raise forms.ValidationError(_too_large_message())
        return upload


def _too_large_message() -> str:
    return _("The file is larger than %(limit)s MB; split it into smaller files.") % {
        "limit": megabytes(limit("MAX_FILE_BYTES"))
    }


def _form_errors(form: forms.Form, error: DomainError, default_field: str | None) -> None:
    placed = False
    for name, messages in error.details.items():
        field = (
            name
            if name in form.fields
            else (f"map_{name}" if f"map_{name}" in form.fields else None)
        )
        if field and isinstance(messages, list):
            for message in messages:
                form.add_error(field, message)
            placed = True
    if not placed:
        form.add_error(default_field, str(error.message))


@require(IMPORT)
@csrf_exempt  # the check is made below, once the upload handler is in place
def import_upload(request):
    handler = None
    if request.method == "POST":
        handler = SizeLimitedUpload(request)
        try:
            request.upload_handlers.insert(0, handler)
        except AttributeError:  # the body was read before us: the form checks the size
            handler = None
    return _upload(request, handler)


@csrf_protect
def _upload(request, handler: SizeLimitedUpload | None):
    form = UploadForm(request.POST or None, request.FILES or None, actor=request.user)
    if request.method == "POST":
        if handler is not None and handler.exceeded:
            form = UploadForm(request.POST, actor=request.user)
            form.is_valid()
            form.add_error("file", _too_large_message())
        elif form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                batch = services.import_upload(
                    actor=request.user,
                    file=upload,
                    original_name=upload.name,
                    entity=form.cleaned_data["entity"],
                    mode=form.cleaned_data["mode"],
                    institution=form.cleaned_data["institution"],
                    size=upload.size,
                )
            except FileRejected as error:
                form.add_error("file", str(error.message))
            except DomainError as error:
                _form_errors(form, error, "file")
            else:
                return HttpResponseRedirect(
                    reverse("registry:registry_import:mapping", args=[batch.pk])
                )
    return render_page(
        request,
        "registry/imports/upload.html",
        {
            "form": form,
            "extensions": ", ".join(EXTENSIONS),
            "limit_mb": megabytes(limit("MAX_FILE_BYTES")),
            "entities": ImportEntity.choices,
        },
        status=400 if form.errors else 200,
    )


# --- Columns ----------------------------------------------------------------------------------


def _field_help(entity: str, spec: v.Field) -> str:
    if generates_keys_for(entity, spec):
        return _(
            "Without it each row gets a key made from the file and the row's number: importing "
            "the same file again updates, an edited file adds the people again."
        )
    why = v.REQUIRED_BECAUSE.get(spec.name)
    if spec.required:
        return " ".join([_("Required."), *([str(why)] if why else [])])
    return ""


@require(IMPORT)
def import_template(request, entity: str):
    """An empty file with the columns of its kind, to fill in and upload."""
    if entity not in ImportEntity.values:
        raise Http404
    writer = csv.writer(_Echo(), delimiter=";", lineterminator="\r\n")
    response = HttpResponse(
        ("\ufeff" + writer.writerow(COLUMNS[entity])).encode(),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{entity}-template.csv"'
    return response


class MappingForm(forms.Form):
    mode = forms.ChoiceField(
        label=gettext_lazy("When rows have problems"),
        choices=ImportMode.choices,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, batch: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", _("— not imported —"))] + [(c, c) for c in batch.header]
        self.specs = v.fields_of(batch.entity)
        for spec in self.specs:
            self.fields[f"map_{spec.name}"] = forms.ChoiceField(
                label=spec.label,
                choices=choices,
                required=spec.required and not generates_keys_for(batch.entity, spec),
                initial=batch.mapping.get(spec.name, ""),
                help_text=_field_help(batch.entity, spec),
            )
        self.fields["mode"].initial = batch.mode
        self.order_fields([*(f"map_{s.name}" for s in self.specs), "mode"])

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        chosen: dict[str, str] = {}
        for spec in self.specs:
            column = cleaned.get(f"map_{spec.name}")
            if not column:
                continue
            if column in chosen:
                self.add_error(
                    f"map_{spec.name}",
                    _("The column “%(column)s” is already chosen for another field.")
                    % {"column": column},
                )
            chosen[column] = spec.name
        return cleaned

    def mapping(self) -> dict[str, str]:
        return {s.name: self.cleaned_data.get(f"map_{s.name}") or "" for s in self.specs}


@require(IMPORT)
def import_mapping(request, pk: int):
    batch = selectors.batch_get(actor=request.user, pk=pk)
    if batch.status not in services.RESTARTABLE:
        return HttpResponseRedirect(reverse("registry:registry_import:detail", args=[batch.pk]))
    form = MappingForm(request.POST or None, batch=batch)
    if request.method == "POST" and form.is_valid():
        try:
            batch = services.import_set_mapping(
                actor=request.user,
                batch=batch,
                mapping=form.mapping(),
                mode=form.cleaned_data["mode"],
            )
            services.import_start(actor=request.user, batch=batch)
        except DomainError as error:
            _form_errors(form, error, None)
        else:
            return HttpResponseRedirect(reverse("registry:registry_import:detail", args=[batch.pk]))
    header, rows, problem = selectors.batch_preview(batch=batch)
    return render_page(
        request,
        "registry/imports/mapping.html",
        {
            "batch": batch,
            "form": form,
            "header": header,
            "rows": rows,
            "problem": problem,
        },
        status=400 if form.errors else 200,
    )


# --- Result -----------------------------------------------------------------------------------

ISSUE_COLUMNS = [
    Column("row", gettext_lazy("Row"), "row"),
    Column("column", gettext_lazy("Column"), "column"),
    Column("value", gettext_lazy("Value")),
    Column("message", gettext_lazy("Problem"), "message"),
]


@require(IMPORT)
def import_detail(request, pk: int):
    batch = selectors.batch_get(actor=request.user, pk=pk)
    table = sorted_page(
        request, selectors.batch_issues(batch=batch), ISSUE_COLUMNS, default_sort="row", per_page=50
    )
    running = batch.status == ImportStatus.RUNNING and batch.job and not batch.job.is_finished
    unchanged = max(0, batch.total_rows - batch.error_rows - batch.inserted - batch.updated)
    target = getattr(getattr(request, "htmx", None), "target", None)
    partial = target if target in ("import-state", "issues") else None
    return render_page(
        request,
        "registry/imports/detail.html",
        {
            "batch": batch,
            "table": table,
            "running": running,
            "unchanged": unchanged,
            "job": batch.job,
            "restartable": batch.status in services.RESTARTABLE,
        },
        partial=partial,
    )


class _Echo:
    def write(self, value: str) -> str:
        return value


@require(IMPORT)
def import_errors_csv(request, pk: int):
    batch = selectors.batch_get(actor=request.user, pk=pk)
    writer = csv.writer(_Echo(), delimiter=";", lineterminator="\r\n")

    def lines():
        yield (
            "\ufeff" + writer.writerow([_("row"), _("column"), _("value"), _("problem")])
        ).encode()
        for row in selectors.issue_rows(batch=batch):
            yield writer.writerow([row[0], row[1], exporting.as_text(row[2]), row[3]]).encode()

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="import-{batch.pk}-problems.csv"'
    return response


@require(IMPORT)
def import_list(request):
    table = sorted_page(
        request,
        selectors.batches(actor=request.user),
        [
            Column("created_at", gettext_lazy("Uploaded"), "created_at"),
            Column("file", gettext_lazy("File"), "original_name"),
            Column("entity", gettext_lazy("What the file holds"), "entity"),
            Column("status", gettext_lazy("Status"), "status"),
            Column("counts", gettext_lazy("Rows")),
        ],
        default_sort="-created_at",
    )
    return render_page(request, "registry/imports/list.html", {"table": table}, partial="results")


# --- Export -----------------------------------------------------------------------------------


class ExportForm(forms.Form):
    entity = forms.ChoiceField(label=gettext_lazy("What to export"), choices=ImportEntity.choices)
    format = forms.ChoiceField(
        label=gettext_lazy("Format"),
        choices=[("csv", "CSV"), ("xlsx", "XLSX")],
        widget=forms.RadioSelect,
        initial="csv",
    )


@require(IMPORT)
def export(request):
    form = ExportForm(request.GET or None)
    if request.GET and form.is_valid():
        entity, file_format = form.cleaned_data["entity"], form.cleaned_data["format"]
        try:
            rows = exporting.export_rows(actor=request.user, entity=entity)
            name = f"{entity}-{timezone.localdate():%Y%m%d}.{file_format}"
            if file_format == "xlsx":
                workbook = exporting.write_xlsx(rows)  # written whole: audited once it exists
                services.export_record(actor=request.user, entity=entity, file_format=file_format)
                return FileResponse(
                    workbook, as_attachment=True, filename=name, content_type=XLSX_TYPE
                )
            services.export_record(actor=request.user, entity=entity, file_format=file_format)
            response = StreamingHttpResponse(
                exporting.csv_chunks(rows), content_type="text/csv; charset=utf-8"
            )
            response["Content-Disposition"] = f'attachment; filename="{name}"'
            return response
        except DomainError as error:
            form.add_error(None, str(error.message))
    return render_page(
        request, "registry/imports/export.html", {"form": form}, status=400 if form.errors else 200
    )


XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
