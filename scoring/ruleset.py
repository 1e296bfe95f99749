"""The rules as validated data: the packaged defaults (rules.toml) and a team's policy overrides.

A rule set has three layers (see the head of rules.toml): gates that rule approaches out, evidence rules in
named groups whose totals are limited, and the settings and caps that turn robustness into a confidence
level. Everything that lives in data can be changed by a policy file, and every entry is checked before it
is used: an unknown question, option, source, group or approach fails with one line naming the entry.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from functools import cache
from importlib.resources import files
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from scoring.models import APPROACHES, Approach
from scoring.questionnaire import QUESTIONS_BY_ID, SCORED_IDS
from scoring.sources import SOURCES

Conditions = dict[str, tuple[str, ...]]
# In a condition's option list, matches a question left blank (a blank matches nothing else).
UNANSWERED = "unanswered"


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
            if option_id not in allowed and option_id != UNANSWERED:
                raise ValueError(
                    f"{question_id}: unknown option {option_id!r}; allowed: {', '.join(allowed)} "
                    f"(or {UNANSWERED})"
                )
    return when


def _answered_only(when: Conditions) -> Conditions:
    """A rule's reason quotes the answers its ``when`` matched, so a rule cannot fire on a blank."""
    for question_id, option_ids in when.items():
        if UNANSWERED in option_ids:
            raise ValueError(
                f"{question_id}: a rule's `when` cannot match {UNANSWERED}; use a gate or a note"
            )
    return when


def _check_exceptions(unless: tuple[Conditions, ...]) -> tuple[Conditions, ...]:
    for conditions in unless:
        if not conditions:
            raise ValueError("an exception must name at least one answer")
        _check_conditions(conditions)
    return unless


def _check_sources(sources: tuple[str, ...]) -> tuple[str, ...]:
    if not sources:
        raise ValueError("cite at least one source key")
    for key in sources:
        if key not in SOURCES:
            raise ValueError(f"unknown source key {key!r}; known: {', '.join(SOURCES)}")
    return sources


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Group(_Strict):
    """A named group of correlated evidence; its total per approach is kept in [-max_against, max_for]."""

    id: str = Field(min_length=1)
    title: str = Field(min_length=1)
    max_for: float = Field(ge=0)
    max_against: float = Field(ge=0)
    text: str = Field(min_length=1)


class Rule(_Strict):
    id: str = Field(min_length=1)
    group: str = Field(min_length=1)
    when: Conditions = Field(min_length=1)
    unless: tuple[Conditions, ...] = ()
    effects: dict[Approach, float]
    text: str = Field(min_length=1)
    sources: tuple[str, ...]

    _when = field_validator("when")(_check_conditions)
    _answered = field_validator("when")(_answered_only)
    _unless = field_validator("unless")(_check_exceptions)
    _sources = field_validator("sources")(_check_sources)

    @property
    def question(self) -> str:
        """The answer this rule is mainly about (the first it reads)."""
        return next(iter(self.when))

    def effect(self, approach: Approach) -> float:
        return self.effects.get(approach, 0.0)


class Gate(_Strict):
    """Feasibility: when it fires, the approaches in ``blocks`` cannot be recommended."""

    id: str = Field(min_length=1)
    when: Conditions = Field(min_length=1)
    unless: tuple[Conditions, ...] = ()
    blocks: tuple[Approach, ...] = Field(min_length=1)
    text: str = Field(min_length=1)
    sources: tuple[str, ...]

    _when = field_validator("when")(_check_conditions)
    _unless = field_validator("unless")(_check_exceptions)
    _sources = field_validator("sources")(_check_sources)


class Cap(_Strict):
    """A confidence ceiling: when it fires and the recommendation is one of ``approaches``, the
    confidence is at most ``level``.

    A cap whose reason is that some answers are still to be found out (a baseline not yet measured) lists
    what they could turn out to be in ``settled_by`` (each entry: questions and the options to try together):
    when none of those would change the recommendation, the level stays capped but the reason given is
    ``settled_text``, since "it can change the plan" would be false."""

    id: str = Field(min_length=1)
    when: Conditions = Field(min_length=1)
    unless: tuple[Conditions, ...] = ()
    approaches: tuple[Approach, ...] = Field(min_length=1)
    level: Literal["low", "medium"]
    text: str = Field(min_length=1)
    settled_by: tuple[Conditions, ...] = ()
    settled_text: str = ""
    sources: tuple[str, ...]

    _when = field_validator("when")(_check_conditions)
    _unless = field_validator("unless")(_check_exceptions)
    _settled_by = field_validator("settled_by")(_check_exceptions)
    _sources = field_validator("sources")(_check_sources)

    @model_validator(mode="after")
    def _settled(self) -> Cap:
        if bool(self.settled_by) != bool(self.settled_text):
            raise ValueError("give `settled_by` and `settled_text` together")
        return self


