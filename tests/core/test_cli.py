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
