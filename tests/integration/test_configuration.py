"""Settings from the environment, the manifest against Slack's schema, and the process entry points."""

from __future__ import annotations

import asyncio
import json
import os
import re
import time
from pathlib import Path

import aiohttp
import jsonschema
import pytest
import yaml

from bot.devkit.local_redis import free_port
from bot.devkit.simulator import SlackSimulator
from bot.devkit.standin import SlackStandIn
from bot.settings import BOT_SCOPES, SettingsError, load_settings
from tests.conftest import REPO, SIGNING_SECRET, app_env
from tests.integration.helpers import SUPPORT_BOT, cli_approach, complete, run_bot, start_bot

# Slack's published schema (slackapi/manifest-schema, MIT, licence beside it), vendored to run anywhere.
SCHEMA = REPO / "tests" / "data" / "manifest.schema.1.0.0.json"
SHARED_SCHEMA = REPO.parent / "shared" / "slack" / "manifest.schema.1.0.0.json"


def test_manifest_is_valid_against_slacks_published_schema() -> None:
    manifest = yaml.safe_load((REPO / "manifest.yml").read_text())
    if SHARED_SCHEMA.exists():
        assert SHARED_SCHEMA.read_text() == SCHEMA.read_text(), "the vendored schema is out of date"
    schema = json.loads(SCHEMA.read_text())
    errors = [e.message for e in jsonschema.Draft7Validator(schema).iter_errors(manifest)]
    assert errors == []
    assert [c["command"] for c in manifest["features"]["slash_commands"]] == ["/llm-approach"]
    assert manifest["settings"]["interactivity"]["is_enabled"] is True


def test_manifest_asks_for_exactly_the_scopes_and_events_the_code_uses() -> None:
    manifest = yaml.safe_load((REPO / "manifest.yml").read_text())
    assert sorted(manifest["oauth_config"]["scopes"]["bot"]) == sorted(BOT_SCOPES)
    # The README says which scopes the bot asks for, and why: the same ones.
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    paragraph = readme.split("The bot asks for", 1)[1].split("It subscribes", 1)[0]
    named = re.findall(r"`([a-z_.]+(?::[a-z_.]+)?)` \(", paragraph)
    assert sorted(named) == sorted(BOT_SCOPES)
    # The events the listeners handle (bot/listeners/events.py and lifecycle.py), and no others.
    events = sorted(manifest["settings"]["event_subscriptions"]["bot_events"])
    assert events == [
        "app_home_opened",
        "app_mention",
        "app_uninstalled",
        "team_access_revoked",
        "tokens_revoked",
    ]
    assert manifest["settings"]["org_deploy_enabled"] is True  # org-wide installs are supported


def test_settings_name_every_bad_value() -> None:
    with pytest.raises(SettingsError) as raised:
        load_settings(
            {
                "SLACK_BOT_TOKEN": "xoxp-user",
                "SLACK_APP_TOKEN": "nope",
                "PORT": "http",
                "REDIS_URL": "http://x",
                "SLACK_API_URL": "slack",
                "LLM_APPROACH_RETENTION_DAYS": "0",
            }
        )
    text = "\n".join(raised.value.problems)
    for name in (
        "SLACK_BOT_TOKEN",
        "SLACK_APP_TOKEN",
        "PORT",
        "REDIS_URL",
        "SLACK_API_URL",
        "LLM_APPROACH_RETENTION_DAYS",
    ):
        assert name in text
    assert "xoxp-user" not in text  # never echo a token


