"""Moving keys from the layout of earlier versions to the current one (``python -m bot migrate-keys``).

Earlier versions named a team's keys ``llm-approach:T123:…`` and installations
``llm-approach:installation:bot:E:T``; the current names carry a hash tag (``bot.storage.keys``). Each key
is copied with DUMP and RESTORE, which keep its value and its time to live (none for installations and
decided assessments) and work across cluster slots, and the old key is deleted afterwards. Where both names
exist (a key was written by the new version before the move), the old value is merged in without
overwriting anything newer: a hash gains the fields it lacks, a sorted set the members, and a string keeps
its newer value. So the move is safe to run twice, and safe to run again after being interrupted.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Final, cast

from redis.exceptions import ResponseError

from bot.storage.connection import RedisClient
from bot.storage.keys import ENTERPRISE, INSTALLATION, NAMESPACE, layout_key, team_tag

CURRENT_LAYOUT: Final = "2"  # 1: no hash tags; 2: a team's and an installation's keys in one slot
# Names that did not change, or came after the earlier layout (enterprise).
_UNTAGGED: Final = frozenset({"event", "oauth-state", "layout", ENTERPRISE})


def current_name(key: str) -> str | None:
    """The current name of a key in the earlier layout; None for any other key."""
    prefix = f"{NAMESPACE}:"
    if not key.startswith(prefix):
        return None
    head, _, tail = key.removeprefix(prefix).partition(":")
    if not tail or head.startswith("{") or head in _UNTAGGED:
        return None
    if head == INSTALLATION:
        kind, _, scope = tail.partition(":")
        if kind in {"bot", "installer"} and scope and not scope.startswith("{"):
            return f"{prefix}{INSTALLATION}:{{{scope}}}:{kind}"
        return None
    return f"{prefix}{team_tag(head)}:{tail}"


def _kind(old_key: str) -> str:
    head, _, tail = old_key.removeprefix(f"{NAMESPACE}:").partition(":")
    return INSTALLATION if head == INSTALLATION else tail.partition(":")[0]


@dataclass
class MigrationReport:
    moved: Counter[str] = field(default_factory=Counter)  # kind of key -> moved to a free new name
    merged: Counter[str] = field(default_factory=Counter)  # kind of key -> merged into an existing one

    @property
    def total(self) -> int:
        return sum(self.moved.values()) + sum(self.merged.values())

    def lines(self) -> list[str]:
        if not self.total:
            return ["No keys in the earlier layout: nothing to move."]
        by_kind = ", ".join(f"{kind} {count}" for kind, count in sorted(self.moved.items()))
        lines = [f"Moved {sum(self.moved.values())} key(s) to their new names ({by_kind or 'none'})."]
        if self.merged:
            merged = ", ".join(f"{kind} {count}" for kind, count in sorted(self.merged.items()))
            lines.append(
                f"Merged {sum(self.merged.values())} key(s) that also existed under the new name, "
                f"keeping the newer values ({merged})."
            )
        return lines


async def _merge(redis: RedisClient, kind: str, old: str, new: str) -> None:
    """Add what the old key holds to the new one, never overwriting what the new one holds."""
    if kind == "hash":
        fields = cast(dict[str, str], await redis.hgetall(old))
        async with redis.pipeline(transaction=False) as pipe:
            for name, value in fields.items():
                pipe.hsetnx(new, name, value)
            await pipe.execute()
    elif kind == "zset":
        members = cast(list[tuple[str, float]], await redis.zrange(old, 0, -1, withscores=True))
        if members:
            await redis.zadd(new, dict(members), nx=True)
    elif kind == "set":
        elements = cast(set[str], await redis.smembers(old))
        if elements:
            await redis.sadd(new, *elements)
    # A string (an assessment, an installation, a message's assessment id) keeps its newer value.


async def _move(redis: RedisClient, old: str, new: str) -> bool:
    """Move one key; True when it went to a free name, False when it was merged into an existing one."""
    async with redis.pipeline(transaction=False) as pipe:
        pipe.dump(old)
        pipe.pttl(old)
        pipe.type(old)
        payload, ttl, kind = await pipe.execute()
    if payload is None:
        return True  # gone since the scan saw it (expired, or moved by a concurrent run)
    try:
        await redis.restore(new, max(int(ttl), 0), payload)
        moved = True
    except ResponseError as error:
        if "BUSYKEY" not in str(error):
            raise
        await _merge(redis, str(kind), old, new)
        moved = False
    await redis.delete(old)
    return moved


async def migrate_keys(redis: RedisClient) -> MigrationReport:
    """Move every key of the earlier layout to its current name, on one server or a whole cluster."""
    report = MigrationReport()
    # On a cluster, scan_iter visits every primary.
    async for key in redis.scan_iter(match=f"{NAMESPACE}:*", count=1000):
        new = current_name(key)
        if new is None:
            continue
        if await _move(redis, key, new):
            report.moved[_kind(key)] += 1
        else:
            report.merged[_kind(key)] += 1
    await redis.set(layout_key(), CURRENT_LAYOUT)
    return report


async def earlier_layout_present(redis: RedisClient) -> bool:
    """Whether keys of the earlier layout are waiting for `migrate-keys` (one GET once migrated)."""
    if await redis.get(layout_key()) == CURRENT_LAYOUT:
        return False
    async for key in redis.scan_iter(match=f"{NAMESPACE}:*", count=1000):
        if current_name(key) is not None:
            return True
    # Nothing to move: a new installation, or one whose old keys have all expired.
    await redis.set(layout_key(), CURRENT_LAYOUT)
    return False
