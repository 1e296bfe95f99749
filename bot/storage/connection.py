"""The Redis client, built from REDIS_URL, and a start-up check that tells what is wrong with it."""

from __future__ import annotations

import socket
from dataclasses import dataclass
from enum import StrEnum
from urllib.parse import urlparse

from redis import Redis as SyncRedis
from redis.asyncio import Redis
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff
from redis.exceptions import (
    AuthenticationError,
    BusyLoadingError,
    RedisError,
    ResponseError,
)
from redis.exceptions import TimeoutError as RedisTimeout


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


def probe_redis(url: str, timeout: float = 1.0) -> RedisProbe:
    """Whether REDIS_URL answers, and if not, whether waiting could help.

    Waiting helps only when nothing listens yet, or a Redis is still loading its data. Anything that
    accepts the connection and then refuses us, or speaks something else (a plain port for rediss://, a TLS
    port for redis://), is a configuration to fix.
    """
    where = safe_url(url)
    try:
        client = SyncRedis.from_url(url, socket_connect_timeout=timeout, socket_timeout=timeout)
    except ValueError as error:
        return RedisProbe(RedisStatus.MISCONFIGURED, f"REDIS_URL ({where}) is not a valid Redis URL: {error}")
    refused = f"Redis at {where} refused the password or ACL user in REDIS_URL."
    try:
        client.ping()
        return RedisProbe(RedisStatus.OK)
    except AuthenticationError:
        return RedisProbe(RedisStatus.MISCONFIGURED, refused)
    except ResponseError as error:
        if "NOAUTH" in str(error) or "WRONGPASS" in str(error) or "NOPERM" in str(error):
            return RedisProbe(RedisStatus.MISCONFIGURED, refused)
        return RedisProbe(RedisStatus.MISCONFIGURED, f"Redis at {where} answered with an error: {error}")
    except BusyLoadingError:
        return RedisProbe(RedisStatus.UNREACHABLE, f"Redis at {where} is still loading its data.")
    except (RedisError, OSError) as error:
        return _unanswered(url, where, error, timeout)
    finally:
        client.close()


def _unanswered(url: str, where: str, error: Exception, timeout: float) -> RedisProbe:
    text = str(error)
    if "SSL" in text or "certificate" in text or "TLS" in text:
        return RedisProbe(
            RedisStatus.MISCONFIGURED,
            f"Redis at {where}: the TLS connection failed ({text}). Check rediss:// and the CA certificate.",
        )
    if "Protocol" in text or "protocol" in text:
        return RedisProbe(RedisStatus.MISCONFIGURED, f"Redis at {where} did not speak the Redis protocol.")
    if not _listening(url, timeout):
        return RedisProbe(
            RedisStatus.UNREACHABLE, f"Nothing answers at REDIS_URL ({where}).", listening=False
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
