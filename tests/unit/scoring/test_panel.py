"""The independent panel (``tests/panel_cases.py``): every case inside what the evidence accepts, honest about
how sure it is, and starting where the evidence says to start."""

from __future__ import annotations

import pytest

from scoring import Answers, assess
from scoring.sources import SOURCES
from tests.panel_cases import CASES, Case


def test_the_panel_is_large_and_cites_known_sources() -> None:
    assert len(CASES) >= 50
    assert len({case.id for case in CASES}) == len(CASES)
    for case in CASES:
        assert case.sources and set(case.sources) <= set(SOURCES), case.id


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
def test_the_engine_signs_what_the_reviewer_would(case: Case) -> None:
    result = assess(Answers.parse(case.answers))
    assert result.approach.value in case.expected, (case.story, result.approach, result.confidence.summary)
    if case.not_high:
        assert result.confidence.level != "high", (case.note, result.confidence.summary)
    if case.first_step:
        assert result.path[0].approach.value == case.first_step, [s.approach for s in result.path]
