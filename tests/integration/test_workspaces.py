"""Installing in several workspaces (OAuth), per-team tokens encrypted at rest, uninstall and key rotation."""

from __future__ import annotations

import asyncio
import os
import re
import sys
import time
import urllib.parse
from collections.abc import AsyncIterator

import aiohttp
import pytest
from cryptography.fernet import Fernet
from redis import Redis

from bot.devkit.simulator import SlackSimulator, new_trigger_id
from bot.devkit.standin import SlackStandIn
from bot.settings import BOT_SCOPES
from bot.storage.keys import bot_key, draft_key, team_pattern
from bot.storage.models import NEW_DRAFT
from tests.conftest import REPO, SIGNING_SECRET, RunningApp, free_port, serve, shutdown
from tests.integration.helpers import run_bot

OLD_KEY = Fernet.generate_key().decode()


def oauth_env(redis_env: dict[str, str], standin: SlackStandIn, keys: str = OLD_KEY) -> dict[str, str]:
    return {
        "SLACK_CLIENT_ID": "111.222",
        "SLACK_CLIENT_SECRET": "client-secret",
        "LLM_APPROACH_ENCRYPTION_KEYS": keys,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        **redis_env,
        "SLACK_API_URL": standin.api_url,
        "PORT": str(free_port()),
    }


@pytest.fixture
async def oauth_app(
    redis: Redis, redis_env: dict[str, str], standin: SlackStandIn
) -> AsyncIterator[RunningApp]:
    running = await serve(oauth_env(redis_env, standin))
    yield running
    await shutdown(running)


async def install(app: RunningApp, team: str) -> int:
    """Go through Bolt's install page and OAuth redirect as a browser would, state cookie included.

    The cookie is Secure (production runs on https), so it is carried by hand over the test's plain http.
    """
    async with aiohttp.ClientSession() as browser:
        state, cookie = await start_install(browser, app)
        url = f"{app.url}/slack/oauth_redirect?code=code-{team}&state={state}"
        async with browser.get(url, headers={"Cookie": cookie}) as done:
            return done.status


async def start_install(browser: aiohttp.ClientSession, app: RunningApp) -> tuple[str, str]:
    async with browser.get(app.url + "/slack/install") as page:
        assert page.status == 200
        html = await page.text()
        cookie = page.headers["Set-Cookie"].split(";")[0]
    state = re.search(r"state=([\w-]+)", html)
    assert state, html
    scope = re.search(r"scope=([^&\"]+)", html)
    assert scope and urllib.parse.unquote(scope.group(1)) == ",".join(BOT_SCOPES)
    return state.group(1), cookie


async def test_two_workspaces_install_and_each_is_served_with_its_own_token(
    oauth_app: RunningApp, standin: SlackStandIn, redis: Redis
) -> None:
    assert await install(oauth_app, "TALPHA") == 200
    assert await install(oauth_app, "TBETA") == 200
    stored = {key: redis.get(key) for key in redis.scan_iter("llm-approach:installation:*")}
    assert len(stored) == 4  # a bot and an installer record per workspace
    assert all("xoxb-" not in (value or "") for value in stored.values())  # encrypted at rest

    for team in ("TALPHA", "TBETA"):
        async with SlackSimulator(oauth_app.url, SIGNING_SECRET, standin, team_id=team) as slack:
            trigger = new_trigger_id()
            assert (await slack.slash_command("UANA", "C1", trigger_id=trigger)).status == 200
            await standin.view_opened_by(trigger)
            opened = next(c for c in standin.calls_to("views.open") if c.args["trigger_id"] == trigger)
            assert opened.token == f"xoxb-{team}-token"


async def test_a_replayed_oauth_state_is_refused(oauth_app: RunningApp, standin: SlackStandIn) -> None:
    async with aiohttp.ClientSession() as browser:
        state, cookie = await start_install(browser, oauth_app)
        url = f"{oauth_app.url}/slack/oauth_redirect?code=code-TALPHA&state={state}"
        async with browser.get(url, headers={"Cookie": cookie}) as first:
            assert first.status == 200
        async with browser.get(url, headers={"Cookie": cookie}) as again:
            assert again.status in {400, 401}
        async with browser.get(url.replace(state, "forged")) as forged:
            assert forged.status in {400, 401}


