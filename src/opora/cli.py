"""The ``opora`` command: demo, serve, worker, synthetic data, registry and Django
management."""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
from pathlib import Path


def _manage(*args: str) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "opora.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["opora manage", *args])


def cmd_manage(options: argparse.Namespace) -> int:
    _manage(*options.args)
    return 0


def cmd_synth(options: argparse.Namespace) -> int:
    """Write a synthetic population (people, households, categories, incomes and the truth
    about its injected duplicates) as CSV files; the same as 'opora manage synth'."""
    args = ["synth", "--people", str(options.people), "--seed", str(options.seed)]
    args += ["--duplicates", str(options.duplicates)]
    if options.out:
        args += ["--out", options.out]
    if options.workers:
        args += ["--workers", str(options.workers)]
    _manage(*args)
    return 0


# opora registry ACTION ... → opora manage <command> ...
REGISTRY_COMMANDS = {
    "import": ("registry_import", "Import people, households, categories or incomes from a file."),
    "export": ("registry_export", "Export the registry to a file."),
    "dedup": ("registry_dedup", "Search the registry for duplicate records."),
}


def cmd_registry(options: argparse.Namespace) -> int:
    _manage(REGISTRY_COMMANDS[options.action][0], *options.args)
    return 0


def default_web_workers() -> int:
    """One process per CPU: a process runs Python on one CPU at a time (the GIL), and its
    threads cover the waits on the database, so more processes than CPUs only compete for
    them (and for PostgreSQL's connections)."""
    return max(2, os.cpu_count() or 1)


def cmd_serve(options: argparse.Namespace) -> int:
    """A production server: gunicorn, with WhiteNoise serving the collected static files."""
    if not options.no_collectstatic:
        _manage("collectstatic", "--noinput", "--verbosity", "0")
    argv = [
        sys.executable,
        "-m",
        "gunicorn",
        "opora.wsgi:application",
        "--bind",
        f"{options.host}:{options.port}",
        "--workers",
        str(options.workers),
        # Threads let a worker answer other requests while one waits on the database; keep-alive
        # spares a client (a proxy, the bench) a new connection per request.
        "--worker-class",
        "gthread",
        "--threads",
        str(options.threads),
        "--keep-alive",
        "5",
        # Django is imported once, before the workers fork: they start at once and share it.
        "--preload",
        "--access-logfile",
        "-",
        "--timeout",
        "120",
        "--forwarded-allow-ips",
        os.environ.get("OPORA_FORWARDED_ALLOW_IPS", "127.0.0.1"),
    ]
    os.execv(sys.executable, argv)  # noqa: S606 - replaces this process with gunicorn
    return 0  # pragma: no cover - execv does not return


def cmd_worker(options: argparse.Namespace) -> int:
    args = ["opora_worker", "--queue", options.queue]
    if options.batch:
        args.append("--batch")
    _manage(*args)
    return 0


LOCAL_HOSTS = ("127.0.0.1", "localhost", "[::1]")


def demo_server_env(host: str) -> dict[str, str]:
    """The environment of the demo's server and worker: as in production, DEBUG off (Opora's
    own error pages, never Django's technical ones with every URL pattern), with the address
    it is served at among the allowed hosts."""
    env = {**os.environ, "OPORA_DEBUG": "false"}
    if "OPORA_ALLOWED_HOSTS" not in os.environ and host not in {"0.0.0.0", "::"}:  # noqa: S104
        name = f"[{host}]" if ":" in host else host
        env["OPORA_ALLOWED_HOSTS"] = ",".join(dict.fromkeys([*LOCAL_HOSTS, name]))
    return env


def cmd_demo(options: argparse.Namespace) -> int:
    """Migrate, load the demo data, print the logins, then serve with a worker until Ctrl-C."""
    if os.environ.get("OPORA_ENVIRONMENT") == "production":
        print("opora demo: demo data is never loaded into a production database.", file=sys.stderr)
        return 2
    _manage("migrate", "--noinput", "--verbosity", "0")
    _manage("demo_load")
    if options.no_serve:
        return 0
    opora = [sys.executable, "-m", "opora.cli"]
    env = demo_server_env(options.host)
    processes = [
        subprocess.Popen([*opora, "worker"], env=env),  # noqa: S603 - our own entry point
        subprocess.Popen(  # noqa: S603
            [*opora, "serve", "--host", options.host, "--port", str(options.port)], env=env
        ),
    ]
    print(
        f"\nOpora is running at http://{options.host}:{options.port}/  (Ctrl-C stops it)\n",
        flush=True,
    )
    if "OPORA_ALLOWED_HOSTS" not in env:
        print(
            "Set OPORA_ALLOWED_HOSTS to the names other machines reach it by.",
            file=sys.stderr,
            flush=True,
        )

    def stop(*_):
        for process in processes:
            if process.poll() is None:
                process.terminate()

    signal.signal(signal.SIGTERM, stop)
    try:
        while all(p.poll() is None for p in processes):
            time.sleep(0.5)
    except KeyboardInterrupt:
        pass
    finally:
        stop()
        for process in processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
    return 0


