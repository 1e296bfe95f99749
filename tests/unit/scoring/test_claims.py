"""Every figure the bot states is in docs/claims.md, with the sentence of its source: a new number cannot
reach a team unchecked, and the table names no entry the rules no longer have."""

from __future__ import annotations

import re
from pathlib import Path

from scoring.ruleset import default_ruleset

CLAIMS = Path(__file__).resolve().parents[3] / "docs" / "claims.md"
# A figure: a number (with a unit, a % or a decimal part), not a year and not part of a name (GPT-4, A100).
FIGURE = re.compile(r"(?<![\w.-])\d[\d,]*(?:\.\d+)?(?!\.\d)")
YEAR = re.compile(r"^(19|20)\d\d$")


def _texts() -> dict[str, str]:
    ruleset = default_ruleset()
    found: dict[str, str] = {}
    for kind, entries in (
        ("gate", ruleset.gates),
        ("cap", ruleset.caps),
        ("rule", ruleset.rules),
        ("caveat", ruleset.caveats),
        ("next_step", ruleset.next_steps),
    ):
        for entry in entries:
            found[f"cap:{entry.id}" if kind == "cap" else entry.id] = entry.text
    for stage in ruleset.stages:
        found[stage.id] = f"{stage.now} {stage.then}"
    return found


def _figures(text: str) -> set[str]:
    return {m.group(0).rstrip(",") for m in FIGURE.finditer(text) if not YEAR.match(m.group(0).rstrip(","))}


def _table() -> dict[str, str]:
    """Each entry id named in the table's first column -> the whole row."""
    rows: dict[str, str] = {}
    for line in CLAIMS.read_text(encoding="utf-8").splitlines():
        if line.startswith("| `"):
            first = line.split("|")[1]
            for entry in re.findall(r"`([^`]+)`", first):
                rows[entry] = rows.get(entry, "") + line
    return rows


def test_every_entry_stating_a_figure_is_in_the_table_with_its_figures() -> None:
    table = _table()
    unlisted = []
    for entry, text in _texts().items():
        figures = _figures(text)
        if not figures:
            continue
        row = table.get(entry)
        if row is None:
            unlisted.append((entry, sorted(figures)))
            continue
        missing = {f for f in figures if f not in row and f.replace(",", "") not in row}
        assert not missing, (entry, sorted(missing))
    assert not unlisted, unlisted


def test_the_table_names_only_entries_that_exist() -> None:
    known = set(_texts())
    assert set(_table()) <= known, sorted(set(_table()) - known)
