"""The team round's thread message and start form: what each state shows, within Slack's limits, for any
answers and any number of teammates."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from bot import ids
from bot.devkit.blockkit import message_problems, view_problems
from bot.devkit.typed_text import misread, shown_as_typed
from bot.storage.models import RoundAnswer, TeamRound
from bot.ui.rounds import ROUND_BLOCKS, read_round_value, round_message, round_value, start_round_view
from scoring import Answers
from scoring.questionnaire import SCORED_QUESTIONS
from scoring.team import TeamAnalysis, analyse
from tests.hypothesis_profiles import examples
from tests.scenarios import SCENARIOS
from tests.unit.ui.test_builders import record_for

CANVA = next(s for s in SCENARIOS if s.id == "canva_design_guidelines").answers


def _round(answers: dict[str, dict[str, str]], *, named: bool = True, closed: bool = False) -> TeamRound:
    return TeamRound(
        assessment="abc123",
        number=2,
        starter="UANA",
        named=named,
        channel="C1",
        ts="9.9",
        opened=1.0,
        closed_by="UANA" if closed else None,
        closed_at=5.0 if closed else None,
        version=3 if closed else None,
        answers={
            user: RoundAnswer(answers=given, at=float(i), from_result=i == 0)
            for i, (user, given) in enumerate(answers.items())
        },
    )


def _analysis(round_: TeamRound) -> TeamAnalysis:
    return analyse({u: Answers.parse(round_.answers[u].answers) for u in round_.people})


def _text(message: dict[str, object]) -> str:
    return json.dumps(message, ensure_ascii=False)


def test_a_round_with_one_answer_invites_and_waits_for_the_second() -> None:
    round_ = _round({"UANA": CANVA})
    message = round_message(round_, record_for(CANVA), None)
    text = _text(message)
    assert "1 answer:* <@UANA> (the posted answers)" in text
    assert "appears here with the second answer" in text
    assert ids.ROUND_ANSWER in text and ids.ROUND_CLOSE in text
    assert round_value(round_) in text
    assert message_problems(message) == []


def test_a_closed_round_has_no_buttons_and_names_the_version() -> None:
    round_ = _round({"UANA": CANVA, "UBEN": {**CANVA, "labeled_examples": "none"}}, closed=True)
    text = _text(round_message(round_, record_for(CANVA), _analysis(round_)))
    assert "Team round closed* by <@UANA>" in text and "version 3 of the result above" in text
    assert ids.ROUND_ANSWER not in text and ids.ROUND_CLOSE not in text


def test_without_names_the_comparison_names_nobody() -> None:
    people = {"UANA": CANVA, "UBEN": {**CANVA, "labeled_examples": "none"}, "UCAT": CANVA}
    round_ = _round(people, named=False)
    message = round_message(round_, record_for(CANVA), _analysis(round_))
    roster, comparison = _text(message["blocks"][1]), _text(message["blocks"][2:])
    assert "<@UBEN>" in roster
    assert "<@U" not in comparison and "None ×1" in comparison


def test_round_values_read_back_and_bad_ones_are_refused() -> None:
    assert read_round_value(round_value(_round({}))) == ("abc123", 2)
    assert read_round_value("abc123:x") == ("abc123", None)
    assert read_round_value("") == ("", None)


def test_the_start_form_fits_slack_and_defaults_to_names() -> None:
    view = start_round_view(record_for(CANVA, project="<!channel> & *co*"))
    assert view_problems(view) == []
    assert shown_as_typed(view, "<!channel> & *co*") == [] and misread(view) == []
    names = next(b for b in view["blocks"] if b.get("block_id") == ids.ROUND_NAMES_BLOCK)
    assert names["element"]["initial_option"]["value"] == ids.ROUND_SHOW_NAMES


member = st.fixed_dictionaries({}, optional={q.id: st.sampled_from(q.option_ids) for q in SCORED_QUESTIONS})


@settings(max_examples=examples(40), deadline=None)
@given(st.lists(member, min_size=2, max_size=12), st.booleans(), st.booleans())
def test_any_round_fits_slack(people: list[dict[str, str]], named: bool, closed: bool) -> None:
    round_ = _round({f"U{i:03d}": answers for i, answers in enumerate(people)}, named=named, closed=closed)
    message = round_message(round_, record_for(CANVA), _analysis(round_))
    assert message_problems(message) == []
    assert len(message["blocks"]) <= ROUND_BLOCKS
