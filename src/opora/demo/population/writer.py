"""The population written as CSV files, in parallel processes when asked."""

from __future__ import annotations

import csv
import datetime as dt
import io
import multiprocessing
import os
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from .files import CHUNK_PEOPLE, FILES
from .generator import ChunkPlan, generate_chunk, plan, select_districts


def _csv_text(rows: list[tuple[str, ...]]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue()


def _chunk_texts(
    args: tuple[ChunkPlan, int, dt.date, tuple[str, ...] | None, str],
) -> tuple[int, dict[str, str], dict[str, int]]:
    chunk_plan, seed, as_of, districts, key_prefix = args
    chunk = generate_chunk(
        chunk_plan, seed=seed, as_of=as_of, districts=districts, key_prefix=key_prefix
    )
    texts, counts = {}, {}
    for name in FILES:
        rows = getattr(chunk, name)
        texts[name] = _csv_text(rows)
        counts[name] = len(rows)
    return chunk_plan.originals + chunk_plan.duplicates, texts, counts


@dataclass
class Summary:
    out_dir: Path
    rows: dict[str, int]
    seconds: float
    seed: int
    as_of: dt.date


def write_csv(
    out_dir: str | os.PathLike[str],
    people: int,
    *,
    seed: int = 1,
    duplicate_share: float = 0.02,
    as_of: dt.date | None = None,
    districts: Iterable[str] | None = None,
    key_prefix: str = "",
    workers: int = 1,
    chunk_people: int = CHUNK_PEOPLE,
    progress: Callable[[int, int, str], None] | None = None,
) -> Summary:
    """Write the five files into ``out_dir`` (created if missing; files replaced).

    ``workers`` > 1 generates chunks in that many processes; the files are the same."""
    started = time.perf_counter()
    as_of = as_of or dt.date.today()
    codes = tuple(districts) if districts is not None else None
    select_districts(codes)  # unknown codes fail before any work
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    plans = plan(people, duplicate_share, chunk_people)
    jobs = [(p, seed, as_of, codes, key_prefix) for p in plans]
    counts = dict.fromkeys(FILES, 0)
    handles = {}
    try:
        for name, (filename, columns) in FILES.items():
            handle = open(out / filename, "w", encoding="utf-8", newline="")  # noqa: SIM115
            handles[name] = handle
            csv.writer(handle, lineterminator="\n").writerow(columns)
        done = 0
        if progress:
            progress(0, people, "")
        pool = None
        if workers > 1 and len(jobs) > 1:
            methods = multiprocessing.get_all_start_methods()
            context = multiprocessing.get_context("fork" if "fork" in methods else None)
            pool = context.Pool(min(workers, len(jobs)))
            results: Iterable = pool.imap(_chunk_texts, jobs)
        else:
            results = map(_chunk_texts, jobs)
        try:
            for records, texts, chunk_counts in results:
                for name, text in texts.items():
                    handles[name].write(text)
                    counts[name] += chunk_counts[name]
                done += records
                if progress:
                    progress(done, people, "")
        finally:
            if pool is not None:
                pool.terminate()
                pool.join()
    finally:
        for handle in handles.values():
            handle.close()
    return Summary(out, counts, time.perf_counter() - started, seed, as_of)
