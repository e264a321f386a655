import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

LOCALE = Path(settings.LOCALE_PATHS[0])


@pytest.mark.skipif(not shutil.which("msgfmt"), reason="GNU gettext is not installed")
@pytest.mark.parametrize("language", ["ru", "fi", "de"])
def test_every_message_is_translated(language):
    result = subprocess.run(
        [
            "msgfmt",
            "--check",
            "--statistics",
            "-o",
            "/dev/null",
            str(LOCALE / language / "LC_MESSAGES" / "django.po"),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "untranslated" not in result.stderr and "fuzzy" not in result.stderr, result.stderr


def test_the_catalogs_are_compiled_and_used():
    from django.utils import translation

    with translation.override("ru"):
        assert translation.gettext("Version for the visually impaired") == "Версия для слабовидящих"
    with translation.override("de"):
        assert translation.gettext("Sign out") != "Sign out"
