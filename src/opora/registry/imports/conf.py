"""The limits of registry imports, in one place.

Each can be set in the Django settings as ``IMPORT_<NAME>`` (tests override them there); the
defaults fit a whole-city people file (about 200 MB per million people) with room to spare.
``IMPORT_STRATEGY`` ("postgres" or "portable") forces a loader; by default PostgreSQL uses
COPY and set-based SQL (postgres.py) and every other database the portable loader.
"""

from __future__ import annotations

from django.conf import settings

MiB = 1024 * 1024

DEFAULTS = {
    # Any file, CSV or XLSX, as uploaded or given to the command.
    "MAX_FILE_BYTES": 512 * MiB,
    # XLSX is a zip: its packed size, and what it unpacks to (a guard against zip bombs).
    "MAX_XLSX_BYTES": 100 * MiB,
    "MAX_XLSX_UNPACKED_BYTES": 2048 * MiB,
    # A worksheet's own limits: what Excel itself can write, and no more.
    "MAX_XLSX_ROWS": 1_048_576,
    "MAX_XLSX_CELLS_PER_ROW": 16_384,
    "MAX_XLSX_CELL_CHARS": 32_767,
    "MAX_COLUMNS": 200,
    # Rows are read, checked and written this many at a time (bounded memory).
    "CHUNK_ROWS": 5000,
    # One line of a CSV file (a quoted cell may span lines; a line this long is no table).
    "MAX_LINE_BYTES": 16 * MiB,
    # Bytes read to recognise the encoding and the delimiter of a CSV file.
    "SNIFF_BYTES": 256 * 1024,
    "PREVIEW_ROWS": 10,
    # A batch uploaded and never started (its columns could not be mapped, say) is discarded
    # with its stored file after this many hours.
    "UNSTARTED_HOURS": 24,
    # PostgreSQL's work_mem for the import's session (its joins over the whole file).
    "WORK_MEM_MB": 256,
}


def limit(name: str) -> int:
    return int(getattr(settings, f"IMPORT_{name}", DEFAULTS[name]))
