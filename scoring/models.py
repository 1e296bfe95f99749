"""Typed inputs and outputs of the scoring engine."""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from operator import attrgetter
from typing import Any, Final, TypeVar

from pydantic import BaseModel, ConfigDict, Field, model_validator

from scoring.questionnaire import ADDED_IDS, FREE_TEXT_IDS, QUESTIONS_BY_ID, SCORED_IDS

_Model = TypeVar("_Model", bound=BaseModel)


def trusted(cls: type[_Model], **values: Any) -> _Model:
    """An instance from complete, already valid values, without validation: the engine's hot path.

    Like ``model_construct`` but without its per-field bookkeeping, so every field must be given. Only the
    engine uses it, for values it built itself; the tests check that every result equals its own JSON
    round trip through ``model_validate``.
    """
    instance = cls.__new__(cls)
    object.__setattr__(instance, "__dict__", values)
    object.__setattr__(instance, "__pydantic_fields_set__", set(values))
    object.__setattr__(instance, "__pydantic_extra__", None)
    object.__setattr__(instance, "__pydantic_private__", None)
    return instance


class Approach(StrEnum):
    PROMPT_ENGINEERING = "prompt_engineering"
    RAG = "rag"
    FINE_TUNING = "fine_tuning"
    HYBRID = "hybrid"

    # Serialising one assessment to JSON reads `.value` about a hundred times (every effects and points map
    # is keyed by approach). Python 3.11's Enum.value is a Python-level descriptor; this one reads the same
    # attribute without it.
    value = property(attrgetter("_value_"))

    @property
    def label(self) -> str:
        return APPROACH_LABELS[self]


APPROACH_LABELS: Final[dict[Approach, str]] = {
    Approach.PROMPT_ENGINEERING: "Prompt engineering",
    Approach.RAG: "RAG",
    Approach.FINE_TUNING: "Fine-tuning",
    Approach.HYBRID: "RAG + fine-tuning",
}

APPROACHES: Final[tuple[Approach, ...]] = tuple(Approach)


class AnswerIssue(BaseModel):
    """One problem with one answer, worded for the person who gave it."""

    model_config = ConfigDict(frozen=True)

    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"


class InvalidAnswers(ValueError):
    def __init__(self, issues: list[AnswerIssue]) -> None:
        super().__init__("; ".join(str(issue) for issue in issues))
        self.issues = issues


def _allowed(question_id: str) -> str:
    return ", ".join(QUESTIONS_BY_ID[question_id].option_ids)


def find_answer_issues(data: Mapping[str, Any]) -> list[AnswerIssue]:
    """Every problem in a flat mapping of question id to answer, in questionnaire order.

    Absent scored questions are not problems (the engine reports them as missing); an absent
    ``project_name`` is not either, so the CLI can assess a file without one.
    """
    issues: list[AnswerIssue] = []
    for key in data:
        if key not in QUESTIONS_BY_ID:
            issues.append(
                AnswerIssue(
                    field=str(key),
                    message="unknown question; known questions: " + ", ".join(QUESTIONS_BY_ID),
                )
            )
    for question_id in FREE_TEXT_IDS:
        value = data.get(question_id)
        if value is None:
            continue
        limit = QUESTIONS_BY_ID[question_id].max_length
        if not isinstance(value, str):
            issues.append(
                AnswerIssue(field=question_id, message=f"must be text of at most {limit} characters")
            )
        elif len(value) > limit:
            issues.append(
                AnswerIssue(
                    field=question_id,
                    message=f"is {len(value)} characters long; at most {limit} are allowed",
                )
            )
    for question_id in SCORED_IDS:
        if question_id not in data or data[question_id] is None:
            continue
        value = data[question_id]
        if not isinstance(value, str) or value not in QUESTIONS_BY_ID[question_id].option_ids:
            issues.append(
                AnswerIssue(
                    field=question_id,
                    message=f"{value!r} is not an option; allowed: {_allowed(question_id)}",
                )
            )
    return issues


