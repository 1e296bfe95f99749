"""Helpers every listener uses: who and where a request came from."""

from __future__ import annotations

from typing import Any


def team_of(body: dict[str, Any]) -> str:
    team = body.get("team")
    if isinstance(team, dict) and team.get("id"):
        return str(team["id"])
    user = body.get("user")
    if isinstance(user, dict) and user.get("team_id"):
        return str(user["team_id"])
    return str(body.get("team_id") or "")


def user_of(body: dict[str, Any]) -> str:
    user = body.get("user")
    if isinstance(user, dict):
        return str(user.get("id") or "")
    return str(body.get("user_id") or "")