class Conflict(_Strict):
    """Answers that cannot all be right: reported, and they lower confidence."""

    id: str = Field(min_length=1)
    when: Conditions = Field(min_length=2)
    text: str = Field(min_length=1)

    _when = field_validator("when")(_check_conditions)


class Guidance(_Strict):
    """A caveat or next step, shown when the recommendation is one of `approaches` (any, if empty)."""

    id: str = Field(min_length=1)
    approaches: tuple[Approach, ...] = ()
    when: Conditions = Field(default_factory=dict)
    unless: tuple[Conditions, ...] = ()
    text: str = Field(min_length=1)
    sources: tuple[str, ...]

    _when = field_validator("when")(_check_conditions)
    _unless = field_validator("unless")(_check_exceptions)
    _sources = field_validator("sources")(_check_sources)


class PathStage(_Strict):
    """One way a step of the path can go (rules.toml, [[stage]]).

    The path has up to three steps, in this order: ``start`` (prompting), ``retrieval`` and ``tuning``. For
    each step, the first stage whose ``destinations`` include the recommendation and whose conditions hold
    fills it. ``now`` is its text when it comes first; ``then`` when it follows another stage (a ``start``
    stage always comes first, so it has none).
    """

    id: str = Field(min_length=1)
    step: Literal["start", "retrieval", "tuning"]
    destinations: tuple[Approach, ...] = Field(min_length=1)
    when: Conditions = Field(default_factory=dict)
    unless: tuple[Conditions, ...] = ()
    now: str = Field(min_length=1)
    then: str = ""
    sources: tuple[str, ...]

    _when = field_validator("when")(_check_conditions)
    _unless = field_validator("unless")(_check_exceptions)
    _sources = field_validator("sources")(_check_sources)

    @model_validator(mode="after")
    def _texts(self) -> PathStage:
        if self.step == "start" and self.then:
            raise ValueError("a start stage always comes first, so it has no `then` text")
        if self.step != "start" and not self.then:
            raise ValueError(f"a {self.step} stage can follow another: give its `then` text")
        allowed = {
            "start": set(APPROACHES),
            "retrieval": {Approach.RAG, Approach.HYBRID},
            "tuning": {Approach.FINE_TUNING, Approach.HYBRID},
        }[self.step]
        for destination in self.destinations:
            if destination not in allowed:
                raise ValueError(f"a {self.step} stage cannot lead to {destination.value}")
        return self


# How a person unsure of an answer might have answered instead: "adjacent" (one option either side),
# "any" (every other option), "unchecked" (every other option, while the answer is its first), or an explicit
# table of option → the options it is plausibly confused with.
Plausible = Literal["adjacent", "any", "unchecked"] | dict[str, tuple[str, ...]]


class ConfidenceSettings(_Strict):
    """How robustness becomes a level; see rules.toml, [confidence]."""

    high: float = Field(gt=0, description="Lead in points needed for high")
    medium: float = Field(ge=0, description="Lead in points below which confidence is low")
    group_lead: float = Field(default=1.0, ge=0)
    high_min_agreeing: int = Field(default=3, ge=0)
    high_max_disagreeing: int = Field(default=1, ge=0)
    changes_for_low: int = Field(default=2, ge=1)
    conflicts_for_low: int = Field(default=2, ge=1)
    missing_for_low: int = Field(default=3, ge=0)
    plausible: dict[str, Plausible] = Field(default_factory=dict)
    # Where an answer cannot plausibly be a slip: a prompt that meets its target has no failed cases whose
    # kind could have been misread.
    plausible_unless: dict[str, tuple[Conditions, ...]] = Field(default_factory=dict)

    @field_validator("plausible_unless")
    @classmethod
    def _exceptions(cls, value: dict[str, tuple[Conditions, ...]]) -> dict[str, tuple[Conditions, ...]]:
        for conditions in value.values():
            _check_exceptions(conditions)
        return value

    @field_validator("plausible", "plausible_unless")
    @classmethod
    def _questions(cls, value: dict[str, Any]) -> dict[str, Any]:
        for question_id, kind in value.items():
            if question_id not in SCORED_IDS:
                raise ValueError(
                    f"unknown question {question_id!r}; scored questions: {', '.join(SCORED_IDS)}"
                )
            if isinstance(kind, dict):
                allowed = QUESTIONS_BY_ID[question_id].option_ids
                for option, alternatives in kind.items():
                    for option_id in (option, *alternatives):
                        if option_id not in allowed:
                            raise ValueError(
                                f"{question_id}: unknown option {option_id!r}; allowed: {', '.join(allowed)}"
                            )
        return value

    @model_validator(mode="after")
    def _ordered(self) -> ConfidenceSettings:
        if self.medium > self.high:
            raise ValueError("medium must not exceed high")
        return self


