"""The rules as validated data: the packaged defaults (rules.toml) and a team's policy overrides."""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from functools import cache
from importlib.resources import files
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from scoring.models import APPROACHES, Approach
from scoring.questionnaire import QUESTIONS_BY_ID, SCORED_IDS
from scoring.sources import SOURCES


class RuleSetError(ValueError):
    """A rules or policy file that cannot be used; the message names the bad entry."""


def _check_conditions(when: Mapping[str, tuple[str, ...]]) -> Mapping[str, tuple[str, ...]]:
    for question_id, option_ids in when.items():
        if question_id not in SCORED_IDS:
            raise ValueError(f"unknown question {question_id!r}; scored questions: {', '.join(SCORED_IDS)}")
        allowed = QUESTIONS_BY_ID[question_id].option_ids
        if not option_ids:
            raise ValueError(f"{question_id}: list at least one option")
        for option_id in option_ids:
            if option_id not in allowed:
                raise ValueError(
                    f"{question_id}: unknown option {option_id!r}; allowed: {', '.join(allowed)}"
                )
    return when


def _check_sources(sources: tuple[str, ...]) -> tuple[str, ...]:
    if not sources:
        raise ValueError("cite at least one source key")
    for key in sources:
        if key not in SOURCES:
            raise ValueError(f"unknown source key {key!r}; known: {', '.join(SOURCES)}")
    return sources


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Rule(_Strict):
    id: str = Field(min_length=1)
    when: dict[str, tuple[str, ...]] = Field(min_length=1)
    effects: dict[Approach, float]
    text: str = Field(min_length=1)
    sources: tuple[str, ...]

    _when = field_validator("when")(_check_conditions)
    _sources = field_validator("sources")(_check_sources)

    @property
    def question(self) -> str:
        """The answer this rule is mainly about (the first it reads)."""
        return next(iter(self.when))

    def effect(self, approach: Approach) -> float:
        return self.effects.get(approach, 0.0)


class Guidance(_Strict):
    """A caveat or next step, shown when the recommendation is one of `approaches` (any, if empty)."""

    id: str = Field(min_length=1)
    approaches: tuple[Approach, ...] = ()
    when: dict[str, tuple[str, ...]] = Field(default_factory=dict)
    text: str = Field(min_length=1)
    sources: tuple[str, ...]

    _when = field_validator("when")(_check_conditions)
    _sources = field_validator("sources")(_check_sources)


class ConfidenceThresholds(_Strict):
    high: float = Field(gt=0)
    medium: float = Field(gt=0)

    @model_validator(mode="after")
    def _ordered(self) -> ConfidenceThresholds:
        if self.medium > self.high:
            raise ValueError("medium must not exceed high")
        return self


def _unique_ids(entries: tuple[Rule, ...] | tuple[Guidance, ...], kind: str) -> None:
    seen: set[str] = set()
    for entry in entries:
        if entry.id in seen:
            raise ValueError(f"two {kind} entries have the id {entry.id!r}")
        seen.add(entry.id)


class RuleSet(_Strict):
    tie_break: tuple[Approach, ...]
    confidence: ConfidenceThresholds
    rules: tuple[Rule, ...] = Field(alias="rule")
    caveats: tuple[Guidance, ...] = Field(default=(), alias="caveat")
    next_steps: tuple[Guidance, ...] = Field(default=(), alias="next_step")

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)

    @field_validator("tie_break")
    @classmethod
    def _permutation(cls, value: tuple[Approach, ...]) -> tuple[Approach, ...]:
        if sorted(value) != sorted(APPROACHES):
            raise ValueError("must list each of " + ", ".join(APPROACHES) + " exactly once")
        return value

    @model_validator(mode="after")
    def _ids(self) -> RuleSet:
        _unique_ids(self.rules, "rule")
        _unique_ids(self.caveats, "caveat")
        _unique_ids(self.next_steps, "next_step")
        return self

    def to_toml_dict(self) -> dict[str, Any]:
        return self.model_dump(mode="json", by_alias=True)


