"""A terminal progress bar with the same signature as every other progress sink (jobs.Progress),
so management commands show the progress that the UI shows for the same work."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from tqdm import tqdm

from .jobs import Progress


@contextmanager
def progress_bar(
    description: str, *, stream: Any, enabled: bool = True, unit: str = "it"
) -> Iterator[Progress]:
    with tqdm(
        total=1, unit=unit, desc=description, file=stream, disable=not enabled, dynamic_ncols=True
    ) as bar:

        def progress(done: int, total: int, message: str = "") -> None:
            bar.total = max(total, 1)
            bar.n = done
            bar.set_postfix_str(message[:40], refresh=False)
            bar.refresh()

        yield progress