def _unique_ids(entries: tuple[Any, ...], kind: str) -> None:
    seen: set[str] = set()
    for entry in entries:
        if entry.id in seen:
            raise ValueError(f"two {kind} entries have the id {entry.id!r}")
        seen.add(entry.id)


class RuleSet(_Strict):
    tie_break: tuple[Approach, ...]
    confidence: ConfidenceSettings
    groups: tuple[Group, ...] = Field(alias="group", min_length=1)
    rules: tuple[Rule, ...] = Field(alias="rule")
    gates: tuple[Gate, ...] = Field(default=(), alias="gate")
    caps: tuple[Cap, ...] = Field(default=(), alias="cap")
    conflicts: tuple[Conflict, ...] = Field(default=(), alias="conflict")
    caveats: tuple[Guidance, ...] = Field(default=(), alias="caveat")
    next_steps: tuple[Guidance, ...] = Field(default=(), alias="next_step")
    stages: tuple[PathStage, ...] = Field(default=(), alias="stage")

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)

    @field_validator("tie_break")
    @classmethod
    def _permutation(cls, value: tuple[Approach, ...]) -> tuple[Approach, ...]:
        if sorted(value) != sorted(APPROACHES):
            raise ValueError("must list each of " + ", ".join(APPROACHES) + " exactly once")
        return value

    @model_validator(mode="after")
    def _ids(self) -> RuleSet:
        for entries, kind in (
            (self.groups, "group"),
            (self.rules, "rule"),
            (self.gates, "gate"),
            (self.caps, "cap"),
            (self.conflicts, "conflict"),
            (self.caveats, "caveat"),
            (self.next_steps, "next_step"),
            (self.stages, "stage"),
        ):
            _unique_ids(entries, kind)
        known = {group.id for group in self.groups}
        for rule in self.rules:
            if rule.group not in known:
                raise ValueError(
                    f"rule {rule.id!r}: unknown group {rule.group!r}; known: {', '.join(sorted(known))}"
                )
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
    group: str | None = None
    when: Conditions | None = None
    unless: tuple[Conditions, ...] | None = None
    effects: dict[Approach, float] | None = None
    text: str | None = None
    sources: tuple[str, ...] | None = None


class GroupOverride(_Strict):
    title: str | None = None
    max_for: float | None = None
    max_against: float | None = None
    text: str | None = None


class GateOverride(_Strict):
    enabled: bool = True
    when: Conditions | None = None
    unless: tuple[Conditions, ...] | None = None
    blocks: tuple[Approach, ...] | None = None
    text: str | None = None
    sources: tuple[str, ...] | None = None


class CapOverride(_Strict):
    enabled: bool = True
    when: Conditions | None = None
    unless: tuple[Conditions, ...] | None = None
    approaches: tuple[Approach, ...] | None = None
    level: Literal["low", "medium"] | None = None
    text: str | None = None
    sources: tuple[str, ...] | None = None


class Policy(_Strict):
    """A team's changes to the defaults. Rule effects are merged per approach, ``confidence`` (and its
    ``plausible`` table) per key; every other field given replaces the default's."""

    tie_break: tuple[Approach, ...] | None = None
    confidence: dict[str, Any] | None = None
    rules: dict[str, RuleOverride] = Field(default_factory=dict)
    groups: dict[str, GroupOverride] = Field(default_factory=dict)
    gates: dict[str, GateOverride] = Field(default_factory=dict)
    caps: dict[str, CapOverride] = Field(default_factory=dict)
    add_rule: tuple[dict[str, Any], ...] = ()
    add_group: tuple[dict[str, Any], ...] = ()
    add_gate: tuple[dict[str, Any], ...] = ()
    add_cap: tuple[dict[str, Any], ...] = ()
    add_conflict: tuple[dict[str, Any], ...] = ()
    add_caveat: tuple[dict[str, Any], ...] = ()
    add_next_step: tuple[dict[str, Any], ...] = ()
    add_stage: tuple[dict[str, Any], ...] = ()
    disable_conflicts: tuple[str, ...] = ()
    disable_caveats: tuple[str, ...] = ()
    disable_next_steps: tuple[str, ...] = ()
    disable_stages: tuple[str, ...] = ()


