import subprocess
import sys

import pytest

from opora.cli import build_parser


@pytest.mark.parametrize("command", ["demo", "serve", "worker", "manage"])
def test_each_command_has_help(command, capsys):
    with pytest.raises(SystemExit) as exited:
        build_parser().parse_args([command, "--help"])
    assert exited.value.code == 0
    assert f"opora {command}" in capsys.readouterr().out


def test_serve_takes_a_worker_count():
    options = build_parser().parse_args(["serve", "--workers", "5", "--port", "9000"])
    assert (options.workers, options.port) == (5, 9000)


def test_the_console_script_passes_management_commands_through():
    result = subprocess.run(
        [sys.executable, "-m", "opora.cli", "manage", "help", "opora_worker"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "--batch" in result.stdout


def test_issuing_a_token_from_the_command_line(admin_user, capsys):
    from django.core.management import call_command

    from opora.core.models import ApiToken

    call_command("issue_api_token", admin_user.username, name="statistics export")
    out = capsys.readouterr().out
    token = ApiToken.objects.get(user=admin_user)
    assert token.name == "statistics export"
    key = next(word for word in out.split() if word.startswith("opora_"))
    assert key.split("_")[1] == token.prefix
    assert key not in token.key_hash


def test_synth_has_help(capsys):
    with pytest.raises(SystemExit) as exited:
        build_parser().parse_args(["synth", "--help"])
    assert exited.value.code == 0
    out = capsys.readouterr().out
    assert "opora synth" in out
    assert "--people" in out and "--duplicates" in out


def test_opora_synth_writes_the_files(tmp_path):
    argv = ["synth", "--people", "200", "--out", str(tmp_path), "--seed", "3", "--workers", "1"]
    result = subprocess.run(
        [sys.executable, "-m", "opora.cli", *argv],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    names = {"people.csv", "households.csv", "categories.csv", "incomes.csv", "truth.csv"}
    assert {p.name for p in tmp_path.iterdir()} == names
    assert len((tmp_path / "people.csv").read_text(encoding="utf-8").splitlines()) == 201


def test_registry_lists_its_actions(capsys):
    with pytest.raises(SystemExit) as exited:
        build_parser().parse_args(["registry", "--help"])
    assert exited.value.code == 0
    out = capsys.readouterr().out
    assert "opora registry" in out
    assert all(action in out for action in ("import", "export", "dedup"))


@pytest.mark.parametrize(
    "argv",
    [
        ["import", "--help"],
        ["import", "people.csv", "--entity", "people", "-v", "0"],
        ["dedup", "--truth", "truth.csv"],
        ["export", "-h"],
    ],
)
def test_registry_actions_pass_every_argument_through(argv):
    options = build_parser().parse_args(["registry", *argv])
    assert (options.action, options.args) == (argv[0], argv[1:])


def test_registry_import_help_is_the_management_commands_help():
    import importlib.util

    if importlib.util.find_spec("opora.registry.management.commands.registry_import") is None:
        pytest.skip("the registry_import management command is not there yet")
    result = subprocess.run(
        [sys.executable, "-m", "opora.cli", "registry", "import", "--help"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "opora manage registry_import" in result.stdout


def test_opora_bench_runs_a_benchmark_by_name_and_refuses_an_unknown_one():
    result = subprocess.run(
        [sys.executable, "-m", "opora.cli", "bench", "registry", "--help"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "--people" in result.stdout
    unknown = subprocess.run(
        [sys.executable, "-m", "opora.cli", "bench", "nothing"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert unknown.returncode == 2 and "registry" in unknown.stderr


def test_the_demo_runs_its_server_and_worker_without_debug(monkeypatch, capsys):
    from opora import cli

    managed, started = [], []

    class Exited:
        def __init__(self, argv, env):
            started.append((argv[3:], env))

        def poll(self):
            return 0

        def wait(self, timeout=None):
            return 0

    monkeypatch.setattr(cli, "_manage", lambda *args: managed.append(args[0]))
    monkeypatch.setattr(cli.subprocess, "Popen", Exited)
    monkeypatch.setenv("OPORA_DEBUG", "true")
    monkeypatch.delenv("OPORA_ENVIRONMENT", raising=False)
    assert cli.main(["demo", "--port", "8123"]) == 0
    assert managed == ["migrate", "demo_load"]
    assert [argv[0] for argv, _env in started] == ["worker", "serve"]
    assert all(env["OPORA_DEBUG"] == "false" for _argv, env in started)
    assert "http://127.0.0.1:8123/" in capsys.readouterr().out


def test_serve_runs_gunicorn_with_threads_keep_alive_and_one_import(monkeypatch):
    from opora import cli

    executed = []
    monkeypatch.setattr(cli, "_manage", lambda *args: None)
    monkeypatch.setattr(cli.os, "execv", lambda path, argv: executed.append(argv))
    monkeypatch.setenv("OPORA_WEB_THREADS", "6")
    cli.main(["serve", "--workers", "3"])
    argv = executed[0]

    def option(name):
        return argv[argv.index(name) + 1]

    assert argv[2] == "gunicorn" and "--preload" in argv
    assert (option("--workers"), option("--worker-class"), option("--threads")) == (
        "3",
        "gthread",
        "6",
    )
    assert int(option("--keep-alive")) > 2  # gunicorn's default closes idle clients at 2 s
