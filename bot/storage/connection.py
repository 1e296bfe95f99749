"""The Redis client, built from REDIS_URL, and a start-up check that tells what is wrong with it."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from urllib.parse import urlparse

from redis import Redis as SyncRedis
from redis.asyncio import Redis
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff
from redis.exceptions import AuthenticationError, ConnectionError, RedisError, ResponseError


def connect(url: str) -> Redis:
    # Fail fast: an outage must surface to the user well inside Slack's 3-second acknowledgement window.
    # One retry on a fresh connection covers a pooled connection that died with a restarted server. It must
    # be the asyncio Retry: the synchronous one calls the command without awaiting it, so never retries.
    return Redis.from_url(
        url,
        decode_responses=True,
        socket_connect_timeout=0.5,
        socket_timeout=1.0,
        retry=Retry(NoBackoff(), 1),
        health_check_interval=30,
    )


class RedisStatus(StrEnum):
    OK = "ok"
    UNREACHABLE = "unreachable"  # nothing listens, or the host does not answer: may come back by itself
    MISCONFIGURED = "misconfigured"  # it answers but refuses us: password, ACL, TLS or protocol


@dataclass(frozen=True)
class RedisProbe:
    status: RedisStatus
    message: str = ""


def safe_url(url: str) -> str:
    """A Redis URL without its password, for messages."""
    parsed = urlparse(url)
    if parsed.password:
        return url.replace(f":{parsed.password}@", ":***@")
    return url


def probe_redis(url: str, timeout: float = 1.0) -> RedisProbe:
    """Whether REDIS_URL answers, and if not, whether waiting could help."""
    where = safe_url(url)
    try:
        client = SyncRedis.from_url(url, socket_connect_timeout=timeout, socket_timeout=timeout)
    except ValueError as error:
        return RedisProbe(RedisStatus.MISCONFIGURED, f"REDIS_URL ({where}) is not a valid Redis URL: {error}")
    try:
        client.ping()
        return RedisProbe(RedisStatus.OK)
    except AuthenticationError:
        return RedisProbe(
            RedisStatus.MISCONFIGURED, f"Redis at {where} refused the password or ACL user in REDIS_URL."
        )
    except ResponseError as error:
        if "NOAUTH" in str(error) or "WRONGPASS" in str(error) or "NOPERM" in str(error):
            return RedisProbe(
                RedisStatus.MISCONFIGURED, f"Redis at {where} refused the password or ACL user in REDIS_URL."
            )
        return RedisProbe(RedisStatus.MISCONFIGURED, f"Redis at {where} answered with an error: {error}")
    except ConnectionError as error:
        text = str(error)
        if "SSL" in text or "certificate" in text or "TLS" in text:
            return RedisProbe(
                RedisStatus.MISCONFIGURED,
                f"Redis at {where}: the TLS connection failed ({text}). "
                "Check rediss:// and the CA certificate.",
            )
        if "Protocol" in text or "protocol" in text:
            return RedisProbe(
                RedisStatus.MISCONFIGURED, f"Redis at {where} did not speak the Redis protocol."
            )
        return RedisProbe(RedisStatus.UNREACHABLE, f"Nothing answers at REDIS_URL ({where}).")
    except (RedisError, OSError) as error:
        return RedisProbe(RedisStatus.UNREACHABLE, f"Redis at {where} is unreachable: {type(error).__name__}")
    finally:
        client.close()
