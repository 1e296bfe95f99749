"""The Redis client for each topology (one server, Cluster, Sentinel), and a start-up check of it.

``RedisTarget`` says where Redis is: ``REDIS_URL`` alone (one server, or a managed service behind a DNS
name), ``REDIS_URL`` naming any node of a Redis Cluster, or Sentinels that know the primary's address. The
URL's username, password, database and scheme (``rediss://`` for TLS, ``?ssl_ca_certs=`` for a private CA)
apply to every data connection in all three. ``connect`` builds the asyncio client; ``probe_redis`` tells
at start whether the target answers, and if not whether waiting could help.
"""

from __future__ import annotations

import socket
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, TypeAlias
from urllib.parse import urlparse

from redis import Redis as SyncRedis
from redis.asyncio import Redis
from redis.asyncio.cluster import RedisCluster
from redis.asyncio.connection import Connection, ConnectionPool, SSLConnection, parse_url
from redis.asyncio.retry import Retry
from redis.asyncio.sentinel import Sentinel, SentinelManagedConnection, SentinelManagedSSLConnection
from redis.backoff import NoBackoff
from redis.cluster import RedisCluster as SyncRedisCluster
from redis.exceptions import (
    AuthenticationError,
    BusyLoadingError,
    ConnectionError,
    ReadOnlyError,
    RedisClusterException,
    RedisError,
    ResponseError,
)
from redis.exceptions import TimeoutError as RedisTimeout
from redis.sentinel import MasterNotFoundError
from redis.sentinel import Sentinel as SyncSentinel

RedisClient: TypeAlias = Redis | RedisCluster

# Every command the bot sends, so a managed Redis can give it an ACL user allowed these and nothing else
# (README, "Managed Redis"; a test runs every flow as such a user and finds nothing in ACL LOG).
SERVING_COMMANDS: tuple[str, ...] = (
    "ping", "select", "multi", "exec",
    "get", "set", "getdel", "mget", "del", "exists", "expire", "persist", "ttl", "pttl",
    "rename", "renamenx", "scan",
    "hget", "hgetall", "hset", "hsetnx", "hdel", "hexists", "hlen",
    "zadd", "zrange", "zrevrange",
    "sadd", "smembers",
    # Compare-and-set and the other atomic steps are Lua scripts (the commands they call are above).
    "evalsha", "eval", "script|load", "script|exists",
)  # fmt: skip
CLUSTER_COMMANDS: tuple[str, ...] = ("cluster|slots",)  # how the cluster client learns the slots
MIGRATION_COMMANDS: tuple[str, ...] = ("dump", "restore", "type")


def acl_rules(*, cluster: bool = False, migration: bool = True) -> list[str]:
    """The ACL SETUSER rules for the bot's user: its key prefix, its commands, and nothing else."""
    commands = [
        *SERVING_COMMANDS,
        *(CLUSTER_COMMANDS if cluster else ()),
        *(MIGRATION_COMMANDS if migration else ()),
    ]
    return ["~llm-approach:*", "resetchannels", "-@all", *(f"+{command}" for command in commands)]


# Fail fast: an outage must surface to the user well inside Slack's 3-second acknowledgement window.
SOCKET_CONNECT_TIMEOUT = 0.5
SOCKET_TIMEOUT = 1.0
HEALTH_CHECK_INTERVAL = 30


def retry_policy() -> Retry:
    """The one place retries are decided: a dropped connection (or a demoted primary) is retried once,
    at once, on a fresh connection; anything longer would outlast Slack's 3 seconds."""
    return Retry(NoBackoff(), 1)


