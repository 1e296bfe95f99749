"""Every Redis key the bot writes, named in one place. All keys start with NAMESPACE.

A team's keys carry the team id in a hash tag (``llm-approach:{T123}:…``), so on a Redis Cluster they all
live in one hash slot: a transaction, a rename or a multi-key read over one team's keys is allowed there.
An installation's two keys share the tag of their workspace the same way. Keys that are only ever touched
one at a time (event de-duplication, OAuth states) need no tag.

An Enterprise Grid organisation that installs the app org-wide has one installation (its scope names the
organisation, not a workspace), but its workspaces' data stays per team, under each workspace's own tag: an
organisation is never one slot. The one key of the organisation's own lists the workspaces that have data,
so that uninstalling from the organisation can remove them.

Earlier versions named a team's keys ``llm-approach:T123:…`` and installations
``llm-approach:installation:bot:E:T``; ``bot.storage.migration`` moves them to these names.
"""

from __future__ import annotations

from typing import Final

NAMESPACE: Final = "llm-approach"
INSTALLATION: Final = "installation"
ENTERPRISE: Final = "enterprise"


def _key(*parts: str) -> str:
    return ":".join((NAMESPACE, *parts))


def team_tag(team: str) -> str:
    """The hash tag that keeps one team's keys in one cluster slot."""
    return f"{{{team}}}"


def _team_key(team: str, *parts: str) -> str:
    return _key(team_tag(team), *parts)


def team_pattern(team: str) -> str:
    """Every key of one team (a SCAN MATCH pattern; braces are not special in Redis glob patterns)."""
    return _team_key(team, "*")


def every_assessment_pattern() -> str:
    """Every team's assessment keys (a SCAN MATCH pattern)."""
    return _key("*", "assessment", "*")


def team_assessment_pattern(team: str) -> str:
    """One team's assessment keys (a SCAN MATCH pattern)."""
    return _team_key(team, "assessment", "*")


def team_and_id(key: str) -> tuple[str, str]:
    """The team and the id a team's key names: ``llm-approach:{T123}:assessment:abc`` → ("T123", "abc")."""
    _, tagged, _, rest = key.split(":", 3)
    return tagged.removeprefix("{").removesuffix("}"), rest


def draft_key(team: str, user: str, draft_id: str) -> str:
    return _team_key(team, "draft", user, draft_id)


def submitted_key(team: str, user: str, draft_id: str, instance: str = "") -> str:
    """Where a finished draft waits while its result is posted, so a new command starts afresh.

    One per filling of the form (its instance), so two results being posted at once, and the draft started
    meanwhile, each keep their own answers. Without an instance: the key of a form from an earlier release.
    """
    if instance:
        return _team_key(team, "submitted", user, draft_id, instance)
    return _team_key(team, "submitted", user, draft_id)


def assessment_key(team: str, assessment_id: str) -> str:
    return _team_key(team, "assessment", assessment_id)


def message_key(team: str, channel: str, ts: str) -> str:
    return _team_key(team, "message", channel, ts)


def votes_key(team: str, assessment_id: str) -> str:
    return _team_key(team, "votes", assessment_id)


def round_key(team: str, assessment_id: str) -> str:
    """An assessment's team round, the open one or the last closed (a hash: the round, and each answer)."""
    return _team_key(team, "round", assessment_id)


def round_painter_key(team: str, assessment_id: str) -> str:
    """Held by the process updating a round's thread message, so updates never overtake each other."""
    return _team_key(team, "round-painter", assessment_id)


def user_recent_key(team: str, user: str) -> str:
    """The assessments a person started (a sorted set, newest last)."""
    return _team_key(team, "recent", user)


def user_involved_key(team: str, user: str) -> str:
    """The assessments a person took part in: voted on, edited, decided, or saw decided (a sorted set)."""
    return _team_key(team, "involved", user)


def user_drafts_key(team: str, user: str) -> str:
    """The ids of a person's drafts (a set), so forgetting them needs no scan."""
    return _team_key(team, "drafts", user)


def user_posted_key(team: str, user: str) -> str:
    """Where each of a person's recently posted drafts went (a hash: draft instance -> "channel ts")."""
    return _team_key(team, "posted", user)


def team_decided_key(team: str) -> str:
    """The team's decided assessments (a hash: id -> DecisionFacts), for the workspace's outcome figures."""
    return _team_key(team, "decided")


def legacy_team_decisions_key(team: str) -> str:
    """The previous release's index of a team's decisions (no TTL); unused now, removed by ``reindex``."""
    return _team_key(team, "decisions")


def event_key(event_id: str) -> str:
    return _key("event", event_id)


def installation_scope(
    enterprise_id: str | None, team_id: str | None, is_enterprise_install: bool | None
) -> str:
    return f"{enterprise_id or '-'}:{'-' if is_enterprise_install else team_id or '-'}"


def bot_key(
    enterprise_id: str | None, team_id: str | None, is_enterprise_install: bool | None = False
) -> str:
    scope = installation_scope(enterprise_id, team_id, is_enterprise_install)
    return _key(INSTALLATION, f"{{{scope}}}", "bot")


def installer_key(
    enterprise_id: str | None, team_id: str | None, is_enterprise_install: bool | None = False
) -> str:
    scope = installation_scope(enterprise_id, team_id, is_enterprise_install)
    return _key(INSTALLATION, f"{{{scope}}}", "installer")


def enterprise_teams_key(enterprise_id: str) -> str:
    """The workspaces of an org-wide installation that have data here (a set of team ids)."""
    return _key(ENTERPRISE, f"{{{enterprise_id}}}", "teams")


def installations_pattern() -> str:
    return _key(INSTALLATION, "*")


def oauth_state_key(state: str) -> str:
    return _key("oauth-state", state)


def layout_key() -> str:
    """Says which key layout this Redis holds (``bot.storage.migration``)."""
    return _key("layout")
