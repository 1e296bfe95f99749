"""The Redis deployments teams operate: an ACL user, TLS with a private CA, a failover behind a DNS name,
Sentinel, and a cluster slot going down. Each test starts its own servers from the redis-server binary."""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from redis import Redis

from bot import ids
from bot.devkit.local_redis import free_port
from bot.devkit.simulator import Modal, SlackSimulator
from bot.devkit.standin import SlackStandIn
from bot.settings import load_settings
from bot.storage.connection import RedisStatus, RedisTarget, acl_rules, connect, probe_redis
from bot.storage.keys import draft_key
from bot.storage.models import NEW_DRAFT
from bot.storage.store import Store
from bot.ui.blocks import visible_text
from tests.conftest import SIGNING_SECRET, app_env, serve, shutdown
from tests.integration.helpers import SUPPORT_BOT, ask_team, button_value, cli_approach, forget, post_result
from tests.redis_servers import LocalCluster, SentinelSetup, ServerProcess, make_tls_files, wait_until

pytestmark = pytest.mark.private_servers


@contextlib.asynccontextmanager
async def slack_on(env: dict[str, str], standin: SlackStandIn) -> AsyncIterator[SlackSimulator]:
    app = await serve(env)
    try:
        async with SlackSimulator(app.url, SIGNING_SECRET, standin) as slack:
            yield slack
    finally:
        await shutdown(app)


async def fill_pages(modal: Modal, answers: dict[str, str], pages: int) -> None:
    """Fill and submit ``pages`` pages, each accepted (no error under a field, no error view pushed)."""
    for _ in range(pages):
        modal.fill(answers)
        reply = await modal.submit()
        action = (reply.json() or {}).get("response_action")
        assert reply.status == 200 and action not in {"errors", "push"}, reply.text


async def finish_and_check_nothing_was_lost(modal: Modal, standin: SlackStandIn) -> None:
    """Submit the remaining pages; the posted result holds the answers given before as well."""
    await fill_pages(modal, SUPPORT_BOT, 5 - int(modal.title.split()[1]))  # "Step 3 of 4"
    assert modal.closed
    posts = await standin.wait_for("chat.postMessage", 2, within=15)
    result = json.dumps(posts[0].args["blocks"])
    assert "Support assistant" in result  # typed on page 1, before the trouble
    expected = {"rag": "RAG"}[cli_approach(SUPPORT_BOT)]
    assert posts[0].args["blocks"][0]["text"]["text"] == f"Recommended: {expected}"


async def every_store_operation(slack: SlackSimulator, standin: SlackStandIn) -> None:
    """Drafts, assessments, votes, a team round, a decision, a thread question, the Home tab and forget."""
    ts, message, assessment_id = await post_result(slack, standin, SUPPORT_BOT)
    team_round = await ask_team(slack, standin, ts, assessment_id)
    await team_round.answer("UCAT", {**SUPPORT_BOT, "labeled_examples": "5000_plus"}, 2)
    await team_round.close("UANA")
    await team_round.shows("Team round closed")
    vote = button_value(message, ids.VOTE_AGREE)
    await slack.press_on_message("UBEN", ids.VOTE_AGREE, vote, channel="CPROJ", message=message)
    await standin.wait_for("chat.update")
    _, trigger = await slack.press_on_message(
        "UANA", ids.RECORD_DECISION, assessment_id, channel="CPROJ", message=message
    )
    decision = Modal(slack, "UANA", await standin.view_opened_by(trigger))
    decision.fill({ids.DECISION_RATIONALE_BLOCK: "Docs change weekly."})
    await decision.submit()
    await standin.wait_for("chat.update", 2)
    await slack.mention("UBEN", "CPROJ", "what if labeled_examples is 5000_plus", thread_ts=ts)
    await standin.wait_until(
        lambda: len([c for c in standin.calls_to("chat.postMessage") if c.args.get("thread_ts") == ts]) >= 3,
        what="the thread answer",
    )
    await slack.event({"type": "app_home_opened", "user": "UANA", "channel": "DANA", "tab": "home"})
    await standin.wait_for("views.publish")
    assert "decided RAG" in visible_text(standin.home_views["UANA"])
    said = await forget(slack, standin, "UANA")
    assert "Deleted" in said and "error id" not in said
    errors = [c for c in standin.calls_to("chat.postEphemeral") if "error id" in c.args.get("text", "")]
    assert errors == []


@pytest.fixture
def server() -> Iterator[ServerProcess]:
    process = ServerProcess("--requirepass", "admin-password")
    process.wait_ready(password="admin-password")
    yield process
    process.stop()


