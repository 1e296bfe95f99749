"""The records the bot keeps: pydantic models only, no Redis, so pure builders can import them."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, Field, computed_field, model_validator

from scoring import Assessment

# Stands in for a person who ran `/llm-approach forget`, wherever a record named them (the starter, a
# version's editor, a decision's author). Never a Slack user id, so it is never rendered as a mention.
FORGOTTEN = "forgotten"

# Draft ids: a new assessment's draft; an edit's draft is named after its assessment; a teammate's answers
# for an assessment's team round are kept in ROUND_DRAFT_PREFIX + the assessment's id.
NEW_DRAFT = "new"
ROUND_DRAFT_PREFIX = "round-"


def round_draft(assessment: str) -> str:
    return f"{ROUND_DRAFT_PREFIX}{assessment}"


def new_instance() -> str:
    """An id for a fresh filling of the questionnaire (see ``Draft.instance``)."""
    return uuid.uuid4().hex[:16]


class Draft(BaseModel):
    answers: dict[str, str] = Field(default_factory=dict)
    page: int = 1
    channel: str | None = None
    updated: float = 0.0
    # For an edit: the version the answers started from, to notice when someone publishes a newer one.
    base: int | None = None
    # Which filling of the questionnaire this is: a new id whenever a draft starts afresh, so a second
    # submit of a draft that was already posted (another tab, a double click) is recognised as such, and so
    # finishing, discarding or restoring one filling never touches another's draft.
    instance: str | None = None


class Version(BaseModel):
    number: int
    answers: dict[str, str]
    approach: str
    by: str
    at: float
    # A team round's consensus: how many people's answers it combines (0: one person's answers).
    team_answers: int = 0


class Decision(BaseModel):
    approach: str
    rationale: str
    by: str
    at: float
    # Weeks until the review the person chose (None: no review asked for).
    review_weeks: int | None = None


class PendingReview(BaseModel):
    """A review Slack holds for us (chat.scheduleMessage): deleted when the decision it reviews changes."""

    id: str  # Slack's scheduled_message_id
    channel: str
    post_at: int
    decision: int  # which decision it reviews: its number in the history, from 1
    by: str  # who is mentioned in it: the person who decided


# What a review found, as the review message's buttons name it.
OUTCOMES = ("met", "partly", "missed", "changed")


class Outcome(BaseModel):
    """How a decision turned out, recorded from its review (or corrected later: a new entry)."""

    result: str  # one of OUTCOMES
    changed_to: str | None = None  # the approach adopted instead, for "changed"
    measured: str
    score: float | None = None  # the eval's score, when the team has one
    learned: str = ""
    by: str
    at: float
    decision: int  # the decision it is the outcome of: its number in the history, from 1


class DecisionFacts(BaseModel):
    """What the workspace's outcome figures need of one decided assessment, and nothing of anyone: kept
    per team beside the records, so App Home counts them without reading whole assessments."""

    recommended: str
    confidence: str
    decision: str
    outcome: str | None = None


class StoredAssessment(BaseModel):
    id: str
    team: str
    channel: str
    ts: str | None = None
    user: str
    created: float
    answers: dict[str, str]
    result: Assessment
    versions: list[Version] = Field(default_factory=list)
    # Every decision recorded, oldest first: who, when, what and why. The current one is the last.
    decisions: list[Decision] = Field(default_factory=list)
    # Bumped by every write; a write is refused when the revision it read is no longer the stored one.
    revision: int = 0
    # The review Slack will post for the decision in force, until it is posted or replaced.
    review: PendingReview | None = None
    # Every outcome recorded, oldest first; the current decision's latest one is ``outcome``.
    outcomes: list[Outcome] = Field(default_factory=list)

    @model_validator(mode="before")
    @classmethod
    def _one_decision_before_history(cls, data: Any) -> Any:
        """Records stored by the previous release hold one ``decision`` and no history."""
        if isinstance(data, dict) and "decision" in data:
            data = dict(data)
            single = data.pop("decision")
            if "decisions" not in data:
                data["decisions"] = [single] if single is not None else []
        return data

    @computed_field  # type: ignore[prop-decorator]
    @property
    def decision(self) -> Decision | None:
        """The decision in force (also stored, so that a process of the previous release still reads it)."""
        return self.decisions[-1] if self.decisions else None

    @property
    def outcome(self) -> Outcome | None:
        """The latest outcome recorded for the decision in force."""
        current = len(self.decisions)
        return next((o for o in reversed(self.outcomes) if o.decision == current), None)

    @property
    def facts(self) -> DecisionFacts | None:
        """The decision's facts for the workspace's figures; None while undecided."""
        if self.decision is None:
            return None
        outcome = self.outcome
        return DecisionFacts(
            recommended=self.result.approach.value,
            confidence=self.result.confidence.level,
            decision=self.decision.approach,
            outcome=outcome.result if outcome else None,
        )

    @property
    def version(self) -> int:
        return len(self.versions) or 1

    def answers_of(self, number: int) -> dict[str, str] | None:
        """The answers of version ``number``, if it is kept."""
        return next((v.answers for v in self.versions if v.number == number), None)

    @property
    def participants(self) -> set[str]:
        """Everyone named in the record: who started it, edited it or recorded a decision (votes are kept
        beside it)."""
        named = {
            self.user,
            *(v.by for v in self.versions),
            *(d.by for d in self.decisions),
            *(o.by for o in self.outcomes),
        }
        return named - {FORGOTTEN}

    @property
    def ballot(self) -> int:
        """The version the current vote began with.

        People vote on a recommendation: a new version that keeps it keeps the votes, one that changes it
        starts a fresh vote.
        """
        if not self.versions:
            return 1
        current = self.versions[-1].approach
        start = self.versions[-1].number
        for version in reversed(self.versions):
            if version.approach != current:
                break
            start = version.number
        return start

    def counted_votes(self, stored: Mapping[str, str]) -> dict[str, str]:
        """Person → "agree" or "disagree", for the votes that count in the current ballot."""
        counted = {}
        for user, raw in stored.items():
            choice, version = read_vote(raw)
            if version >= self.ballot:
                counted[user] = choice
        return counted


# A vote is stored as "<choice>@<version the voter saw>". Votes from before versions were recorded have no
# "@" and count for version 1.
def vote_value(choice: str, version: int) -> str:
    return f"{choice}@{version}"


def read_vote(raw: str) -> tuple[str, int]:
    choice, _, version = raw.partition("@")
    return choice, int(version) if version.isdigit() else 1


class RoundAnswer(BaseModel):
    """One person's answers in a team round."""

    answers: dict[str, str]
    at: float
    # True for the answers of the posted result, entered for its author when the round opened.
    from_result: bool = False


class TeamRound(BaseModel):
    """Teammates answering the same questions on their own (README, "Ask the team").

    One round per assessment at a time; ``number`` tells a round from the ones before it, so that a button
    of a closed round never adds to the next one. ``revision`` grows with every change, so the process that
    updates the thread message knows whether it showed the latest.
    """

    assessment: str
    number: int
    starter: str
    named: bool
    channel: str
    ts: str | None = None
    opened: float
    closed_by: str | None = None
    closed_at: float | None = None
    # The result's version the closing published, once it is published.
    version: int | None = None
    revision: int = 0
    answers: dict[str, RoundAnswer] = Field(default_factory=dict)

    @property
    def is_open(self) -> bool:
        return self.closed_by is None

    @property
    def people(self) -> list[str]:
        """Who has answered, in the order they answered."""
        return sorted(self.answers, key=lambda user: self.answers[user].at)
