"""Enterprise Grid: an organisation installs the app once for all its workspaces (org-wide), or a workspace
of it installs the app alone. Driven through the real OAuth endpoints and signed requests that carry the
organisation's id and ``is_enterprise_install`` where Slack puts them; the stand-in answers oauth.v2.access
with an org-wide grant (no team) for codes naming an organisation."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable

import pytest
from redis import Redis

from bot.devkit.simulator import SlackSimulator, new_trigger_id
from bot.devkit.standin import SlackStandIn
from bot.storage.keys import bot_key, draft_key, enterprise_teams_key, installer_key, team_pattern
from bot.storage.migration import current_name
from bot.storage.models import NEW_DRAFT
from tests.conftest import SIGNING_SECRET, RunningApp, serve, shutdown
from tests.integration.test_workspaces import install, oauth_env

ORG = "EORG1"
WORKSPACES = ("TWS1", "TWS2")


@pytest.fixture
async def oauth_app(
    redis: Redis, redis_env: dict[str, str], standin: SlackStandIn
) -> AsyncIterator[RunningApp]:
    running = await serve(oauth_env(redis_env, standin))
    yield running
    await shutdown(running)


def in_org(app: RunningApp, standin: SlackStandIn, team: str, org: str = ORG) -> SlackSimulator:
    """A person in workspace ``team`` of an organisation that installed the app org-wide."""
    return SlackSimulator(
        app.url, SIGNING_SECRET, standin, team_id=team, enterprise_id=org, enterprise_install=True
    )


async def leave_a_draft(slack: SlackSimulator, project: str) -> str:
    """Open the questionnaire, type a project name and close it (an interaction payload): the token used."""
    modal = await slack.open_modal("UANA", "C1")
    modal.fill({"project_name": project})
    await modal.close()
    return slack.standin.calls_to("views.open")[-1].token or ""


async def eventually(condition: Callable[[], bool]) -> None:
    for _ in range(100):
        if condition():
            return
        await asyncio.sleep(0.05)
    assert condition()


async def test_an_org_wide_install_serves_every_workspace_of_the_org_with_its_data_per_team(
    oauth_app: RunningApp, standin: SlackStandIn, redis: Redis
) -> None:
    assert await install(oauth_app, ORG) == 200
    # One installation for the organisation, under no workspace.
    assert sorted(redis.scan_iter("llm-approach:installation:*")) == sorted(
        [bot_key(ORG, None, True), installer_key(ORG, None, True)]
    )
    for team in WORKSPACES:
        async with in_org(oauth_app, standin, team) as slack:
            assert await leave_a_draft(slack, f"{team} project") == f"xoxb-{ORG}-token"
            # An event about the workspace (its Home tab) is served with the organisation's token too.
            assert (
                await slack.event({"type": "app_home_opened", "user": "UANA", "tab": "home"})
            ).status == 200
            await standin.wait_for("views.publish", count=WORKSPACES.index(team) + 1)
            assert standin.calls_to("views.publish")[-1].token == f"xoxb-{ORG}-token"
        assert redis.exists(draft_key(team, "UANA", NEW_DRAFT))

    # Each workspace's data keeps its own hash tag; the organisation's only key of its own lists them.
    # (OAuth states and event de-duplication are one-key records with no tag.)
    heads = {key.split(":")[1] for key in redis.scan_iter("llm-approach:*")}
    tags = heads - {"installation", "oauth-state", "event"}
    assert tags == {"{TWS1}", "{TWS2}", "enterprise"}
    assert redis.smembers(enterprise_teams_key(ORG)) == set(WORKSPACES)


async def test_a_workspace_of_another_org_is_not_served(oauth_app: RunningApp, standin: SlackStandIn) -> None:
    assert await install(oauth_app, ORG) == 200
    async with in_org(oauth_app, standin, "TELSEWHERE", org="EOTHER") as slack:
        reply = await slack.slash_command("UANA", "C1", trigger_id=new_trigger_id())
    assert reply.status < 500
    assert not standin.calls_to("views.open")


@pytest.mark.parametrize("event_type", ["app_uninstalled", "tokens_revoked"])
@pytest.mark.parametrize("workspace_named", [False, True], ids=["no-workspace", "a-workspace"])
async def test_uninstalling_from_the_org_removes_its_installation_and_every_workspaces_data(
    oauth_app: RunningApp, standin: SlackStandIn, redis: Redis, event_type: str, workspace_named: bool
) -> None:
    assert await install(oauth_app, ORG) == 200
    assert await install(oauth_app, "TALONE") == 200  # a workspace of its own, outside the org
    for team in WORKSPACES:
        async with in_org(oauth_app, standin, team) as slack:
            await leave_a_draft(slack, f"{team} project")
    async with SlackSimulator(oauth_app.url, SIGNING_SECRET, standin, team_id="TALONE") as alone:
        await leave_a_draft(alone, "Alone")

    event: dict[str, object] = {"type": event_type}
    if event_type == "tokens_revoked":
        event["tokens"] = {"bot": ["UBOT"]}
    async with in_org(oauth_app, standin, "TWS1") as slack:
        # The organisation's authorization may name no workspace, or the one the event came through.
        authorization = {**slack.authorization(), "team_id": "TWS1" if workspace_named else None}
        assert (await slack.event(event, authorization=authorization)).status == 200

    def org_gone() -> bool:
        return not redis.exists(bot_key(ORG, None, True), installer_key(ORG, None, True))

    await eventually(org_gone)
    await eventually(lambda: not redis.exists(enterprise_teams_key(ORG)))
    for team in WORKSPACES:
        assert not list(redis.scan_iter(team_pattern(team)))
    assert redis.exists(bot_key(None, "TALONE"))
    assert redis.exists(draft_key("TALONE", "UANA", NEW_DRAFT))


async def test_team_access_revoked_removes_those_workspaces_data_and_keeps_the_org(
    oauth_app: RunningApp, standin: SlackStandIn, redis: Redis
) -> None:
    assert await install(oauth_app, ORG) == 200
    for team in WORKSPACES:
        async with in_org(oauth_app, standin, team) as slack:
            await leave_a_draft(slack, f"{team} project")

    async with in_org(oauth_app, standin, "TWS2") as slack:
        # As Slack sends it: about the organisation, naming the workspaces the app was taken from.
        authorization = {**slack.authorization(), "is_enterprise_install": False}
        event = {"type": "team_access_revoked", "team_ids": ["TWS1"]}
        assert (await slack.event(event, authorization=authorization)).status == 200

    await eventually(lambda: redis.smembers(enterprise_teams_key(ORG)) == {"TWS2"})
    assert not list(redis.scan_iter(team_pattern("TWS1")))
    assert redis.exists(draft_key("TWS2", "UANA", NEW_DRAFT))
    assert redis.exists(bot_key(ORG, None, True))
    async with in_org(oauth_app, standin, "TWS2") as slack:
        assert await leave_a_draft(slack, "Still here") == f"xoxb-{ORG}-token"


async def test_a_workspace_installed_alone_inside_an_org_is_found_first_and_removed_alone(
    oauth_app: RunningApp, standin: SlackStandIn, redis: Redis
) -> None:
    """Its own installation wins over the organisation's; uninstalling it leaves the organisation's."""
    assert await install(oauth_app, ORG) == 200
    assert await install(oauth_app, f"{ORG}.TSOLO") == 200
    assert redis.exists(bot_key(ORG, "TSOLO"))
    solo = SlackSimulator(oauth_app.url, SIGNING_SECRET, standin, team_id="TSOLO", enterprise_id=ORG)
    async with solo:
        assert await leave_a_draft(solo, "Solo") == "xoxb-TSOLO-token"
        assert (await solo.event({"type": "app_uninstalled"})).status == 200
        await eventually(lambda: not list(redis.scan_iter(team_pattern("TSOLO"))))
        assert not redis.exists(bot_key(ORG, "TSOLO"))
        assert redis.exists(bot_key(ORG, None, True))
        # The workspace is still in the organisation that installed the app org-wide: served by it.
        assert await leave_a_draft(solo, "Solo again") == f"xoxb-{ORG}-token"


def test_the_organisations_key_is_not_mistaken_for_an_earlier_layouts_key() -> None:
    assert current_name(enterprise_teams_key(ORG)) is None
