"""Storage failures, and the one wrapper that turns a Redis client's errors into them."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TypeVar

from redis.exceptions import RedisClusterException, RedisError

T = TypeVar("T")


class StoreError(Exception):
    """Redis could not be reached or answered with an error (on a cluster too: slots moving, a node down)."""


class WriteConflict(StoreError):
    """Others kept writing the same record: every compare-and-set in a row was refused."""


async def guarded(operation: Callable[[], Awaitable[T]]) -> T:
    """Run one Redis operation; any failure of Redis, the network or the cluster is a StoreError."""
    try:
        return await operation()
    # RedisClusterException (no slot covered, a cross-slot transaction) is not a RedisError.
    except (RedisError, RedisClusterException, OSError) as error:
        raise StoreError(f"{type(error).__name__}: {error}") from error
