"""Record numbers in templates are written without the thousands separator of the reader's
language: "?institution=1 269" is not a URL, "unmerge-reason-1 269" not an id."""

import re
from pathlib import Path

import opora

RAW_NUMBER = re.compile(r"\{\{ [a-z_.]*(?:\.pk|_id|\.id) \}\}")


def test_every_record_number_in_a_template_is_unlocalized():
    root = Path(opora.__file__).parent
    offenders = [
        f"{path.relative_to(root)}: {match}"
        for path in root.rglob("*.html")
        for match in RAW_NUMBER.findall(path.read_text(encoding="utf-8"))
        if "auto_id" not in match
    ]
    assert offenders == []
