"""Several people's answers to the same project: where they disagree, and whether it matters. Pure.

Each member answers on their own. The consensus takes, per question, the median answer for questions whose
options are ordered (fewer → more examples, days → months) and the most common answer otherwise; a tie is
broken deterministically (the lower of the two middle answers, or the earlier option) and named. A
disagreement *changes the result* when putting any answer a member gave in place of the consensus answer, with
every other consensus answer kept, changes the consensus recommendation.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Final

from pydantic import BaseModel, ConfigDict, Field

from scoring.engine import Engine, engine_for
from scoring.models import Answers, Approach, Assessment
from scoring.questionnaire import QUESTIONS_BY_ID, SCORED_IDS

# The cap a team's disagreement puts on the consensus confidence (Confidence.caps names it).
TEAM_CAP: Final = "team_disagreement"

# Questions whose options run from less to more (in questionnaire order), so a median means something.
ORDERED: Final[frozenset[str]] = frozenset(
    {
        "task_complexity",
        "accuracy_requirement",
        "distinct_tasks",
        "knowledge_change_frequency",
        "domain_specificity",
        "format_style_consistency_need",
        "labeled_examples",
        "compute_budget",
        "ml_expertise",
        "time_to_first_version",
        "project_lifetime",
        "request_volume",
        "latency_requirement",
    }
)


class Member(BaseModel):
    """One person's answers and what they alone would lead to."""

    model_config = ConfigDict(frozen=True)

    name: str
    approach: Approach
    confidence: str
    answered: int


class ConsensusAnswer(BaseModel):
    model_config = ConfigDict(frozen=True)

    question: str
    answer: str
    tied_with: tuple[str, ...] = Field(
        default=(), description="Other answers with an equal claim; the tie was broken as the docstring says"
    )


class Flip(BaseModel):
    """An answer some members gave that would change the consensus recommendation."""

    model_config = ConfigDict(frozen=True)

    answer: str
    approach: Approach
    members: tuple[str, ...]


class Disagreement(BaseModel):
    model_config = ConfigDict(frozen=True)

    question: str
    consensus: str
    answers: dict[str, int] = Field(description="Option id -> how many members gave it, in option order")
    by_answer: dict[str, tuple[str, ...]] = Field(description="Option id -> the members who gave it")
    changes_result: bool
    flips: tuple[Flip, ...] = ()


class TeamAnalysis(BaseModel):
    model_config = ConfigDict(frozen=True)

    members: tuple[Member, ...]
    consensus_answers: tuple[ConsensusAnswer, ...]
    consensus: Assessment
    disagreements: tuple[Disagreement, ...] = Field(
        description="Questions members answered differently; those that change the result first"
    )
    confidence: str = Field(description="The consensus confidence, lowered for disagreements that matter")

    @property
    def answers(self) -> dict[str, str]:
        return {entry.question: entry.answer for entry in self.consensus_answers}

    @property
    def flipping(self) -> tuple[Disagreement, ...]:
        return tuple(d for d in self.disagreements if d.changes_result)

    def team_result(self) -> Assessment:
        """The consensus assessment with the team's confidence: lowered, and saying why, when members
        disagree about answers that change the result; saying that they agree when they do."""
        consensus = self.consensus
        people = f"{len(self.members)} people's answers"
        if self.flipping:
            questions = ", ".join(QUESTIONS_BY_ID[d.question].short.lower() for d in self.flipping)
            line = f"The team disagrees about {questions}, and that changes the recommendation"
        elif self.disagreements:
            line = f"{people} differ on {len(self.disagreements)} questions, none of which changes it"
        else:
            line = f"{people} agree on every question"
        confidence = consensus.confidence
        update: dict[str, object] = {"basis": (*confidence.basis, line)}
        if self.flipping:
            update["summary"] = f"{self.confidence.capitalize()}: {line[0].lower()}{line[1:]}."
        if self.confidence != confidence.level:
            update.update(level=self.confidence, caps=(*confidence.caps, TEAM_CAP))
        return consensus.model_copy(update={"confidence": confidence.model_copy(update=update)})

    def as_contract(self) -> dict[str, object]:
        """The JSON the CLI prints (`members`, `consensus`, `disagreements`, as the README documents)."""
        return {
            "members": [member.model_dump(mode="json") for member in self.members],
            "consensus": {
                "answers": self.answers,
                "ties": {e.question: [e.answer, *e.tied_with] for e in self.consensus_answers if e.tied_with},
                "approach": self.consensus.approach.value,
                "confidence": self.confidence,
            },
            "disagreements": [d.model_dump(mode="json") for d in self.disagreements],
        }