class Answers(BaseModel):
    """A person's answers: free text plus one option id per scored question answered.

    Built from the CLI's flat JSON object (question id -> option id) with ``Answers.parse``.
    """

    model_config = ConfigDict(frozen=True)

    project_name: str | None = None
    use_case: str | None = None
    choices: dict[str, str] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _check(self) -> Answers:
        issues = find_answer_issues(self.as_flat())
        if issues:
            raise InvalidAnswers(issues)
        return self

    @classmethod
    def parse(cls, data: Mapping[str, Any]) -> Answers:
        """Build from a flat mapping; raise InvalidAnswers naming every bad field."""
        issues = find_answer_issues(data)
        if issues:
            raise InvalidAnswers(issues)
        choices = {qid: str(data[qid]) for qid in SCORED_IDS if data.get(qid) is not None}
        project_name = data.get("project_name")
        use_case = data.get("use_case")
        # Every value was checked just above: build without checking it all again (the batch CLI's hot path).
        return trusted(
            cls,
            project_name=project_name.strip() or None if isinstance(project_name, str) else None,
            use_case=use_case.strip() or None if isinstance(use_case, str) else None,
            choices=choices,
        )

    def as_flat(self) -> dict[str, str]:
        flat: dict[str, str] = {}
        if self.project_name is not None:
            flat["project_name"] = self.project_name
        if self.use_case is not None:
            flat["use_case"] = self.use_case
        flat.update(self.choices)
        return flat

    def with_changes(self, changes: Mapping[str, str]) -> Answers:
        return Answers.parse({**self.as_flat(), **changes})

    @property
    def missing(self) -> tuple[str, ...]:
        """Every scored question left unanswered, in questionnaire order (added questions included)."""
        choices = self.choices
        if len(choices) == len(SCORED_IDS):
            return ()
        return tuple(qid for qid in SCORED_IDS if qid not in choices)


LEVELS: Final[tuple[str, ...]] = ("low", "medium", "high")


class AnswerChange(BaseModel):
    model_config = ConfigDict(frozen=True)

    question: str
    before: str | None = Field(description="None when the question was unanswered")
    after: str


class Confidence(BaseModel):
    """How sure the engine is, from how robust the answer is, and what that rests on.

    ``level``, ``margin``, ``runner_up``, ``answered`` and ``of`` are the first release's fields, kept so
    that readers of them (and assessments stored by that release) keep working. Every later field has a
    default for the same reason.
    """

    model_config = ConfigDict(frozen=True)

    level: str = Field(description="high, medium or low")
    margin: float = Field(description="Points between the recommendation and the runner-up (0 or more)")
    runner_up: Approach
    answered: int = Field(description="Scored questions answered")
    of: int = Field(description="Scored questions in the questionnaire")
    summary: str = Field(default="", description="One sentence: the level and what it rests on")
    basis: tuple[str, ...] = Field(default=(), description="Short statements the level rests on")
    agreeing: tuple[str, ...] = Field(
        default=(), description="Evidence groups favouring the recommendation over every feasible alternative"
    )
    disagreeing: tuple[str, ...] = Field(
        default=(), description="Evidence groups favouring a feasible alternative"
    )
    checked: int = Field(default=0, description="Plausible one-step changes of uncertain answers tried")
    fragile: tuple[AnswerChange, ...] = Field(
        default=(), description="Those of the plausible changes that would change the recommendation"
    )
    caps: tuple[str, ...] = Field(default=(), description="Ids of the caps that limit the level")
    limits: tuple[str, ...] = Field(
        default=(),
        description=(
            "What sets a level below high: lead, disagreeing, agreeing, fragile, conflicts, missing, or "
            "cap:<id>; empty when high"
        ),
    )


