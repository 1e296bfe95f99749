"""What each modal carries in its ``private_metadata``: typed, validated, ids only.

Slack returns private_metadata untouched, but anyone can post a forged payload with a valid signature from a
compromised workspace token: every field is checked on the way in, and a view whose metadata does not parse
is treated as out of date.
"""

from __future__ import annotations

from typing import Self

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from bot.storage.models import NEW_DRAFT, ROUND_DRAFT_PREFIX
from scoring.questionnaire import PAGES

_ID = r"^[A-Za-z0-9_-]+$"

_CHANNEL = r"^[A-Z0-9]*$"


class _Metadata(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)

    def dump(self) -> str:
        return self.model_dump_json(by_alias=True, exclude_defaults=True)

    @classmethod
    def load(cls, text: str | None) -> Self | None:
        """The metadata, or None when it is missing or malformed (an old or forged view)."""
        try:
            return cls.model_validate_json(text or "{}")
        except ValidationError:
            return None


class QuestionnaireMetadata(_Metadata):
    """The questionnaire between submits: which draft, which channel to post to, which page.

    ``ask_channel`` is set when the questionnaire started outside a channel (App Home, a DM): the last page
    then asks where to post, with ``channel`` (the last channel used, if any) as the default.
    """

    draft: str = Field(alias="d", min_length=1, max_length=64, pattern=_ID)
    channel: str = Field(alias="c", max_length=32, pattern=_CHANNEL)
    page: int = Field(alias="p", ge=PAGES[0], le=PAGES[-1])
    ask_channel: bool = Field(default=False, alias="a")
    # The draft's instance (see bot.storage.models.Draft); absent in forms opened by an earlier release.
    instance: str | None = Field(default=None, alias="i", min_length=1, max_length=32, pattern=_ID)
    # A teammate's own answers for team round number ``round`` of an assessment (the draft is then
    # ``round_draft`` of the assessment).
    round: int | None = Field(default=None, alias="r", ge=1, le=1_000_000)

    def on_page(self, page: int) -> QuestionnaireMetadata:
        return self.model_copy(update={"page": page})

    @property
    def round_assessment(self) -> str | None:
        """The assessment whose team round these answers are for; None for a new assessment or an edit."""
        if self.round is None or not self.draft.startswith(ROUND_DRAFT_PREFIX):
            return None
        return self.draft.removeprefix(ROUND_DRAFT_PREFIX)

    @property
    def editing(self) -> bool:
        """Editing a posted assessment's answers (the draft is named after the assessment)."""
        return self.draft != NEW_DRAFT and self.round is None


class DecisionMetadata(_Metadata):
    """The decision form: which assessment it records a decision for."""

    assessment: str = Field(alias="a", min_length=1, max_length=64, pattern=_ID)
    # How many decisions were recorded when the form opened: one recorded since makes the form out of date.
    seen: int = Field(default=0, alias="n", ge=0, le=10_000)


class RoundStartMetadata(_Metadata):
    """The Ask the team form: which assessment the round is for."""

    assessment: str = Field(alias="a", min_length=1, max_length=64, pattern=_ID)


class OutcomeMetadata(_Metadata):
    """The outcome form: which assessment, and which decision of its history it records the outcome of."""

    assessment: str = Field(alias="a", min_length=1, max_length=64, pattern=_ID)
    decision: int = Field(alias="d", ge=1, le=10_000)
