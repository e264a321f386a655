"""Production mode refuses unsafe settings, and Django's deploy checks report nothing."""

import os
import secrets
import subprocess
import sys

import pytest

PRODUCTION = {
    "OPORA_ENVIRONMENT": "production",
    "OPORA_SECRET_KEY": secrets.token_urlsafe(60),
    "OPORA_ALLOWED_HOSTS": "opora.example.org",
    "OPORA_DATABASE_URL": "postgres://opora@db.example.org:5432/opora",
}


def run_django(args, **overrides):
    # A clean environment: no OPORA_* of the test run, nor the browser tests' async switch.
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("OPORA_") and k != "DJANGO_ALLOW_ASYNC_UNSAFE"
    }
    env.update(DJANGO_SETTINGS_MODULE="opora.settings", **overrides)
    env = {k: v for k, v in env.items() if v is not None}
    return subprocess.run(
        [sys.executable, "-m", "django", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_check_deploy_reports_nothing_in_production_mode():
    result = run_django(["check", "--deploy", "--fail-level", "WARNING"], **PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.parametrize(
    ("override", "message"),
    [
        ({"OPORA_SECRET_KEY": None}, "OPORA_SECRET_KEY is required"),
        ({"OPORA_SECRET_KEY": "short"}, "at least 50 characters"),
        ({"OPORA_DEBUG": "true"}, "OPORA_DEBUG must be off"),
        ({"OPORA_ALLOWED_HOSTS": None}, "OPORA_ALLOWED_HOSTS is required"),
        ({"OPORA_DEBUG": "perhaps"}, "must be true or false"),
        ({"OPORA_TASKS_URL": "amqp://x"}, "OPORA_TASKS_URL"),
        # A reclaim sooner than three heartbeats would fail jobs that are still running.
        (
            {"OPORA_JOB_HEARTBEAT_SECONDS": "60", "OPORA_JOB_RECLAIM_AFTER_SECONDS": "120"},
            "at least three job heartbeats",
        ),
    ],
)
def test_production_refuses_to_start_with_an_unsafe_setting(override, message):
    result = run_django(["check"], **{**PRODUCTION, **override})
    assert result.returncode != 0
    assert message in result.stderr


def test_production_on_sqlite_fails_the_deploy_check():
    result = run_django(["check", "--deploy"], **{**PRODUCTION, "OPORA_DATABASE_URL": None})
    assert result.returncode != 0
    assert "opora.E001" in result.stderr


def test_production_cookies_and_headers_are_secure():
    code = (
        "from django.conf import settings as s; "
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT, "
        "s.SECURE_HSTS_SECONDS > 0, s.DEBUG)"
    )
    result = run_django(["shell", "--verbosity", "0", "-c", code], **PRODUCTION)
    assert result.stdout.split() == ["True", "True", "True", "True", "False"], result.stderr


def test_development_keeps_a_generated_secret_outside_the_repository(tmp_path):
    code = "from django.conf import settings as s; print(len(s.SECRET_KEY), s.DEBUG)"
    first = run_django(["shell", "--verbosity", "0", "-c", code], OPORA_VAR_DIR=str(tmp_path))
    second = run_django(["shell", "--verbosity", "0", "-c", code], OPORA_VAR_DIR=str(tmp_path))
    assert first.stdout == second.stdout
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0
    assert first.stdout.split()[1] == "True"


def test_responses_carry_the_security_headers(client, db):
    response = client.get("/login/")
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