@dataclass(frozen=True)
class RedisTarget:
    """Where Redis is. ``url`` and ``sentinel_password`` hold credentials: never printed."""

    url: str = field(repr=False)
    cluster: bool = False
    sentinels: tuple[tuple[str, int], ...] = ()
    sentinel_master: str | None = None
    sentinel_password: str | None = field(default=None, repr=False)

    @property
    def topology(self) -> str:
        return "cluster" if self.cluster else "sentinel" if self.sentinels else "single"

    def describe(self) -> str:
        """For messages and logs: the URL without its password, and the sentinels."""
        if self.sentinels:
            nodes = ",".join(f"{host}:{port}" for host, port in self.sentinels)
            return f"master {self.sentinel_master!r} via Sentinels {nodes} ({safe_url(self.url)})"
        return f"Redis Cluster at {safe_url(self.url)}" if self.cluster else safe_url(self.url)


class _DemotionAwareConnection(Connection):
    """A connection that gives up on a primary that was demoted behind the same address.

    Managed Redis fails over by pointing a DNS name at the new primary; connections opened before that
    still reach the old one, which now answers every write with READONLY. Turning that reply into a
    ConnectionError makes the client drop this connection and retry once on a new one, which resolves the
    name again. (Sentinel connections do the same in redis-py; plain ones do not.)
    """

    async def read_response(self, *args: Any, **kwargs: Any) -> Any:
        try:
            return await super().read_response(*args, **kwargs)
        except ReadOnlyError as error:
            await self.disconnect()
            raise ConnectionError(f"the primary was demoted to a replica ({error})") from error


class _DemotionAwareSSLConnection(_DemotionAwareConnection, SSLConnection):
    pass


_DEMOTION_AWARE: dict[type[Any], type[Connection]] = {
    Connection: _DemotionAwareConnection,
    SSLConnection: _DemotionAwareSSLConnection,
}


def _client_options() -> dict[str, Any]:
    return {
        "decode_responses": True,
        "socket_connect_timeout": SOCKET_CONNECT_TIMEOUT,
        "socket_timeout": SOCKET_TIMEOUT,
        "retry": retry_policy(),
        "health_check_interval": HEALTH_CHECK_INTERVAL,
        # No CLIENT SETINFO on connect: a round trip less, and one command less for an ACL to allow.
        "driver_info": None,
    }


def _single(url: str) -> Redis:
    options: dict[str, Any] = {**_client_options(), **parse_url(url)}
    base = options.get("connection_class", Connection)
    options["connection_class"] = _DEMOTION_AWARE.get(base, base)
    return Redis.from_pool(ConnectionPool(**options))


def _cluster(url: str) -> RedisCluster:
    # The client learns every node and slot from the one in the URL, and follows MOVED and ASK replies.
    return RedisCluster.from_url(url, **_client_options())


class _SentinelPrimaryConnection(SentinelManagedConnection):
    """A connection to the primary Sentinel names, also when it reconnects in the middle of a retry.

    redis-py's own class asks Sentinel where the primary is only when the pool hands the connection out;
    the retry after a demoted primary's READONLY reconnects to the old address and fails again. Asking
    on every reconnect makes that one retry land on the new primary.
    """

    async def send_packed_command(self, command: Any, check_health: bool = True) -> None:
        if not self.is_connected:
            await self.connect()  # type: ignore[no-untyped-call]
        await super().send_packed_command(command, check_health)


class _SentinelPrimarySSLConnection(_SentinelPrimaryConnection, SentinelManagedSSLConnection):
    pass


class _SentinelManagedRedis(Redis):
    """The primary's client; closing it also closes the connections to the Sentinels."""

    sentinel_manager: Sentinel

    async def aclose(self, close_connection_pool: bool | None = None) -> None:
        await super().aclose(close_connection_pool)
        for sentinel in self.sentinel_manager.sentinels:
            await sentinel.aclose()


def _master_options(url: str) -> dict[str, Any]:
    """The URL's credentials, database and TLS settings, for the connections to the primary."""
    options: dict[str, Any] = dict(parse_url(url))
    options.pop("host", None)
    options.pop("port", None)
    if options.pop("connection_class", None) is SSLConnection:
        options["ssl"] = True
    return options


