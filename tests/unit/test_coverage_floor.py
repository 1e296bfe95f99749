"""`make test` measures coverage of both passes together against a floor just under the figure the README
states."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def test_make_test_measures_coverage_of_both_passes_against_a_floor() -> None:
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    recipe = makefile.split("\ntest: lint\n", 1)[1].split("\n\n", 1)[0].splitlines()
    assert len(recipe) == 2
    assert "--cov " in recipe[0] and "--cov-fail-under=0" in recipe[0]
    assert "--cov --cov-append" in recipe[1] and "--cov-fail-under" not in recipe[1]
    coverage = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["coverage"]
    assert coverage["run"]["source"] == ["bot", "scoring"] and coverage["run"]["branch"] is True
    floor = coverage["report"]["fail_under"]
    measured = re.search(r"`make test` measured (\d+(?:\.\d+)?)% coverage", (REPO / "README.md").read_text())
    assert measured, "the README states the coverage last measured"
    assert floor <= float(measured.group(1)) < floor + 2, "keep the floor just under the measured figure"