async def test_an_acl_user_limited_to_the_bots_keys_and_commands_runs_every_flow(
    server: ServerProcess, standin: SlackStandIn
) -> None:
    with server.client(password="admin-password") as admin:
        admin.execute_command("ACL", "SETUSER", "llm-bot", "on", ">bot-password", *acl_rules(migration=False))
        admin.execute_command("ACL", "LOG", "RESET")
    url = f"redis://llm-bot:bot-password@127.0.0.1:{server.port}/0"
    async with slack_on(app_env(url, standin), standin) as slack:
        await every_store_operation(slack, standin)
    with server.client(password="admin-password") as admin:
        denied = admin.execute_command("ACL", "LOG")
        assert denied == [], denied  # not one command or key outside what the ACL allows
        assert admin.dbsize() > 0  # the bot did write, as llm-bot
    assert probe_redis(f"redis://llm-bot:wrong@127.0.0.1:{server.port}/0").status is RedisStatus.MISCONFIGURED


@pytest.fixture
def tls_server(tmp_path: Path) -> Iterator[tuple[ServerProcess, Path]]:
    files = make_tls_files(tmp_path)
    process = ServerProcess(
        "--port", "0", "--tls-port", str(free_port()), "--tls-cert-file", str(files.cert),
        "--tls-key-file", str(files.key), "--tls-ca-cert-file", str(files.ca), "--tls-auth-clients", "no",
        "--requirepass", "tls-password",
    )  # fmt: skip
    process.port = int(process.process.args[process.process.args.index("--tls-port") + 1])  # type: ignore[union-attr]
    process.wait_ready(password="tls-password", ssl=True, ssl_ca_certs=str(files.ca))
    yield process, files.ca
    process.stop()


async def test_rediss_with_a_private_ca_and_a_password(
    tls_server: tuple[ServerProcess, Path], standin: SlackStandIn
) -> None:
    server, ca = tls_server
    url = f"rediss://:tls-password@127.0.0.1:{server.port}/0?ssl_ca_certs={ca}"
    async with slack_on(app_env(url, standin), standin) as slack:
        modal = await slack.open_modal("UANA", "CPROJ")
        await finish_and_check_nothing_was_lost(modal, standin)
    untrusted = probe_redis(f"rediss://:tls-password@127.0.0.1:{server.port}/0")
    assert untrusted.status is RedisStatus.MISCONFIGURED and "TLS" in untrusted.message
    assert "tls-password" not in untrusted.message


def replicating(client: Redis) -> bool:
    return client.info("replication").get("master_link_status") == "up"


