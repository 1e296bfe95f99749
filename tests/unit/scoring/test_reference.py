"""A slow, independent reading of the rules, straight from the rule set's data, checks the engine's fast
paths: memoised groups, one-answer changes re-scored incrementally, bounds that dismiss changes unscored."""

from collections.abc import Mapping

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scoring import Answers, Approach, assess
from scoring.models import APPROACHES
from scoring.questionnaire import QUESTIONS_BY_ID, SCORED_QUESTIONS
from scoring.ruleset import UNANSWERED, Conditions, RuleSet, default_ruleset
from tests.hypothesis_profiles import examples

answer_sets = st.one_of(
    st.fixed_dictionaries({q.id: st.sampled_from(q.option_ids) for q in SCORED_QUESTIONS}),
    st.fixed_dictionaries({}, optional={q.id: st.sampled_from(q.option_ids) for q in SCORED_QUESTIONS}),
)


def _holds(when: Conditions, unless: tuple[Conditions, ...], answers: Mapping[str, str]) -> bool:
    def matches(conditions: Conditions) -> bool:
        # rules.toml's "unanswered" matches a question left blank, and nothing else does.
        return all(answers.get(question, UNANSWERED) in options for question, options in conditions.items())

    return matches(when) and not any(matches(alternative) for alternative in unless)


def reference(
    ruleset: RuleSet, answers: Mapping[str, str]
) -> tuple[dict[Approach, float], set[Approach], Approach]:
    """Totals, the approaches gates rule out, and the recommendation, computed the plain way."""
    points = {group.id: dict.fromkeys(APPROACHES, 0.0) for group in ruleset.groups}
    for rule in ruleset.rules:
        if _holds(rule.when, rule.unless, answers):
            for approach in APPROACHES:
                points[rule.group][approach] += rule.effect(approach)
    totals = dict.fromkeys(APPROACHES, 0.0)
    for group in ruleset.groups:
        for approach in APPROACHES:
            totals[approach] += min(group.max_for, max(-group.max_against, points[group.id][approach]))
    blocked = {a for gate in ruleset.gates if _holds(gate.when, gate.unless, answers) for a in gate.blocks}
    feasible = [a for a in APPROACHES if a not in blocked] or list(APPROACHES)
    winner = max(feasible, key=lambda a: (totals[a], -ruleset.tie_break.index(a)))
    return totals, blocked, winner


def plausible(ruleset: RuleSet, question: str, answers: dict[str, str]) -> list[str]:
    current = answers.get(question)
    if any(_holds(when, (), answers) for when in ruleset.confidence.plausible_unless.get(question, ())):
        return []  # the answers rule out a slip in this one
    options = list(QUESTIONS_BY_ID[question].option_ids)
    if current is None:
        return options
    kind = ruleset.confidence.plausible.get(question)
    index = options.index(current)
    if kind is None:
        return []
    if isinstance(kind, dict):
        return list(kind.get(current, ()))
    if kind == "any":
        return [o for o in options if o != current]
    if kind == "adjacent":
        return [options[i] for i in (index - 1, index + 1) if 0 <= i < len(options)]
    return options[1:] if index == 0 else []


def _contradicts(ruleset: RuleSet, answers: dict[str, str], question: str, option: str) -> bool:
    changed = {**answers, question: option}
    return any(
        question in conflict.when
        and _holds(conflict.when, (), changed)
        and not _holds(conflict.when, (), answers)
        for conflict in ruleset.conflicts
    )


@settings(max_examples=examples(300), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(answer_sets)
def test_the_engine_agrees_with_a_plain_reading_of_the_rules(answers: dict[str, str]) -> None:
    ruleset = default_ruleset()
    result = assess(Answers.parse(answers))
    totals, blocked, winner = reference(ruleset, answers)
    assert result.approach is winner
    assert result.scores == {a: round(totals[a], 2) for a in APPROACHES}
    assert set(result.excluded) == blocked - {winner}
    assert [g.id for g in result.gates] == [
        gate.id for gate in ruleset.gates if _holds(gate.when, gate.unless, answers)
    ]

    tried = [
        (question.id, option)
        for question in SCORED_QUESTIONS
        for option in plausible(ruleset, question.id, answers)
    ]
    moved = [(q, o) for q, o in tried if reference(ruleset, {**answers, q: o})[2] is not winner]
    # A change that moves it but makes two answers contradict each other is not a plausible slip.
    implausible = [(q, o) for q, o in moved if _contradicts(ruleset, answers, q, o)]
    tried = [change for change in tried if change not in implausible]
    moved = [change for change in moved if change not in implausible]
    assert result.confidence.checked == len(tried)
    assert [(c.question, c.after) for c in result.confidence.fragile] == moved

    for flip in result.what_would_change:
        changed = {**answers, **{c.question: c.after for c in flip.changes}}
        assert reference(ruleset, changed)[2] is flip.approach
