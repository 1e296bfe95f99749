"""The records the bot keeps: pydantic models only, no Redis, so pure builders can import them."""

from __future__ import annotations

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