def _primary_connection_class(url: str) -> type[Connection]:
    return _SentinelPrimarySSLConnection if _master_options(url).get("ssl") else _SentinelPrimaryConnection


def _sentinel_options(target: RedisTarget) -> dict[str, Any]:
    """Sentinels take their own password (REDIS_SENTINEL_PASSWORD) and the URL's TLS settings."""
    options: dict[str, Any] = {
        "socket_connect_timeout": SOCKET_CONNECT_TIMEOUT,
        "socket_timeout": SOCKET_TIMEOUT,
        "decode_responses": True,
    }
    if target.sentinel_password:
        options["password"] = target.sentinel_password
    master = _master_options(target.url)
    if master.get("ssl"):
        options.update({k: v for k, v in master.items() if k == "ssl" or k.startswith("ssl_")})
    return options


def _via_sentinel(target: RedisTarget) -> Redis:
    assert target.sentinel_master
    # redis-py's Sentinel classes carry no annotations.
    sentinel = Sentinel(  # type: ignore[no-untyped-call]
        list(target.sentinels), sentinel_kwargs=_sentinel_options(target)
    )
    client: _SentinelManagedRedis = sentinel.master_for(
        target.sentinel_master,
        redis_class=_SentinelManagedRedis,
        connection_class=_primary_connection_class(target.url),
        **_client_options(),
        **_master_options(target.url),
    )
    client.sentinel_manager = sentinel
    return client


def connect(target: RedisTarget) -> RedisClient:
    if target.cluster:
        return _cluster(target.url)
    if target.sentinels:
        return _via_sentinel(target)
    return _single(target.url)


class RedisStatus(StrEnum):
    OK = "ok"
    UNREACHABLE = "unreachable"  # nothing listens, or the host does not answer: may come back by itself
    MISCONFIGURED = "misconfigured"  # it answers but refuses us: password, ACL, TLS or protocol


@dataclass(frozen=True)
class RedisProbe:
    status: RedisStatus
    message: str = ""
    # Something accepts connections at REDIS_URL's address, whether or not it answers as Redis should.
    # Only when nothing does may the demo start a throwaway server instead.
    listening: bool = True


def safe_url(url: str) -> str:
    """A Redis URL without its password, for messages."""
    parsed = urlparse(url)
    if parsed.password:
        return url.replace(f":{parsed.password}@", ":***@")
    return url


def _listening(url: str, timeout: float) -> bool:
    """Whether anything accepts a connection at the URL's address (TCP, or a unix socket)."""
    parsed = urlparse(url)
    try:
        if parsed.scheme == "unix":
            with socket.socket(socket.AF_UNIX) as unix:
                unix.settimeout(timeout)
                unix.connect(parsed.path)
            return True
        with socket.create_connection((parsed.hostname or "localhost", parsed.port or 6379), timeout):
            return True
    except (OSError, ValueError):
        return False


def _sync_client(target: RedisTarget, timeout: float) -> tuple[SyncRedis | SyncRedisCluster, list[SyncRedis]]:
    """A client for the probe, and the Sentinel connections to close with it."""
    timeouts = {"socket_connect_timeout": timeout, "socket_timeout": timeout}
    if target.cluster:
        return SyncRedisCluster.from_url(target.url, **timeouts), []
    if target.sentinels:
        assert target.sentinel_master
        sentinel_options = {**_sentinel_options(target), **timeouts}
        sentinel = SyncSentinel(  # type: ignore[no-untyped-call]
            list(target.sentinels), sentinel_kwargs=sentinel_options
        )
        master: SyncRedis = sentinel.master_for(  # type: ignore[no-untyped-call]
            target.sentinel_master, **timeouts, **_master_options(target.url)
        )
        return master, list(sentinel.sentinels)
    return SyncRedis.from_url(target.url, **timeouts), []


