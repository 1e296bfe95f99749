"""Several people's answers to the same project: where they disagree, and whether it matters. Pure.

Each member answers on their own, and the round is run as a facilitator would run it:

- **Opinions are pooled.** The consensus takes the median answer of a question whose options are ordered
  (days → months, low → high volume) and the most common answer otherwise; a tie is broken deterministically
  (the lower of the two middle answers, or the earlier option) and named.
- **Hard constraints take the safe side.** A tie on whether data must stay on your own machines, or whether
  answers must cite sources, takes "yes" and says so: getting a constraint wrong costs far more than
  honouring one that turns out not to bind.
- **Facts are not voted on.** Whether prompting was measured and how it did, what fails in the evals, how
  many labelled examples exist and whether a larger model was checked are facts someone holds the evidence
  for. When members disagree, the consensus takes what those who report the evidence say (a measured
  baseline, a failure seen, examples, a check made), and the round asks them to confirm it.
- **Disagreements are tested one at a time and jointly.** A disagreement *changes the result* when putting
  any answer a member gave in place of the consensus answer, every other consensus answer kept, changes the
  consensus recommendation. Beyond that, each member's differing answers are put in together: when they
  change the result together though none does alone, the smallest such set is named.
- **A consensus that contradicts itself is flagged.** Medians and modes taken question by question can
  combine into answers no member gave together; the contradictions are reported with the consensus.
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


# Yes/no constraints where a tie takes the safe side: the answer that honours the constraint.
HARD_CONSTRAINTS: Final[dict[str, str]] = {"privacy_self_host": "yes", "citations_needed": "yes"}

# Facts someone holds the evidence for, each with the answer that reports none (no baseline measured,
# no failure known, no labelled examples, no larger model checked).
FACTS: Final[dict[str, str]] = {
    "prompt_baseline": "not_tried",
    "primary_failure_mode": "none",
    "labeled_examples": "none",
    "teacher_model": "not_checked",
}


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
    safe_side: bool = Field(default=False, description="A tie on a hard constraint, settled on its safe side")
    confirm_with: tuple[str, ...] = Field(
        default=(),
        description="A fact members disagree on: the members who report evidence, asked to confirm it",
    )
    reports: dict[str, tuple[str, ...]] = Field(
        default_factory=dict,
        description="A disputed fact: each answer reported as evidence -> who reported it",
    )


class JointFlip(BaseModel):
    """Answers of one member that change the consensus recommendation together, though none does alone."""

    model_config = ConfigDict(frozen=True)

    member: str
    answers: dict[str, str] = Field(description="Question id -> the member's answer, in questionnaire order")
    approach: Approach


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
    joint_flips: tuple[JointFlip, ...] = Field(
        default=(), description="Members whose answers change the result together though none does alone"
    )

    @property
    def to_confirm(self) -> tuple[ConsensusAnswer, ...]:
        """Facts members disagree on, and who is asked to confirm each."""
        return tuple(entry for entry in self.consensus_answers if entry.confirm_with)

    @property
    def answers(self) -> dict[str, str]:
        return {entry.question: entry.answer for entry in self.consensus_answers}

    @property
    def flipping(self) -> tuple[Disagreement, ...]:
        return tuple(d for d in self.disagreements if d.changes_result)

    @property
    def deciding(self) -> int:
        """How many disagreements change the result: each question that does, and each joint set of one
        member's answers that does."""
        return len(self.flipping) + len(self.joint_flips)

    def team_result(self) -> Assessment:
        """The consensus assessment with the team's confidence: lowered, and saying why, when members
        disagree about answers that change the result; saying that they agree when they do."""
        consensus = self.consensus
        people = f"{len(self.members)} people's answers"
        if self.flipping:
            questions = ", ".join(QUESTIONS_BY_ID[d.question].short.lower() for d in self.flipping)
            line = f"The team disagrees about {questions}, and that changes the recommendation"
        elif self.joint_flips:
            first = self.joint_flips[0]
            line = (
                f"{first.member}'s answers on {_joined(first.answers)} change the recommendation together, "
                "though none does alone"
            )
        elif self.disagreements:
            line = f"{people} differ on {len(self.disagreements)} questions, none of which changes it"
        else:
            line = f"{people} agree on every question"
        confidence = consensus.confidence
        extra = [line]
        if self.to_confirm:
            facts = ", ".join(QUESTIONS_BY_ID[e.question].short.lower() for e in self.to_confirm)
            extra.append(
                f"Members disagree on facts ({facts}): the consensus takes what the evidence holders report"
            )
        if consensus.conflicts:
            extra.append("The consensus combines answers that contradict each other: re-check them")
        update: dict[str, object] = {"basis": (*confidence.basis, *extra)}
        if self.flipping or self.joint_flips:
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
            "joint_flips": [flip.model_dump(mode="json") for flip in self.joint_flips],
            "to_confirm": {e.question: list(e.confirm_with) for e in self.to_confirm},
            "conflicts": [c.model_dump(mode="json") for c in self.consensus.conflicts],
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


