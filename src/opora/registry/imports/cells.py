"""How a cell's text survives a spreadsheet, both ways, so that an exported file imports back
exactly as it was.

- **Formulas.** A CSV cell starting with ``=``, ``@``, a tab or a carriage return, or with
  ``+`` or ``-`` when it is not a number, would be run as a formula by a spreadsheet; the
  export puts an apostrophe before it (what a spreadsheet itself does to keep typed text
  text). A cell that already starts with an apostrophe gets one too, so that the import can
  take exactly one off whenever the rest would need it: ``unguarded(guarded(x)) == x`` for
  every text.
- **Characters XML cannot hold** (the control characters but tab and line feed; a carriage
  return too, which XML reads back as a line feed) are written in an XLSX cell as Excel
  writes them, ``_x0007_``, ``_x000D_``; a text that looks like
  such an escape has its underscore escaped (``_x005F_``). The reader (xlsx.py) undoes both,
  as Excel does.
"""

from __future__ import annotations

import re

_FORMULA_START = ("=", "@", "\t", "\r")
_NUMBER_LIKE = re.compile(r"^[+-]?[0-9 ().,-]*$")
GUARD = "'"
# XML 1.0 allows tab, line feed and carriage return among the control characters, no other,
# and turns a carriage return into a line feed when it reads it.
_NOT_IN_XML = re.compile("[\x00-\x08\x0b-\x1f\ufffe\uffff]")
_LOOKS_ESCAPED = re.compile(r"_(x[0-9A-Fa-f]{4}_)")
_ESCAPED = re.compile(r"_x([0-9A-Fa-f]{4})_")


def needs_guard(text: str) -> bool:
    first = text[:1]
    if first in _FORMULA_START or first == GUARD:
        return True
    return first in ("+", "-") and not _NUMBER_LIKE.match(text)


def guarded(text: str) -> str:
    """The text as a CSV cell that no spreadsheet runs as a formula."""
    return GUARD + text if needs_guard(text) else text


def unguarded(text: str) -> str:
    """What ``guarded`` was given: one apostrophe off where the rest needed it."""
    if text.startswith(GUARD) and needs_guard(text[1:]):
        return text[1:]
    return text


def xml_escaped(text: str) -> str:
    """The text as an XLSX cell holds it (OOXML's ST_Xstring escapes)."""
    if "_x" in text:
        text = _LOOKS_ESCAPED.sub(r"_x005F_\1", text)
    return _NOT_IN_XML.sub(lambda m: f"_x{ord(m[0]):04X}_", text)


def xml_unescaped(text: str) -> str:
    if "_x" not in text:
        return text
    return _ESCAPED.sub(lambda m: chr(int(m[1], 16)), text)