def test_settings_defaults_and_modes() -> None:
    settings = load_settings(
        {"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "s", "SLACK_API_URL": "http://h/api"}
    )
    assert settings.redis.url == "redis://127.0.0.1:6379/0" and settings.redis.topology == "single"
    assert settings.slack_api_url == "http://h/api/"
    assert settings.preferred_mode().value == "http"  # type: ignore[union-attr]
    assert (
        load_settings({"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_APP_TOKEN": "xapp-1"}).preferred_mode().value
        == "socket"
    )  # type: ignore[union-attr]
    assert load_settings({}).preferred_mode() is None


def test_procfile_names_the_web_and_worker_processes() -> None:
    lines = dict(line.split(":", 1) for line in (REPO / "Procfile").read_text().splitlines() if line.strip())
    assert lines["web"].strip() == "python -m bot web"
    assert lines["worker"].strip() == "python -m bot socket"


async def test_the_web_process_from_outside(
    redis_env: dict[str, str], standin: SlackStandIn, redis: object
) -> None:
    """The Procfile's web: line with only the contract's environment: the modal opens, one post follows."""
    env = {**os.environ, **app_env(redis_env, standin)}
    process = await start_bot("web", env, stderr=asyncio.subprocess.PIPE)
    url = f"http://127.0.0.1:{env['PORT']}"
    try:
        async with aiohttp.ClientSession() as session:
            deadline = time.monotonic() + 30
            while True:
                try:
                    async with session.get(url + "/healthz") as health:
                        if health.status == 200:
                            break
                except aiohttp.ClientConnectionError:
                    pass  # not listening yet
                assert process.returncode is None, "the web process exited"
                assert time.monotonic() < deadline, "the web process did not start"
                await asyncio.sleep(0.1)
            async with SlackSimulator(url, SIGNING_SECRET, standin, session=session) as slack:
                # How fast it opens is measured by bench/http.py ("modal open"), not asserted here.
                modal = await slack.open_modal("UANA", "CPROJ")
                await complete(modal, SUPPORT_BOT)
                posts = await standin.wait_for("chat.postMessage", 2)
                parents = [c for c in posts if not c.args.get("thread_ts")]
                assert len(parents) == 1 and parents[0].args["channel"] == "CPROJ"
                expected = {"rag": "RAG"}[cli_approach(SUPPORT_BOT)]
                assert parents[0].args["blocks"][0]["text"]["text"] == f"Recommended: {expected}"
    finally:
        process.terminate()
        _, stderr = await asyncio.wait_for(process.communicate(), 10)
    logs = stderr.decode()
    assert "xoxb-test-token" not in logs and SIGNING_SECRET not in logs
    assert "Support assistant" not in logs  # people's answers never reach the logs
    assert '"event": "http.request"' in logs


@pytest.mark.private_servers  # the demo runs on one local Redis (a private one when none answers)
def test_run_without_tokens_explains_and_runs_the_demo(redis_url: str) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SLACK_")}
    env["REDIS_URL"] = redis_url
    result = run_bot(env=env)
    assert result.returncode == 0, result.stderr
    assert "No Slack credentials" in result.stdout
    assert "README.md" in result.stdout
    assert "Step 4 of 4" in result.stdout
    assert "RECOMMENDED: RAG" in result.stdout
    assert "The detail behind" in result.stdout


def test_bad_settings_stop_the_process_with_a_clear_message(tmp_path: Path) -> None:
    env = {**os.environ, "SLACK_BOT_TOKEN": "xoxp-wrong", "PORT": "none"}
    result = run_bot("web", env=env)
    assert result.returncode == 2
    assert "SLACK_BOT_TOKEN" in result.stderr and "PORT" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_bad_policy_stops_the_web_process_naming_the_entry(
    tmp_path: Path, redis_env: dict[str, str]
) -> None:
    policy = tmp_path / "policy.toml"
    policy.write_text('[rules."no.such"]\nenabled = false\n')
    env = {
        **os.environ,
        **redis_env,
        "SLACK_BOT_TOKEN": "xoxb-1",
        "SLACK_SIGNING_SECRET": "s",
        "LLM_APPROACH_POLICY": str(policy),
    }
    result = run_bot("web", env=env)
    assert result.returncode == 2
    assert "no.such" in result.stderr
    assert "Traceback" not in result.stderr


async def test_the_worker_process_serves_socket_mode(
    redis_env: dict[str, str], standin: SlackStandIn, redis: object
) -> None:
    """The Procfile's worker: line: connects over Socket Mode, acks a slash command and opens the modal."""
    env = {
        **os.environ,
        **app_env(redis_env, standin),
        "SLACK_APP_TOKEN": "xapp-1-A0-1-secret",
        "HEALTH_PORT": str(free_port()),  # not the default 8080, which anything else may hold
    }
    del env["SLACK_SIGNING_SECRET"]
    process = await start_bot("socket", env)
    try:
        command = {
            "token": "t",
            "team_id": "T0STANDIN",
            "channel_id": "CPROJ",
            "user_id": "UANA",
            "command": "/llm-approach",
            "text": "Socket project",
            "trigger_id": "socket.trigger",
            "response_url": standin.response_url("socket"),
        }
        envelope = await standin.push_envelope("slash_commands", command)
        await standin.wait_until(
            lambda: envelope in standin.socket_acks, within=30, what="the envelope's ack"
        )
        view = await standin.view_opened_by("socket.trigger", within=10)
        assert view["title"]["text"] == "Step 1 of 4"
        assert "Socket project" in json.dumps(view)
    finally:
        process.terminate()
        await asyncio.wait_for(process.wait(), 10)