def _check_known(origin: str, kind: str, ids: Any, entries: tuple[Any, ...], what: str) -> None:
    known = {entry.id for entry in entries}
    for entry_id in ids:
        if entry_id not in known:
            raise RuleSetError(
                f"{origin}: {kind}.{entry_id}: no such {what}; known: {', '.join(sorted(known))}"
            )


def _overridden(
    defaults: list[dict[str, Any]], overrides: Mapping[str, BaseModel], merge: tuple[str, ...] = ()
) -> list[dict[str, Any]]:
    """Defaults with overrides applied: disabled entries dropped, given fields replaced (or, for the
    fields in ``merge``, merged key by key)."""
    result: list[dict[str, Any]] = []
    for default in defaults:
        override = overrides.get(default["id"])
        if override is None:
            result.append(default)
            continue
        if not getattr(override, "enabled", True):
            continue
        given = override.model_dump(mode="json", exclude_none=True, exclude={"enabled"})
        entry = {**default}
        for key, value in given.items():
            entry[key] = {**default.get(key, {}), **value} if key in merge else value
        result.append(entry)
    return result


def apply_policy(base: RuleSet, policy_data: Mapping[str, Any], origin: str = "policy") -> RuleSet:
    """The rule set with a policy applied, validated as a whole. Pure: no files are read."""
    try:
        policy = Policy.model_validate(policy_data)
    except ValidationError as error:
        raise _describe(error, policy_data, origin) from None
    _check_known(origin, "rules", policy.rules, base.rules, "rule")
    _check_known(origin, "groups", policy.groups, base.groups, "group")
    _check_known(origin, "gates", policy.gates, base.gates, "gate")
    _check_known(origin, "caps", policy.caps, base.caps, "cap")
    for kind, ids, entries in (
        ("disable_conflicts", policy.disable_conflicts, base.conflicts),
        ("disable_caveats", policy.disable_caveats, base.caveats),
        ("disable_next_steps", policy.disable_next_steps, base.next_steps),
        ("disable_stages", policy.disable_stages, base.stages),
    ):
        known = {entry.id for entry in entries}
        for entry_id in ids:
            if entry_id not in known:
                raise RuleSetError(
                    f"{origin}: {kind}: no such entry {entry_id!r}; known: {', '.join(sorted(known))}"
                )

    merged = base.to_toml_dict()
    merged["rule"] = _overridden(merged["rule"], policy.rules, merge=("effects",)) + list(policy.add_rule)
    merged["group"] = _overridden(merged["group"], policy.groups) + list(policy.add_group)
    merged["gate"] = _overridden(merged["gate"], policy.gates) + list(policy.add_gate)
    merged["cap"] = _overridden(merged["cap"], policy.caps) + list(policy.add_cap)
    merged["conflict"] = [c for c in merged["conflict"] if c["id"] not in policy.disable_conflicts]
    merged["conflict"] += list(policy.add_conflict)
    merged["caveat"] = [c for c in merged["caveat"] if c["id"] not in policy.disable_caveats]
    merged["caveat"] += list(policy.add_caveat)
    merged["next_step"] = [n for n in merged["next_step"] if n["id"] not in policy.disable_next_steps]
    merged["next_step"] += list(policy.add_next_step)
    merged["stage"] = [n for n in merged.get("stage", []) if n["id"] not in policy.disable_stages]
    merged["stage"] += list(policy.add_stage)
    if policy.tie_break is not None:
        merged["tie_break"] = list(policy.tie_break)
    if policy.confidence is not None:
        confidence = {**merged["confidence"], **policy.confidence}
        plausible = policy.confidence.get("plausible")
        if isinstance(plausible, Mapping):
            confidence["plausible"] = {**merged["confidence"].get("plausible", {}), **plausible}
        merged["confidence"] = confidence
    return parse_ruleset(merged, origin)


def read_policy_file(path: str) -> dict[str, Any]:
    """A policy file's tables, unchecked; RuleSetError when it cannot be read or is not TOML."""
    try:
        with open(path, "rb") as handle:
            return tomllib.load(handle)
    except OSError as error:
        raise RuleSetError(f"{path}: cannot read policy file: {error.strerror}") from None
    except tomllib.TOMLDecodeError as error:
        raise RuleSetError(f"{path}: not valid TOML: {error}") from None


def load_policy(path: str) -> RuleSet:
    """Read a policy file and apply it to the defaults; RuleSetError names the bad entry."""
    return apply_policy(default_ruleset(), read_policy_file(path), path)
