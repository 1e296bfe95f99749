"""The records the bot keeps: pydantic models only, no Redis, so pure builders can import them."""

from __future__ import annotations

from collections.abc import Mapping

from pydantic import BaseModel, Field

from scoring import Assessment


class Draft(BaseModel):
    answers: dict[str, str] = Field(default_factory=dict)
    page: int = 1
    channel: str | None = None
    updated: float = 0.0


class Version(BaseModel):
    number: int
    answers: dict[str, str]
    approach: str
    by: str
    at: float


class Decision(BaseModel):
    approach: str
    rationale: str
    by: str
    at: float


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
    decision: Decision | None = None

    @property
    def version(self) -> int:
        return len(self.versions) or 1

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