def _describe(error: ValidationError, data: Mapping[str, Any], origin: str) -> RuleSetError:
    """Turn pydantic's error into one line naming the entry (by id where it has one)."""
    first = error.errors()[0]
    parts: list[str] = []
    node: Any = data
    for part in first["loc"]:
        if isinstance(part, int) and isinstance(node, list | tuple) and part < len(node):
            node = node[part]
            entry_id = node.get("id") if isinstance(node, dict) else None
            parts.append(f"[{part}]" + (f" (id {entry_id!r})" if entry_id else ""))
            continue
        parts.append(("." if parts else "") + str(part))
        node = node.get(part) if isinstance(node, dict) else None
    where = "".join(parts) or "top level"
    message = first["msg"].removeprefix("Value error, ")
    return RuleSetError(f"{origin}: {where}: {message}")


def parse_ruleset(data: Mapping[str, Any], origin: str = "rules") -> RuleSet:
    try:
        return RuleSet.model_validate(data)
    except ValidationError as error:
        raise _describe(error, data, origin) from None


@cache
def default_ruleset() -> RuleSet:
    text = files("scoring").joinpath("rules.toml").read_text(encoding="utf-8")
    return parse_ruleset(tomllib.loads(text), "scoring/rules.toml")


# --- Policy --------------------------------------------------------------------------------------------


class RuleOverride(_Strict):
    enabled: bool = True
    when: dict[str, tuple[str, ...]] | None = None
    effects: dict[Approach, float] | None = None
    text: str | None = None
    sources: tuple[str, ...] | None = None


class Policy(_Strict):
    """A team's changes to the defaults. Effects are merged per approach; everything else replaces."""

    tie_break: tuple[Approach, ...] | None = None
    confidence: dict[str, float] | None = None
    rules: dict[str, RuleOverride] = Field(default_factory=dict)
    add_rule: tuple[dict[str, Any], ...] = ()
    add_caveat: tuple[dict[str, Any], ...] = ()
    add_next_step: tuple[dict[str, Any], ...] = ()
    disable_caveats: tuple[str, ...] = ()
    disable_next_steps: tuple[str, ...] = ()


def apply_policy(base: RuleSet, policy_data: Mapping[str, Any], origin: str = "policy") -> RuleSet:
    """The rule set with a policy applied, validated as a whole. Pure: no files are read."""
    try:
        policy = Policy.model_validate(policy_data)
    except ValidationError as error:
        raise _describe(error, policy_data, origin) from None
    known_rules = {rule.id for rule in base.rules}
    for rule_id in policy.rules:
        if rule_id not in known_rules:
            raise RuleSetError(
                f"{origin}: rules.{rule_id}: no such rule; known: {', '.join(sorted(known_rules))}"
            )
    for kind, ids, entries in (
        ("disable_caveats", policy.disable_caveats, base.caveats),
        ("disable_next_steps", policy.disable_next_steps, base.next_steps),
    ):
        known = {entry.id for entry in entries}
        for entry_id in ids:
            if entry_id not in known:
                raise RuleSetError(
                    f"{origin}: {kind}: no such entry {entry_id!r}; known: {', '.join(sorted(known))}"
                )

    merged = base.to_toml_dict()
    rules: list[dict[str, Any]] = []
    for default in merged["rule"]:
        override = policy.rules.get(default["id"])
        if override is None:
            rules.append(default)
        elif override.enabled:
            replaced = override.model_dump(mode="json", exclude_none=True, exclude={"enabled", "effects"})
            effects = (
                {**default["effects"], **override.model_dump(mode="json")["effects"]}
                if override.effects
                else {}
            )
            rules.append({**default, **replaced, "effects": effects or default["effects"]})
    merged["rule"] = rules + list(policy.add_rule)
    merged["caveat"] = [c for c in merged["caveat"] if c["id"] not in policy.disable_caveats]
    merged["caveat"] += list(policy.add_caveat)
    merged["next_step"] = [n for n in merged["next_step"] if n["id"] not in policy.disable_next_steps]
    merged["next_step"] += list(policy.add_next_step)
    if policy.tie_break is not None:
        merged["tie_break"] = list(policy.tie_break)
    if policy.confidence is not None:
        merged["confidence"] = {**merged["confidence"], **policy.confidence}
    return parse_ruleset(merged, origin)


def load_policy(path: str) -> RuleSet:
    """Read a policy file and apply it to the defaults; RuleSetError names the bad entry."""
    try:
        with open(path, "rb") as handle:
            data = tomllib.load(handle)
    except OSError as error:
        raise RuleSetError(f"{path}: cannot read policy file: {error.strerror}") from None
    except tomllib.TOMLDecodeError as error:
        raise RuleSetError(f"{path}: not valid TOML: {error}") from None
    return apply_policy(default_ruleset(), data, path)