BENCH_DIR = Path(__file__).resolve().parents[2] / "bench"


def cmd_bench(options: argparse.Namespace) -> int:
    script = BENCH_DIR / f"bench_{options.name}.py"
    if not script.is_file():
        known = sorted(p.stem.removeprefix("bench_") for p in BENCH_DIR.glob("bench_*.py"))
        print(
            f"opora bench: no benchmark {options.name!r}; known: {', '.join(known) or 'none'} "
            "(benchmarks live in a source checkout's bench/).",
            file=sys.stderr,
        )
        return 2
    return subprocess.call([sys.executable, str(script), *options.args])  # noqa: S603


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="opora",
        description="Opora: the platform of a department of labour and social protection.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    demo = sub.add_parser(
        "demo",
        help="Set up the demo database and run Opora with its worker.",
        description=cmd_demo.__doc__,
    )
    demo.add_argument("--host", default="127.0.0.1")
    demo.add_argument("--port", type=int, default=8000)
    demo.add_argument("--no-serve", action="store_true", help="load the data, then exit")
    demo.set_defaults(func=cmd_demo)

    serve = sub.add_parser(
        "serve", help="Run the production web server.", description=cmd_serve.__doc__
    )
    serve.add_argument("--host", default=os.environ.get("OPORA_HOST", "127.0.0.1"))
    serve.add_argument("--port", type=int, default=int(os.environ.get("OPORA_PORT", "8000")))
    serve.add_argument(
        "--workers",
        type=int,
        default=int(os.environ.get("OPORA_WEB_WORKERS", str(default_web_workers()))),
        help="web worker processes (default: one per CPU, at least 2)",
    )
    serve.add_argument(
        "--threads",
        type=int,
        default=int(os.environ.get("OPORA_WEB_THREADS", "4")),
        help="threads per web worker (default 4)",
    )
    serve.add_argument(
        "--no-collectstatic", action="store_true", help="serve the static files already collected"
    )
    serve.set_defaults(func=cmd_serve)

    worker = sub.add_parser(
        "worker",
        help="Run the background task worker.",
        description="Runs queued tasks and reports a heartbeat.",
    )
    worker.add_argument("--queue", default="default")
    worker.add_argument("--batch", action="store_true", help="run what is queued, then exit")
    worker.set_defaults(func=cmd_worker)

    synth = sub.add_parser(
        "synth",
        help="Write a synthetic population as CSV files.",
        description=cmd_synth.__doc__,
    )
    synth.add_argument("--people", type=int, required=True, help="records, duplicates included")
    synth.add_argument("--out", help="directory (default: var/synth/<people>)")
    synth.add_argument("--seed", type=int, default=1)
    synth.add_argument(
        "--duplicates", type=float, default=0.02, help="share of duplicate records (0.02)"
    )
    synth.add_argument("--workers", type=int, help="processes (default: the CPUs, at most 4)")
    synth.set_defaults(func=cmd_synth)

    registry = sub.add_parser(
        "registry",
        help="Registry import, export and duplicate search.",
        description="Runs the registry's management commands; "
        "'opora registry ACTION --help' shows each one's options.",
    )
    actions = registry.add_subparsers(dest="action", required=True, metavar="ACTION")
    for action, (command, summary) in REGISTRY_COMMANDS.items():
        # No options of its own (no prefix characters at all), so that everything after the
        # action, --help included, reaches the management command.
        passthrough = actions.add_parser(
            action,
            help=f"{summary} (opora manage {command})",
            add_help=False,
            prefix_chars="\0",
        )
        passthrough.add_argument("args", nargs=argparse.REMAINDER)
        passthrough.set_defaults(func=cmd_registry)

    bench = sub.add_parser(
        "bench",
        help="Run a benchmark from bench/ (a source checkout), e.g. opora bench registry.",
        description="Runs bench/bench_NAME.py with the remaining arguments; each prints one "
        "JSON object with its figures and the limits they are held against.",
        add_help=True,
    )
    bench.add_argument("name", help="the benchmark, e.g. registry")
    bench.add_argument("args", nargs=argparse.REMAINDER)
    bench.set_defaults(func=cmd_bench)

    manage = sub.add_parser(
        "manage",
        help="Django management commands (opora manage help).",
        description="Passes its arguments to Django's manage.py.",
    )
    manage.add_argument("args", nargs=argparse.REMAINDER)
    manage.set_defaults(func=cmd_manage)
    return parser


def main(argv: list[str] | None = None) -> int:
    options = build_parser().parse_args(argv)
    return options.func(options)


if __name__ == "__main__":
    sys.exit(main())