class Reason(BaseModel):
    """One rule that fired: which answer(s) it read, how it moved each approach, and why.

    ``effects`` are the rule's own points; a group's total is limited (see ``Assessment.evidence``), so
    the scores can be less than the sum of the reasons in a capped group.
    """

    model_config = ConfigDict(frozen=True)

    rule: str
    question: str
    answer: str
    related: dict[str, str] = Field(default_factory=dict, description="Other answers the rule also read")
    effects: dict[Approach, float]
    weight: float = Field(
        description="Points this rule added to (or, if negative, took from) the recommendation"
    )
    text: str
    sources: tuple[str, ...]
    group: str = Field(default="", description="The evidence group the rule belongs to")


class Note(BaseModel):
    """A caveat or a next step: guidance that applies to these answers and this recommendation."""

    model_config = ConfigDict(frozen=True)

    id: str
    text: str
    sources: tuple[str, ...]


class Flip(BaseModel):
    """A smallest change of answers that would change the recommendation.

    ``actionable`` is true when every change is a forward move of a lever (README, "Levers and facts"):
    something the team can do. Otherwise the entry is a fact about the project that would change it.
    """

    model_config = ConfigDict(frozen=True)

    changes: tuple[AnswerChange, ...]
    approach: Approach
    margin: float = Field(description="How far the new recommendation would lead after the change")
    actionable: bool = Field(default=False, description="Every change is a forward move of a lever")


class Gate(BaseModel):
    """A feasibility gate that fired: the approaches it rules out for these answers, and why."""

    model_config = ConfigDict(frozen=True)

    id: str
    blocks: tuple[Approach, ...]
    answers: dict[str, str] = Field(description="The answers that made it fire")
    text: str
    sources: tuple[str, ...]


class GroupScore(BaseModel):
    """One group of evidence: the points it gave each approach after its limit, and whether it was hit."""

    model_config = ConfigDict(frozen=True)

    group: str
    title: str
    points: dict[Approach, float]
    capped: bool = Field(description="The group's rules added up to more than its limit for some approach")


class Stage(BaseModel):
    """One step of the path from where the team is now to the recommendation."""

    model_config = ConfigDict(frozen=True)

    approach: Approach
    when: str
    sources: tuple[str, ...] = ()


class Conflict(BaseModel):
    """Answers that contradict each other, and what to re-check."""

    model_config = ConfigDict(frozen=True)

    id: str = ""
    questions: tuple[str, ...]
    text: str


class Assessment(BaseModel):
    """The engine's result. Fields after ``missing`` were added after the first release and have defaults,
    so assessments stored by that release still validate."""

    model_config = ConfigDict(frozen=True)

    approach: Approach
    scores: dict[Approach, float]
    confidence: Confidence
    reasons: tuple[Reason, ...]
    caveats: tuple[Note, ...]
    next_steps: tuple[Note, ...]
    what_would_change: tuple[Flip, ...]
    missing: tuple[str, ...]
    path: tuple[Stage, ...] = ()
    conflicts: tuple[Conflict, ...] = ()
    gates: tuple[Gate, ...] = ()
    evidence: tuple[GroupScore, ...] = ()

    @property
    def excluded(self) -> tuple[Approach, ...]:
        """Approaches a gate ruled out, in APPROACHES order."""
        blocked = {approach for gate in self.gates for approach in gate.blocks}
        return tuple(approach for approach in APPROACHES if approach in blocked and approach != self.approach)

    @property
    def actionable_changes(self) -> tuple[Flip, ...]:
        return tuple(flip for flip in self.what_would_change if flip.actionable)

    @property
    def fact_changes(self) -> tuple[Flip, ...]:
        return tuple(flip for flip in self.what_would_change if not flip.actionable)

    def ranked(self) -> list[tuple[Approach, float]]:
        """The recommendation first, then the approaches no gate ruled out, best score first, then the
        ruled-out ones (ties in the engine's tie-break order)."""
        order = {approach: index for index, approach in enumerate(APPROACHES)}
        excluded = set(self.excluded)
        return sorted(
            self.scores.items(),
            key=lambda item: (item[0] != self.approach, item[0] in excluded, -item[1], order[item[0]]),
        )


# Questions the engine treats as optional: absent is "unknown" (README, questionnaire reference).
OPTIONAL_IDS: Final[tuple[str, ...]] = ADDED_IDS
