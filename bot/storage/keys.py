"""Every Redis key the bot writes, named in one place. All keys start with NAMESPACE."""

from __future__ import annotations

from typing import Final

NAMESPACE: Final = "llm-approach"


def _key(*parts: str) -> str:
    return ":".join((NAMESPACE, *parts))


def draft_key(team: str, user: str, draft_id: str) -> str:
    return _key(team, "draft", user, draft_id)


def submitted_key(team: str, user: str, draft_id: str) -> str:
    """Where a finished draft waits while its result is posted, so a new command starts afresh."""
    return _key(team, "submitted", user, draft_id)


def assessment_key(team: str, assessment_id: str) -> str:
    return _key(team, "assessment", assessment_id)


def message_key(team: str, channel: str, ts: str) -> str:
    return _key(team, "message", channel, ts)


def votes_key(team: str, assessment_id: str) -> str:
    return _key(team, "votes", assessment_id)


def user_recent_key(team: str, user: str) -> str:
    """The assessments a person started (a sorted set, newest last)."""
    return _key(team, "recent", user)


def user_involved_key(team: str, user: str) -> str:
    """The assessments a person took part in: voted on, edited, decided, or saw decided (a sorted set)."""
    return _key(team, "involved", user)


def user_drafts_key(team: str, user: str) -> str:
    """The ids of a person's drafts (a set), so forgetting them needs no scan."""
    return _key(team, "drafts", user)


def user_posted_key(team: str, user: str) -> str:
    """Where each of a person's recently posted drafts went (a hash: draft instance -> "channel ts")."""
    return _key(team, "posted", user)


def legacy_team_decisions_key(team: str) -> str:
    """The previous release's index of a team's decisions (no TTL); unused now, removed by ``reindex``."""
    return _key(team, "decisions")


def event_key(event_id: str) -> str:
    return _key("event", event_id)


def _installation_scope(
    enterprise_id: str | None, team_id: str | None, is_enterprise_install: bool | None
) -> str:
    return f"{enterprise_id or '-'}:{'-' if is_enterprise_install else team_id or '-'}"


def bot_key(
    enterprise_id: str | None, team_id: str | None, is_enterprise_install: bool | None = False
) -> str:
    return _key("installation", "bot", _installation_scope(enterprise_id, team_id, is_enterprise_install))


def installer_key(
    enterprise_id: str | None, team_id: str | None, is_enterprise_install: bool | None = False
) -> str:
    return _key(
        "installation", "installer", _installation_scope(enterprise_id, team_id, is_enterprise_install)
    )


def installations_pattern() -> str:
    return _key("installation", "*")


def oauth_state_key(state: str) -> str:
    return _key("oauth-state", state)