def _joined(answers: Mapping[str, str]) -> str:
    names = [QUESTIONS_BY_ID[q].short.lower() for q in answers]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _pooled(question_id: str, given: Sequence[str]) -> tuple[str, tuple[str, ...]]:
    pick = _median if question_id in ORDERED else _most_common
    return pick(question_id, given)


def _fact(question_id: str, by_member: Mapping[str, str]) -> ConsensusAnswer:
    """A fact members disagree on: what those reporting evidence say (pooled among them), to be confirmed
    by them; when nobody reports any, there is nothing to confirm."""
    nothing = FACTS[question_id]
    holders = {member: answer for member, answer in by_member.items() if answer != nothing}
    if not holders:
        return ConsensusAnswer(question=question_id, answer=nothing)
    answer, tied = _pooled(question_id, list(holders.values()))
    options = QUESTIONS_BY_ID[question_id].option_ids
    reports = {
        option: tuple(member for member, given in holders.items() if given == option)
        for option in options
        if option in holders.values()
    }
    return ConsensusAnswer(
        question=question_id, answer=answer, tied_with=tied, confirm_with=tuple(holders), reports=reports
    )


def consensus_answers(members: Mapping[str, Answers]) -> tuple[ConsensusAnswer, ...]:
    """Per question that at least one member answered: the team's answer, and how it was reached (the module
    docstring): pooled for opinions, the safe side of a tied hard constraint, the evidence holders' report
    of a disputed fact."""
    found: list[ConsensusAnswer] = []
    for question_id in SCORED_IDS:
        by_member = {
            name: answers.choices[question_id]
            for name, answers in members.items()
            if question_id in answers.choices
        }
        if not by_member:
            continue
        given = list(by_member.values())
        if question_id in FACTS and len(set(given)) > 1:
            found.append(_fact(question_id, by_member))
            continue
        answer, tied = _pooled(question_id, given)
        safe = HARD_CONSTRAINTS.get(question_id)
        if tied and safe is not None and safe in (answer, *tied):
            others = tuple(option for option in (answer, *tied) if option != safe)
            found.append(ConsensusAnswer(question=question_id, answer=safe, tied_with=others, safe_side=True))
            continue
        found.append(ConsensusAnswer(question=question_id, answer=answer, tied_with=tied))
    return tuple(found)


def _joint_flips(
    members: Mapping[str, Answers], answers: Mapping[str, str], approach: Approach, engine: Engine
) -> tuple[JointFlip, ...]:
    """Per member, the smallest set of their differing answers that changes the recommendation together,
    where no single one of them does (those are listed as disagreements already)."""

    def result_with(changes: Mapping[str, str]) -> Approach:
        return engine.assess(Answers.parse({**answers, **changes}), explore_changes=False).approach

    found: list[JointFlip] = []
    for name, member in members.items():
        differing = {q: a for q, a in member.choices.items() if q in answers and answers[q] != a}
        if len(differing) < 2 or result_with(differing) is approach:
            continue
        if any(result_with({q: a}) is not approach for q, a in differing.items()):
            continue  # one of them changes it alone: named as a disagreement of its own
        # Drop every answer the change does not need, one at a time, until none can go: what is left is
        # needed in full. (Scores are not monotone, so an answer needed in a larger set may not be in a
        # smaller one: one pass is not enough.)
        needed = dict(differing)
        dropped = True
        while dropped:
            dropped = False
            for question_id in list(needed):
                fewer = {q: a for q, a in needed.items() if q != question_id}
                if len(fewer) >= 2 and result_with(fewer) is not approach:
                    needed, dropped = fewer, True
        ordered = {q: needed[q] for q in SCORED_IDS if q in needed}
        found.append(JointFlip(member=name, answers=ordered, approach=result_with(needed)))
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
    joint = _joint_flips(members, answers, consensus.approach, engine)
    flipping = sum(1 for d in disagreements if d.changes_result) + len(joint)
    return TeamAnalysis(
        members=member_results,
        consensus_answers=agreed,
        consensus=consensus,
        disagreements=tuple(disagreements),
        confidence=_team_confidence(consensus, flipping),
        joint_flips=joint,
    )