class SwitchableProxy:
    """A TCP forwarder standing in for a DNS name: new connections go to ``target``; old ones stay put."""

    def __init__(self, target: int) -> None:
        self.target = target
        self.port = free_port()
        self.server: asyncio.Server | None = None

    async def start(self) -> None:
        self.server = await asyncio.start_server(self._forward, "127.0.0.1", self.port)

    async def _forward(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        upstream_reader, upstream_writer = await asyncio.open_connection("127.0.0.1", self.target)

        async def pipe(source: asyncio.StreamReader, sink: asyncio.StreamWriter) -> None:
            with contextlib.suppress(ConnectionError):
                while data := await source.read(65536):
                    sink.write(data)
                    await sink.drain()
            sink.close()

        await asyncio.gather(pipe(reader, upstream_writer), pipe(upstream_reader, writer))

    async def stop(self) -> None:
        assert self.server is not None
        self.server.close()


async def test_a_primary_demoted_behind_the_same_name_is_left_for_the_new_one(standin: SlackStandIn) -> None:
    """Managed failover: the name now points at the new primary, but pooled connections still reach the old
    one, which answers READONLY. The bot drops those connections and carries on; nothing is lost."""
    old, new = ServerProcess(), ServerProcess()
    proxy = SwitchableProxy(old.port)
    try:
        old.wait_ready()
        new.wait_ready()
        with new.client() as client:
            client.execute_command("REPLICAOF", "127.0.0.1", old.port)
            wait_until(lambda: replicating(client), "the replica to sync")
        await proxy.start()
        async with slack_on(app_env(f"redis://127.0.0.1:{proxy.port}/0", standin), standin) as slack:
            modal = await slack.open_modal("UANA", "CPROJ")
            await fill_pages(modal, SUPPORT_BOT, 2)
            with old.client() as client:
                assert client.execute_command("WAIT", 1, 2000) == 1  # the replica has the answers
            with new.client() as client:
                client.execute_command("REPLICAOF", "NO", "ONE")
            with old.client() as client:
                client.execute_command("REPLICAOF", "127.0.0.1", new.port)
                wait_until(lambda: replicating(client), "the old primary to follow the new one")
            proxy.target = new.port
            await finish_and_check_nothing_was_lost(modal, standin)
    finally:
        await proxy.stop()
        old.stop()
        new.stop()


async def test_sentinel_failover_mid_questionnaire_loses_nothing(standin: SlackStandIn) -> None:
    setup = SentinelSetup.start(
        auth=("--requirepass", "data-password"), sentinel_password="sentinel-password"
    )
    try:
        env = app_env("redis://:data-password@ignored-host/0", standin)
        env |= {
            "REDIS_SENTINELS": f"127.0.0.1:{setup.sentinel.port}",
            "REDIS_SENTINEL_MASTER": setup.name,
            "REDIS_SENTINEL_PASSWORD": "sentinel-password",
        }
        assert probe_redis(load_settings(env).redis).status is RedisStatus.OK
        unauthorised = load_settings({**env, "REDIS_SENTINEL_PASSWORD": "wrong"}).redis
        assert probe_redis(unauthorised).status is not RedisStatus.OK
        async with slack_on(env, standin) as slack:
            modal = await slack.open_modal("UANA", "CPROJ")
            await fill_pages(modal, SUPPORT_BOT, 2)
            with setup.primary.client(password="data-password") as primary:
                # Replication is asynchronous: what Sentinel can promote is what the replica has.
                assert primary.execute_command("WAIT", 1, 2000) == 1
            setup.force_failover()
            wait_until(lambda: setup.current_primary_port() == setup.replica.port, "Sentinel to promote")
            with setup.primary.client(password="data-password") as demoted:
                wait_until(
                    lambda: demoted.info("replication")["role"] == "slave",
                    "the old primary to be demoted",
                )
            await finish_and_check_nothing_was_lost(modal, standin)
    finally:
        setup.stop()


async def test_the_first_write_after_a_sentinel_failover_reaches_the_new_primary() -> None:
    """A pooled connection that outlives the failover gets READONLY from the demoted primary; the one retry
    must ask Sentinel again rather than reconnect to the old address."""
    setup = SentinelSetup.start()
    target = RedisTarget(
        "redis://ignored-host/0", sentinels=(("127.0.0.1", setup.sentinel.port),), sentinel_master=setup.name
    )
    assert probe_redis(target).status is RedisStatus.OK
    store = Store(connect(target), retention_seconds=3600)
    try:
        await store.save_answers("T1", "U1", NEW_DRAFT, {"project_name": "Before"}, page=1, channel="C1")
        with setup.primary.client() as primary:
            assert primary.execute_command("WAIT", 1, 2000) == 1
        setup.force_failover()
        wait_until(lambda: setup.current_primary_port() == setup.replica.port, "Sentinel to promote")
        with setup.primary.client() as demoted:
            wait_until(
                lambda: demoted.info("replication")["role"] == "slave", "the old primary to be demoted"
            )
        draft = await store.save_answers("T1", "U1", NEW_DRAFT, {"use_case": "After"}, page=2, channel="C1")
        assert draft.answers == {"project_name": "Before", "use_case": "After"}
    finally:
        await store.close()
        setup.stop()


async def test_a_cluster_slot_going_down_is_told_and_the_answers_are_kept(standin: SlackStandIn) -> None:
    cluster = LocalCluster()
    try:
        env = app_env({"REDIS_URL": cluster.url, "REDIS_CLUSTER": "1"}, standin)
        async with slack_on(env, standin) as slack:
            modal = await slack.open_modal("UANA", "CPROJ")
            await fill_pages(modal, SUPPORT_BOT, 1)
            key = draft_key("T0STANDIN", "UANA", NEW_DRAFT)
            with cluster.nodes[0].client() as client:
                slot = int(client.execute_command("CLUSTER", "KEYSLOT", key))
            owner = next(node for node in cluster.nodes if key_count(node, slot))
            with owner.client() as client:
                client.execute_command("CLUSTER", "DELSLOTS", slot)  # the slot is served by no one
            modal.fill(SUPPORT_BOT)
            reply = await modal.submit()
            body = reply.json() or {}
            assert reply.status == 200 and body.get("response_action") == "push", body
            told = json.dumps(modal.pushed[-1])
            assert "error id" in told.lower() and "storage" in told  # told, with an id to quote
            modal.close_pushed()
            with owner.client() as client:
                client.execute_command("CLUSTER", "ADDSLOTS", slot)
            wait_until(
                lambda: all(cluster_ok(node) for node in cluster.nodes),
                "the slot to be served again",
            )
            await finish_and_check_nothing_was_lost(modal, standin)
    finally:
        cluster.stop()


def cluster_ok(node: ServerProcess) -> bool:
    with node.client() as client:
        return "cluster_state:ok" in client.execute_command("CLUSTER", "INFO")


def key_count(node: ServerProcess, slot: int) -> int:
    with node.client() as client:
        return int(client.execute_command("CLUSTER", "COUNTKEYSINSLOT", slot))


def test_probe_names_what_is_wrong_with_each_topology() -> None:
    nowhere = f"redis://127.0.0.1:{free_port()}/0"
    assert probe_redis(RedisTarget(nowhere, cluster=True)).status is RedisStatus.UNREACHABLE
    sentinels = RedisTarget(nowhere, sentinels=(("127.0.0.1", free_port()),), sentinel_master="m")
    assert probe_redis(sentinels).status is RedisStatus.UNREACHABLE
    single = ServerProcess()
    try:
        single.wait_ready()
        not_a_cluster = probe_redis(RedisTarget(f"redis://127.0.0.1:{single.port}/0", cluster=True))
        assert not_a_cluster.status is RedisStatus.MISCONFIGURED
        assert "not in cluster mode" in not_a_cluster.message
    finally:
        single.stop()
