"""The workspace's figures: how often teams followed the recommendation and how decisions turned out, by
recommended approach and confidence, with small counts stated as counts (no percentage on fewer than 5)."""

from __future__ import annotations

import csv
import io
import json

from bot.storage.models import Decision, Outcome, StoredAssessment
from bot.ui.record import decision_record
from bot.ui.report import (
    MIN_FOR_RATE,
    home_learning_blocks,
    learning,
    learning_lines,
    rate,
    report_csv,
    report_json,
    report_row,
    small_count_note,
)
from tests.unit.ui.test_builders import record_for


def _case(outcome: str | None, *, follow: bool = True, project: str = "P", n: int = 0) -> StoredAssessment:
    record = record_for({}, project=project).model_copy(update={"id": f"a{n}"})
    recommended = record.result.approach.value
    approach = recommended if follow else ("fine_tuning" if recommended != "fine_tuning" else "rag")
    decisions = [Decision(approach=approach, rationale="r", by="UANA", at=1.8e9 + n, review_weeks=4)]
    outcomes = [Outcome(result=outcome, measured="m", by="UANA", at=1.9e9, decision=1)] if outcome else []
    return record.model_copy(update={"decisions": decisions, "outcomes": outcomes})


def test_a_rate_on_fewer_than_five_is_a_bare_count() -> None:
    assert rate(3, 4) == "3 of 4"
    assert rate(0, 0) == "0 of 0"
    assert rate(7, 9) == "7 of 9 (78%)"
    assert rate(MIN_FOR_RATE, MIN_FOR_RATE) == "5 of 5 (100%)"


def test_outcomes_by_recommended_approach_and_confidence() -> None:
    records = [_case("met", n=i) for i in range(7)] + [_case("missed", n=7), _case("partly", n=8)]
    records += [_case(None, follow=False, n=9), record_for({})]  # decided but not reviewed; undecided
    learned = learning([r.facts for r in records if r.facts], assessed=len(records))
    assert (learned.assessed, learned.decided, learned.followed, learned.reviewed) == (11, 10, 9, 9)
    level = records[0].result.confidence.level
    approach = records[0].result.approach.label
    lines = learning_lines(learned)
    assert "Followed the recommendation: 9 of 10 (90%) decisions." in lines
    assert f"Recommended {approach}: 7 of 9 (78%) met their target (1 partly, 1 didn't)" in lines
    assert f"{level.capitalize()} confidence: 7 of 9 (78%) met their target (1 partly, 1 didn't)" in lines
    assert small_count_note(learned) is None


def test_few_reviews_are_told_as_counts_with_a_note_saying_why() -> None:
    cases = [_case("met", n=0), _case("met", n=1), _case("changed", n=2)]
    learned = learning([case.facts for case in cases if case.facts])
    lines = learning_lines(learned)
    assert not [line for line in lines if "%" in line]
    assert any("2 of 3 met their target (1 changed approach)" in line for line in lines)
    note = small_count_note(learned)
    assert note is not None and "5 or more" in note
    home = json.dumps(home_learning_blocks(learned))
    assert "2 of 3" in home and "%" not in home.replace("5 or more", "")


def test_the_report_lists_every_assessment_and_keeps_spreadsheets_from_running_peoples_text() -> None:
    records = [_case("met", project='=HYPERLINK("x")', n=0), record_for({}, project="Plain")]
    rows = [report_row(r) for r in records]
    table = list(csv.DictReader(io.StringIO(report_csv(rows))))
    assert [row["project"] for row in table] == ['\'=HYPERLINK("x")', "Plain"]
    assert table[0]["outcome"] == "met" and table[0]["followed_recommendation"] == "yes"
    assert table[1]["decision"] == "" and table[1]["followed_recommendation"] == ""
    data = json.loads(report_json(rows, learning([r.facts for r in records if r.facts], assessed=2)))
    assert data["assessments"][0]["project"] == '=HYPERLINK("x")'  # JSON keeps it exactly as typed
    assert data["summary"]["reviewed"] == 1 and data["summary"]["note"]


def test_the_exported_record_has_the_outcome_history_with_peoples_text_escaped() -> None:
    record = _case("partly", n=0)
    later = record.outcomes[0].model_copy(
        update={"result": "met", "measured": "# 91% [link](x)", "score": 0.91}
    )
    record = record.model_copy(update={"outcomes": [*record.outcomes, later]})
    markdown = decision_record(record, {}, {"UANA": "Ana"})
    outcome = markdown.split("## Outcome\n", 1)[1].split("## Sources", 1)[0]
    assert "Partly met the target, by Ana" in outcome
    assert "Met the target, eval score 91%, by Ana" in outcome
    assert r"Measured: \# 91% \[link\]\(x\)" in outcome