def probe_redis(target: RedisTarget | str, timeout: float = 1.0) -> RedisProbe:
    """Whether Redis answers, and if not, whether waiting could help."""
    target = RedisTarget(target) if isinstance(target, str) else target
    where = target.describe()
    try:
        client, sentinels = _sync_client(target, timeout)
    except ValueError as error:
        return RedisProbe(RedisStatus.MISCONFIGURED, f"REDIS_URL ({where}) is not a valid Redis URL: {error}")
    except RedisClusterException as error:
        return _cluster_problem(where, error)
    except (RedisError, OSError):
        return RedisProbe(RedisStatus.UNREACHABLE, f"Nothing answers at {where}.")
    try:
        client.ping()
        return RedisProbe(RedisStatus.OK)
    except MasterNotFoundError:
        return RedisProbe(
            RedisStatus.UNREACHABLE,
            f"No Sentinel answers for {where}, or none knows that master (check REDIS_SENTINEL_MASTER).",
        )
    except AuthenticationError:
        return RedisProbe(RedisStatus.MISCONFIGURED, f"Redis at {where} refused the password or ACL user.")
    except BusyLoadingError:
        return RedisProbe(RedisStatus.UNREACHABLE, f"Redis at {where} is still loading its data.")
    except ResponseError as error:
        if "NOAUTH" in str(error) or "WRONGPASS" in str(error) or "NOPERM" in str(error):
            return RedisProbe(
                RedisStatus.MISCONFIGURED, f"Redis at {where} refused the password or ACL user."
            )
        return RedisProbe(RedisStatus.MISCONFIGURED, f"Redis at {where} answered with an error: {error}")
    except RedisClusterException as error:
        return _cluster_problem(where, error)
    except (RedisError, OSError) as error:
        return _unanswered(target, where, error, timeout)
    finally:
        client.close()
        for sentinel in sentinels:
            sentinel.close()


def _unanswered(target: RedisTarget, where: str, error: Exception, timeout: float) -> RedisProbe:
    """Why Redis did not answer: a TLS or protocol mismatch to fix, or nothing there yet to wait for."""
    url = target.url
    text = str(error)
    if "SSL" in text or "certificate" in text or "TLS" in text:
        return RedisProbe(
            RedisStatus.MISCONFIGURED,
            f"Redis at {where}: the TLS connection failed ({text}). "
            "Check rediss:// and the CA certificate (?ssl_ca_certs=).",
        )
    if "Protocol" in text or "protocol" in text:
        return RedisProbe(RedisStatus.MISCONFIGURED, f"Redis at {where} did not speak the Redis protocol.")
    if target.topology != "single" or not _listening(url, timeout):
        return RedisProbe(
            RedisStatus.UNREACHABLE, f"Nothing answers at {where}.", listening=target.topology != "single"
        )
    tls = urlparse(url).scheme == "rediss"
    if isinstance(error, RedisTimeout | TimeoutError) and not tls:
        return RedisProbe(RedisStatus.UNREACHABLE, f"Redis at {where} is not answering in time.")
    hint = (
        "the TLS handshake never finished: is that a TLS port? (rediss:// needs one)"
        if tls
        else "it closed the connection without answering: a TLS port needs rediss://"
    )
    return RedisProbe(RedisStatus.MISCONFIGURED, f"Something listens at REDIS_URL ({where}), but {hint}.")


def _cluster_problem(where: str, error: RedisClusterException) -> RedisProbe:
    text = str(error)
    if "cluster mode is not enabled" in text.lower() or "cluster support disabled" in text.lower():
        return RedisProbe(
            RedisStatus.MISCONFIGURED,
            f"{where}: that Redis is not in cluster mode; unset REDIS_CLUSTER to use it as one server.",
        )
    if "password" in text.lower() or "auth" in text.lower():
        return RedisProbe(RedisStatus.MISCONFIGURED, f"{where} refused the password or ACL user.")
    return RedisProbe(RedisStatus.UNREACHABLE, f"{where} is unreachable: {text}")