async def test_anonymous_install_page_requests_write_nothing(
    oauth_app: RunningApp, standin: SlackStandIn, redis: Redis
) -> None:
    """The install page is public: loading it any number of times must not grow Redis."""
    before = redis.dbsize()
    async with aiohttp.ClientSession() as browser:
        for _ in range(50):
            async with browser.get(oauth_app.url + "/slack/install") as page:
                assert page.status == 200
    assert redis.dbsize() == before
    assert await install(oauth_app, "TALPHA") == 200  # and installing still works


async def test_a_tampered_or_expired_oauth_state_is_refused(
    oauth_app: RunningApp, standin: SlackStandIn, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with aiohttp.ClientSession() as browser:
        state, cookie = await start_install(browser, oauth_app)
        nonce, expires, signature = state.split("_")
        for forged in (
            f"{nonce}_{int(expires) + 3600}_{signature}",  # a later expiry, same signature
            f"{'0' * len(nonce)}_{expires}_{signature}",  # another nonce
            f"{nonce}_{expires}_{'0' * len(signature)}",
            "garbage",
        ):
            url = f"{oauth_app.url}/slack/oauth_redirect?code=code-TALPHA&state={forged}"
            async with browser.get(url, headers={"Cookie": cookie.replace(state, forged)}) as refused:
                assert refused.status in {400, 401}, forged
        monkeypatch.setattr(time, "time", lambda: int(expires) + 1)
        url = f"{oauth_app.url}/slack/oauth_redirect?code=code-TALPHA&state={state}"
        async with browser.get(url, headers={"Cookie": cookie}) as expired:
            assert expired.status in {400, 401}
    assert not standin.calls_to("oauth.v2.access")


async def test_a_workspace_that_never_installed_is_not_served(
    oauth_app: RunningApp, standin: SlackStandIn
) -> None:
    async with SlackSimulator(oauth_app.url, SIGNING_SECRET, standin, team_id="TNOBODY") as slack:
        reply = await slack.slash_command("UANA", "C1")
    assert reply.status < 500
    assert not standin.calls_to("views.open")


@pytest.mark.parametrize("event_type", ["app_uninstalled", "tokens_revoked"])
async def test_uninstall_or_revocation_removes_the_workspace_and_all_its_data(
    oauth_app: RunningApp, standin: SlackStandIn, redis: Redis, event_type: str
) -> None:
    await install(oauth_app, "TALPHA")
    await install(oauth_app, "TBETA")
    for team in ("TALPHA", "TBETA"):
        async with SlackSimulator(oauth_app.url, SIGNING_SECRET, standin, team_id=team) as slack:
            modal = await slack.open_modal("UANA", "C1")
            modal.fill({"project_name": f"{team} project"})
            await modal.close()
    assert redis.exists(draft_key("TALPHA", "UANA", NEW_DRAFT))

    async with SlackSimulator(oauth_app.url, SIGNING_SECRET, standin, team_id="TALPHA") as slack:
        event = {"type": event_type}
        if event_type == "tokens_revoked":
            event["tokens"] = {"bot": ["UBOT"]}
        reply = await slack.event(event)
        assert reply.status == 200

    async def gone() -> bool:
        return not any(True for _ in redis.scan_iter(team_pattern("TALPHA")))

    for _ in range(50):
        if await gone() and not redis.exists(bot_key(None, "TALPHA")):
            break
        await asyncio.sleep(0.05)
    assert not redis.exists(bot_key(None, "TALPHA"))
    assert not list(redis.scan_iter(team_pattern("TALPHA")))
    assert redis.exists(bot_key(None, "TBETA"))
    assert redis.exists(draft_key("TBETA", "UANA", NEW_DRAFT))


async def test_revoking_a_persons_token_keeps_the_workspace(
    oauth_app: RunningApp, standin: SlackStandIn, redis: Redis
) -> None:
    """A user's OAuth token revoked (or an event naming no bot token) is not an uninstall."""
    await install(oauth_app, "TALPHA")
    async with SlackSimulator(oauth_app.url, SIGNING_SECRET, standin, team_id="TALPHA") as slack:
        modal = await slack.open_modal("UANA", "C1")
        modal.fill({"project_name": "Kept"})
        await modal.close()
        for tokens in ({"oauth": ["UANA"]}, {"oauth": ["UANA"], "bot": []}, {}):
            reply = await slack.event({"type": "tokens_revoked", "tokens": tokens})
            assert reply.status == 200
        await asyncio.sleep(0.3)
        assert redis.exists("llm-approach:installation:{-:TALPHA}:bot")
        assert redis.exists("llm-approach:{TALPHA}:draft:UANA:new")
        trigger = new_trigger_id()
        assert (await slack.slash_command("UANA", "C1", trigger_id=trigger)).status == 200
        await standin.view_opened_by(trigger)  # still installed and served


async def test_key_rotation_re_encrypts_every_installation(
    oauth_app: RunningApp, standin: SlackStandIn, redis: Redis, redis_env: dict[str, str]
) -> None:
    await install(oauth_app, "TALPHA")
    before = redis.get(bot_key(None, "TALPHA"))
    new_key = Fernet.generate_key().decode()
    env = {**os.environ, **oauth_env(redis_env, standin, keys=f"{new_key},{OLD_KEY}")}
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "rotate-keys",
        env=env,
        cwd=REPO,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    stdout, stderr = await asyncio.wait_for(process.communicate(), 60)
    assert process.returncode == 0, stderr.decode()
    assert "Re-encrypted 2 installation record(s)" in stdout.decode()
    after = redis.get(bot_key(None, "TALPHA"))
    assert after and after != before
    assert b"xoxb-TALPHA-token" in Fernet(new_key.encode()).decrypt(after.encode())

    # With only the new key, the app still serves the workspace.
    app = await serve(oauth_env(redis_env, standin, keys=new_key))
    try:
        async with SlackSimulator(app.url, SIGNING_SECRET, standin, team_id="TALPHA") as slack:
            modal = await slack.open_modal("UANA", "C1")
            assert modal.title == "Step 1 of 4"
    finally:
        await shutdown(app)


def test_bad_encryption_keys_are_refused_at_start() -> None:
    env = {
        **os.environ,
        "SLACK_CLIENT_ID": "1.2",
        "SLACK_CLIENT_SECRET": "s",
        "SLACK_SIGNING_SECRET": "s",
        "LLM_APPROACH_ENCRYPTION_KEYS": "not-a-key",
    }
    result = run_bot("web", env=env)
    assert result.returncode == 2
    assert "LLM_APPROACH_ENCRYPTION_KEYS" in result.stderr and "Traceback" not in result.stderr


async def test_rotating_tokens_are_refreshed_and_saved_back(
    oauth_app: RunningApp, standin: SlackStandIn, redis: Redis
) -> None:
    assert await install(oauth_app, "TROT") == 200
    async with SlackSimulator(oauth_app.url, SIGNING_SECRET, standin, team_id="TROT") as slack:
        modal = await slack.open_modal("UANA", "C1")
    assert modal.title == "Step 1 of 4"
    refreshes = [
        c for c in standin.calls_to("oauth.v2.access") if c.args.get("grant_type") == "refresh_token"
    ]
    assert len(refreshes) == 1 and refreshes[0].args["refresh_token"] == "xoxe-1-TROT-1"
    assert standin.calls_to("views.open")[-1].token == "xoxe.xoxb-TROT-token-2"
    sealed = redis.get(bot_key(None, "TROT"))
    assert sealed and b"xoxe.xoxb-TROT-token-2" in Fernet(OLD_KEY.encode()).decrypt(sealed.encode())