def _median(question_id: str, given: Sequence[str]) -> tuple[str, tuple[str, ...]]:
    options = QUESTIONS_BY_ID[question_id].option_ids
    ranks = sorted(options.index(answer) for answer in given)
    lower, upper = ranks[(len(ranks) - 1) // 2], ranks[len(ranks) // 2]
    tied = () if lower == upper else (options[upper],)
    return options[lower], tied


def _most_common(question_id: str, given: Sequence[str]) -> tuple[str, tuple[str, ...]]:
    options = QUESTIONS_BY_ID[question_id].option_ids
    counts = Counter(given)
    top = max(counts.values())
    leaders = [option for option in options if counts.get(option) == top]
    return leaders[0], tuple(leaders[1:])


def consensus_answers(members: Mapping[str, Answers]) -> tuple[ConsensusAnswer, ...]:
    """Per question that at least one member answered: the team's answer, and any tie."""
    found: list[ConsensusAnswer] = []
    for question_id in SCORED_IDS:
        given = [
            answers.choices[question_id] for answers in members.values() if question_id in answers.choices
        ]
        if not given:
            continue
        pick = _median if question_id in ORDERED else _most_common
        answer, tied = pick(question_id, given)
        found.append(ConsensusAnswer(question=question_id, answer=answer, tied_with=tied))
    return tuple(found)


def _team_confidence(consensus: Assessment, flipping: int) -> str:
    """The consensus confidence, at most medium when one disagreement changes the result, low for more."""
    order = ("low", "medium", "high")
    cap = "high" if flipping == 0 else "medium" if flipping == 1 else "low"
    return min(consensus.confidence.level, cap, key=order.index)


def analyse(members: Mapping[str, Answers], engine: Engine | None = None) -> TeamAnalysis:
    """The team's analysis. ``members`` maps a display name to that person's answers (at least one)."""
    if not members:
        raise ValueError("a team analysis needs at least one member's answers")
    engine = engine or engine_for()
    member_results = tuple(
        Member(
            name=name,
            approach=(result := engine.assess(answers, explore_changes=False)).approach,
            confidence=result.confidence.level,
            answered=len(answers.choices),
        )
        for name, answers in members.items()
    )
    agreed = consensus_answers(members)
    answers = {entry.question: entry.answer for entry in agreed}
    consensus = engine.assess(Answers.parse(answers))

    disagreements: list[Disagreement] = []
    for entry in agreed:
        options = QUESTIONS_BY_ID[entry.question].option_ids
        by_answer: dict[str, list[str]] = {}
        for name, member_answers in members.items():
            given = member_answers.choices.get(entry.question)
            if given is not None:
                by_answer.setdefault(given, []).append(name)
        if len(by_answer) < 2:
            continue
        flips: list[Flip] = []
        for option in options:
            if option == entry.answer or option not in by_answer:
                continue
            changed = engine.assess(Answers.parse({**answers, entry.question: option}), explore_changes=False)
            if changed.approach is not consensus.approach:
                flips.append(Flip(answer=option, approach=changed.approach, members=tuple(by_answer[option])))
        disagreements.append(
            Disagreement(
                question=entry.question,
                consensus=entry.answer,
                answers={option: len(by_answer[option]) for option in options if option in by_answer},
                by_answer={option: tuple(by_answer[option]) for option in options if option in by_answer},
                changes_result=bool(flips),
                flips=tuple(flips),
            )
        )
    # Disagreements that change the result first, then by how split the team is, then in questionnaire order.
    disagreements.sort(
        key=lambda d: (not d.changes_result, -min(d.answers.values()), SCORED_IDS.index(d.question))
    )
    flipping = sum(1 for d in disagreements if d.changes_result)
    return TeamAnalysis(
        members=member_results,
        consensus_answers=agreed,
        consensus=consensus,
        disagreements=tuple(disagreements),
        confidence=_team_confidence(consensus, flipping),
    )
