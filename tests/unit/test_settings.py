"""Settings: secrets stay secret, .env is read for development, and every variable is documented."""

from __future__ import annotations

import io
import json
import logging
import re
from pathlib import Path

import pytest

from bot.server import logs, runtime
from bot.settings import SettingsError, load_settings, variable_names
from bot.storage.connection import acl_rules

REPO = Path(__file__).resolve().parents[2]
SECRETS = {
    "SLACK_BOT_TOKEN": "xoxb-secret-bot-token",
    "SLACK_SIGNING_SECRET": "secret-signing",
    "SLACK_APP_TOKEN": "xapp-secret-app-token",
    "SLACK_CLIENT_SECRET": "secret-client",
    "LLM_APPROACH_ENCRYPTION_KEYS": "bXlzZWNyZXRrZXlteXNlY3JldGtleW15c2VjcmV0a2U=",
    "REDIS_SENTINEL_PASSWORD": "secret-sentinel-password",
}


def test_no_secret_shows_in_the_settings_repr() -> None:
    settings = load_settings(
        {**SECRETS, "SLACK_CLIENT_ID": "1.2", "REDIS_URL": "rediss://bot:secret-redis-password@h:6380/0"}
    )
    shown = repr(settings) + str(settings) + repr(settings.redis)
    for value in [*SECRETS.values(), "secret-redis-password"]:
        assert value not in shown
    # The one place each is handed to a library still has it.
    assert (
        settings.bot_token is not None and settings.bot_token.get_secret_value() == SECRETS["SLACK_BOT_TOKEN"]
    )
    assert settings.redis.url == "rediss://bot:secret-redis-password@h:6380/0"


def test_no_redis_password_in_the_start_up_log_line() -> None:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logs.JsonFormatter())
    logging.getLogger().addHandler(handler)
    try:
        nowhere = "redis://bot:secret-redis-password@127.0.0.1:1/0"
        assert runtime.check_redis(load_settings({"REDIS_URL": nowhere}).redis) is False
    finally:
        logging.getLogger().removeHandler(handler)
    line = json.loads(stream.getvalue().splitlines()[-1])
    assert line["event"] == "startup.redis_unreachable"
    assert "secret-redis-password" not in stream.getvalue() and "***" in line["redis"]


def test_dotenv_is_read_and_the_environment_wins(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in variable_names():
        monkeypatch.delenv(name, raising=False)
    (tmp_path / ".env").write_text(
        "SLACK_BOT_TOKEN=xoxb-from-dotenv\nPORT=4001\nREDIS_CLUSTER=yes\nUNRELATED=ignored\n"
    )
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PORT", "4002")
    settings = load_settings()
    assert settings.bot_token is not None and settings.bot_token.get_secret_value() == "xoxb-from-dotenv"
    assert settings.port == 4002
    assert settings.redis.cluster
    # A mapping given explicitly is read alone: no .env, no environment.
    assert load_settings({}).bot_token is None and load_settings({}).port == 3000


def test_redis_topologies_are_read_and_checked() -> None:
    sentinel = load_settings(
        {"REDIS_SENTINELS": "10.0.0.1:26379, sentinel-b:26380", "REDIS_SENTINEL_MASTER": "main"}
    ).redis
    assert sentinel.topology == "sentinel"
    assert sentinel.sentinels == (("10.0.0.1", 26379), ("sentinel-b", 26380))
    for true in ("1", "TRUE", "yes", "On"):
        assert load_settings({"REDIS_CLUSTER": true}).redis.topology == "cluster"
    for false in ("0", "false", "NO", "off", ""):
        assert load_settings({"REDIS_CLUSTER": false}).redis.topology == "single"
    with pytest.raises(SettingsError) as raised:
        load_settings(
            {
                "REDIS_CLUSTER": "1",
                "REDIS_URL": "redis://h:1/3",
                "REDIS_SENTINELS": "nohostport",
                "LOG_LEVEL": "chatty",
                "SLACK_CLIENT_ID": "1.2",
                "SLACK_CLIENT_SECRET": "secret-client",
            }
        )
    problems = raised.value.problems
    assert len(problems) == len(set(problems)) == 6, problems  # every problem, once, one line each
    text = "\n".join(problems)
    for expected in (
        "REDIS_SENTINELS must be host:port",
        "LOG_LEVEL must be one of",
        "REDIS_SENTINELS and REDIS_SENTINEL_MASTER go together",
        "REDIS_CLUSTER and REDIS_SENTINELS exclude each other",
        "database 0 with REDIS_CLUSTER",
        "LLM_APPROACH_ENCRYPTION_KEYS is needed with SLACK_CLIENT_ID",
    ):
        assert expected in text
    assert "secret-client" not in text
    with pytest.raises(SettingsError) as raised:
        load_settings({"REDIS_CLUSTER": "maybe", "SLACK_SIGNING_SECRET": " "})
    assert raised.value.problems == [
        "REDIS_CLUSTER must be a true or false value such as 1 or 0 (got 'maybe')"
    ]


def _readme_variables() -> set[str]:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    table = text.split("| Variable | Needed for | Meaning |", 1)[1].split("\n\n", 1)[0]
    return {name for row in table.splitlines()[2:] for name in re.findall(r"`([A-Z_]+)`", row.split("|")[1])}


def _example_variables() -> set[str]:
    lines = (REPO / ".env.example").read_text(encoding="utf-8").splitlines()
    return {line.split("=", 1)[0] for line in lines if re.match(r"^[A-Z_]+=", line)}


def test_env_example_readme_and_settings_name_the_same_variables() -> None:
    model = set(variable_names())
    assert _example_variables() == model
    assert _readme_variables() == model
    # Every value in .env.example is a valid setting: copying it to .env runs the demo.
    example = dict(
        line.split("=", 1)
        for line in (REPO / ".env.example").read_text(encoding="utf-8").splitlines()
        if re.match(r"^[A-Z_]+=", line)
    )
    assert load_settings(example).preferred_mode() is None


def test_the_readme_lists_the_acl_the_bot_needs() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert f"ACL SETUSER llm-approach on >PASSWORD {' '.join(acl_rules())}\n" in readme
    assert "`+cluster|slots`" in readme
