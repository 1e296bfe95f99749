"""The follow-up a team's policy file sets: whether decisions get a review, and how far out it may be.

The policy file (``LLM_APPROACH_POLICY``) is the scoring rules' file; its ``[reviews]`` table is the bot's
and is taken out before the rest goes to the engine:

    [reviews]
    enabled = false          # no review is asked for or scheduled (default true)
    weeks = [2, 4, 8]        # the choices the decision form offers (default 2, 4, 8)
    default = 4              # the one chosen unless the person changes it (default 4)

Slack holds a scheduled message at most 120 days ahead; a choice further out is refused when the policy
loads, with a message that says so.
"""

from __future__ import annotations

from typing import Any, Self

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from scoring.ruleset import RuleSetError, read_policy_file

# chat.scheduleMessage: "You will only be able to schedule a message up to 120 days into the future."
SLACK_SCHEDULE_LIMIT_DAYS = 120
POLICY_TABLE = "reviews"


class ReviewPolicy(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    enabled: bool = True
    weeks: tuple[int, ...] = Field(default=(2, 4, 8), min_length=1, max_length=6)
    default: int = 4

    @model_validator(mode="after")
    def _within_slack(self) -> Self:
        for weeks in self.weeks:
            if weeks < 1:
                raise ValueError(f"weeks: {weeks} is not a number of weeks ahead (1 or more)")
            if weeks * 7 > SLACK_SCHEDULE_LIMIT_DAYS:
                raise ValueError(
                    f"weeks: {weeks} weeks is further out than Slack schedules messages "
                    f"({SLACK_SCHEDULE_LIMIT_DAYS} days, so at most {SLACK_SCHEDULE_LIMIT_DAYS // 7} weeks)"
                )
        if self.default not in self.weeks:
            raise ValueError(f"default: {self.default} is not one of weeks {list(self.weeks)}")
        return self


def read_policy(path: str) -> tuple[dict[str, Any], ReviewPolicy]:
    """The policy file's scoring part (for ``scoring.ruleset.apply_policy``) and its review policy;
    RuleSetError names what is wrong."""
    data = read_policy_file(path)
    return data, review_policy(data.pop(POLICY_TABLE, {}), path)


def review_policy(table: Any, origin: str = "policy") -> ReviewPolicy:
    try:
        return ReviewPolicy.model_validate(table)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        message = str(first["msg"]).removeprefix("Value error, ")
        raise RuleSetError(f"{origin}: [{POLICY_TABLE}] {where + ': ' if where else ''}{message}") from None
