"""Key names: whatever a multi-key operation touches lives in one cluster slot."""

from __future__ import annotations

from redis.crc import key_slot

from bot.storage import keys


def test_every_key_of_a_team_is_in_the_teams_slot() -> None:
    team_keys = [
        keys.draft_key("T123", "U1", "new"),
        keys.submitted_key("T123", "U2", "d1"),
        keys.assessment_key("T123", "a1"),
        keys.message_key("T123", "C1", "1700000000.000100"),
        keys.votes_key("T123", "a1"),
        keys.user_recent_key("T123", "U1"),
        keys.user_involved_key("T123", "U1"),
        keys.user_drafts_key("T123", "U1"),
        keys.user_posted_key("T123", "U1"),
        keys.legacy_team_decisions_key("T123"),
    ]
    assert {key_slot(key.encode()) for key in team_keys} == {key_slot(b"{T123}")}
    assert all(key.startswith("llm-approach:{T123}:") for key in team_keys)
    assert key_slot(keys.draft_key("T999", "U1", "new").encode()) != key_slot(b"{T123}")  # teams spread out


def test_an_installations_two_keys_share_a_slot() -> None:
    for scope in [("E1", "T1", False), (None, "T1", False), ("E1", None, True)]:
        bot, installer = keys.bot_key(*scope), keys.installer_key(*scope)
        assert key_slot(bot.encode()) == key_slot(installer.encode())
        assert bot.startswith("llm-approach:installation:")
    assert keys.bot_key(None, "T1") == "llm-approach:installation:{-:T1}:bot"
