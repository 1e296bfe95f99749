"""Team rounds in Redis: one hash per assessment holding its round and each teammate's answers.

Every step that reads and changes a round is one Lua script over the round's hash (and the index of the
person acting, so that ``forget`` finds every round they answered), so concurrent answers, a close and a
second start never overwrite each other, on any number of processes. A round's keys carry the team's hash
tag like every other team key, and expire after the retention period counted from the last change.

Hash fields: ``number``, ``starter``, ``named`` ("1"/"0"), ``channel``, ``ts``, ``opened``, ``closed_by``,
``closed_at``, ``version``, ``revision``, and ``a:<user>`` (a RoundAnswer as JSON) per teammate.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, cast

from bot.storage.connection import RedisClient
from bot.storage.failures import guarded
from bot.storage.keys import assessment_key, round_key, round_painter_key, user_involved_key
from bot.storage.models import FORGOTTEN, RoundAnswer, TeamRound

_ANSWER = "a:"
PAINTER_SECONDS = 10  # longest a crashed painter blocks updates of its round's message

# Lua shared by the scripts. ``index`` lists the assessment in a person's index, keeping the index alive
# at least as long as the round and the assessment (``record`` is the assessment's key: a decided one never
# expires, and neither does an index that lists it); ``bump`` moves the round's revision on; ``current``
# says whether round ``number`` is open, closed (or replaced) or gone.
_LUA_SHARED = """
local function index(key, ttl, now, assessment, record)
  local before = redis.call('PTTL', key)
  redis.call('ZADD', key, now, assessment)
  if redis.call('TTL', record) == -1 then
    redis.call('PERSIST', key)
  elseif before == -2 or (before >= 0 and before < ttl * 1000) then
    redis.call('EXPIRE', key, ttl)
  end
end
local function bump(key)
  redis.call('HSET', key, 'revision', tonumber(redis.call('HGET', key, 'revision') or '0') + 1)
end
local function current(key, number)
  if redis.call('EXISTS', key) == 0 then return 'gone' end
  if redis.call('HGET', key, 'number') ~= number or redis.call('HEXISTS', key, 'closed_by') == 1 then
    return 'closed'
  end
  return 'open'
end
"""

# Open a round unless one is open. KEYS: round, the starter's index, the result author's index, assessment.
# ARGV: starter, named, channel, now, ttl, assessment id, result author ('' for none), their answer.
_OPEN = (
    _LUA_SHARED
    + """
if redis.call('EXISTS', KEYS[1]) == 1 and redis.call('HEXISTS', KEYS[1], 'closed_by') == 0 then
  return {'open', redis.call('HGETALL', KEYS[1])}
end
local number = tonumber(redis.call('HGET', KEYS[1], 'number') or '0') + 1
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], 'number', number, 'starter', ARGV[1], 'named', ARGV[2], 'channel', ARGV[3],
  'opened', ARGV[4], 'revision', 1)
index(KEYS[2], tonumber(ARGV[5]), ARGV[4], ARGV[6], KEYS[4])
if ARGV[7] ~= '' then
  redis.call('HSET', KEYS[1], 'a:' .. ARGV[7], ARGV[8])
  index(KEYS[3], tonumber(ARGV[5]), ARGV[4], ARGV[6], KEYS[4])
end
redis.call('EXPIRE', KEYS[1], ARGV[5])
return {'opened', redis.call('HGETALL', KEYS[1])}
"""
)

# Add or replace one person's answers in the open round. KEYS: round, their index, the assessment.
# ARGV: round number, user, answer, ttl, now, assessment id.
_ANSWER_SCRIPT = (
    _LUA_SHARED
    + """
local state = current(KEYS[1], ARGV[1])
if state == 'gone' then return {'gone'} end
if state == 'closed' then return {'closed', redis.call('HGETALL', KEYS[1])} end
redis.call('HSET', KEYS[1], 'a:' .. ARGV[2], ARGV[3])
bump(KEYS[1])
redis.call('EXPIRE', KEYS[1], ARGV[4])
index(KEYS[2], tonumber(ARGV[4]), ARGV[5], ARGV[6], KEYS[3])
return {'ok', redis.call('HGETALL', KEYS[1])}
"""
)

# Close the open round: only its starter may. KEYS: round. ARGV: round number, user, now, ttl.
_CLOSE = (
    _LUA_SHARED
    + """
local state = current(KEYS[1], ARGV[1])
if state == 'gone' then return {'gone'} end
if state == 'closed' then return {'closed', redis.call('HGETALL', KEYS[1])} end
if redis.call('HGET', KEYS[1], 'starter') ~= ARGV[2] then
  return {'not_starter', redis.call('HGETALL', KEYS[1])}
end
redis.call('HSET', KEYS[1], 'closed_by', ARGV[2], 'closed_at', ARGV[3])
bump(KEYS[1])
redis.call('EXPIRE', KEYS[1], ARGV[4])
return {'ok', redis.call('HGETALL', KEYS[1])}
"""
)

# After a close: record the version it published, or reopen when publishing failed. KEYS: round.
# ARGV: round number, version ('' to reopen).
_SETTLE = (
    _LUA_SHARED
    + """
if redis.call('HGET', KEYS[1], 'number') ~= ARGV[1] then return 0 end
if ARGV[2] == '' then
  redis.call('HDEL', KEYS[1], 'closed_by', 'closed_at')
else
  redis.call('HSET', KEYS[1], 'version', ARGV[2])
end
bump(KEYS[1])
return 1
"""
)

# Where the round's message is. KEYS: round. ARGV: round number, channel, ts.
_POSTED = (
    _LUA_SHARED
    + """
if redis.call('HGET', KEYS[1], 'number') ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], 'channel', ARGV[2], 'ts', ARGV[3])
bump(KEYS[1])
return 1
"""
)

# Take a person out of a round. KEYS: round. ARGV: user, the forgotten marker.
# Returns whether they were in it ('1'/'0'), then who else answered it.
_FORGET = (
    _LUA_SHARED
    + """
if redis.call('EXISTS', KEYS[1]) == 0 then return {'0'} end
local found = redis.call('HDEL', KEYS[1], 'a:' .. ARGV[1])
for _, field in ipairs({'starter', 'closed_by'}) do
  if redis.call('HGET', KEYS[1], field) == ARGV[1] then
    redis.call('HSET', KEYS[1], field, ARGV[2])
    found = 1
  end
end
if found == 0 then return {'0'} end
bump(KEYS[1])
local others = {'1'}
local flat = redis.call('HGETALL', KEYS[1])
for i = 1, #flat, 2 do
  if string.sub(flat[i], 1, 2) == 'a:' then table.insert(others, string.sub(flat[i], 3)) end
end
return others
"""
)

_RELEASE = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
"""


def _round(assessment: str, fields: Mapping[str, str]) -> TeamRound:
    answers = {
        field.removeprefix(_ANSWER): RoundAnswer.model_validate_json(value)
        for field, value in fields.items()
        if field.startswith(_ANSWER)
    }
    return TeamRound(
        assessment=assessment,
        number=int(fields["number"]),
        starter=fields["starter"],
        named=fields.get("named") == "1",
        channel=fields.get("channel", ""),
        ts=fields.get("ts") or None,
        opened=float(fields.get("opened", "0")),
        closed_by=fields.get("closed_by"),
        closed_at=float(fields["closed_at"]) if "closed_at" in fields else None,
        version=int(fields["version"]) if "version" in fields else None,
        revision=int(fields.get("revision", "0")),
        answers=answers,
    )


@dataclass(frozen=True)
class Outcome:
    """What a round step found: it happened ("ok"/"opened"), or why not, with the round as it is now."""

    status: str
    round: TeamRound | None

    @property
    def done(self) -> bool:
        return self.status in {"ok", "opened"}


class Rounds:
    def __init__(self, redis: RedisClient, *, retention_seconds: int) -> None:
        self.redis = redis
        self.retention_seconds = retention_seconds
        self._open = redis.register_script(_OPEN)
        self._answer = redis.register_script(_ANSWER_SCRIPT)
        self._close = redis.register_script(_CLOSE)
        self._settle = redis.register_script(_SETTLE)
        self._posted = redis.register_script(_POSTED)
        self._forget = redis.register_script(_FORGET)
        self._release = redis.register_script(_RELEASE)

    async def _step(self, script: Any, assessment: str, keys: list[str], args: list[Any]) -> Outcome:
        result = cast(list[Any], await guarded(lambda: script(keys=keys, args=args)))
        flat = result[1] if len(result) > 1 else None
        fields = dict(zip(flat[::2], flat[1::2], strict=True)) if flat else None
        return Outcome(str(result[0]), _round(assessment, fields) if fields else None)

    async def load(self, team: str, assessment: str) -> TeamRound | None:
        flat = cast(Mapping[str, str], await guarded(lambda: self.redis.hgetall(round_key(team, assessment))))
        if not flat or "number" not in flat:
            return None
        return _round(assessment, flat)

    async def open(
        self,
        team: str,
        assessment: str,
        *,
        starter: str,
        named: bool,
        channel: str,
        author: str | None,
        answers: Mapping[str, str],
    ) -> Outcome:
        """Open a round, with the posted answers entered for their ``author``; "open" with the round that
        is already open instead."""
        now = time.time()
        seed = (
            RoundAnswer(answers=dict(answers), at=now, from_result=True).model_dump_json() if author else ""
        )
        keys = [
            round_key(team, assessment),
            user_involved_key(team, starter),
            user_involved_key(team, author or starter),
            assessment_key(team, assessment),
        ]
        args = [starter, "1" if named else "0", channel, f"{now:.3f}", self.retention_seconds, assessment]
        return await self._step(self._open, assessment, keys, [*args, author or "", seed])

    async def posted(self, team: str, assessment: str, number: int, channel: str, ts: str) -> None:
        keys = [round_key(team, assessment)]
        await guarded(lambda: self._posted(keys=keys, args=[number, channel, ts]))

    async def discard(self, team: str, assessment: str, number: int) -> None:
        """Remove a round whose invitation could not be posted (nobody can have answered it)."""
        found = await self.load(team, assessment)
        if found is not None and found.number == number and found.ts is None:
            await guarded(lambda: self.redis.delete(round_key(team, assessment)))

    async def answer(
        self, team: str, assessment: str, number: int, user: str, answers: Mapping[str, str]
    ) -> Outcome:
        """Add the person's answers to round ``number``, replacing theirs if they answered before."""
        now = time.time()
        entry = RoundAnswer(answers=dict(answers), at=now).model_dump_json()
        keys = [round_key(team, assessment), user_involved_key(team, user), assessment_key(team, assessment)]
        args = [number, user, entry, self.retention_seconds, f"{now:.3f}", assessment]
        return await self._step(self._answer, assessment, keys, args)

    async def close(self, team: str, assessment: str, number: int, user: str) -> Outcome:
        keys = [round_key(team, assessment)]
        args = [number, user, f"{time.time():.3f}", self.retention_seconds]
        return await self._step(self._close, assessment, keys, args)

    async def published(self, team: str, assessment: str, number: int, version: int) -> None:
        keys = [round_key(team, assessment)]
        await guarded(lambda: self._settle(keys=keys, args=[number, version]))

    async def reopen(self, team: str, assessment: str, number: int) -> None:
        keys = [round_key(team, assessment)]
        await guarded(lambda: self._settle(keys=keys, args=[number, ""]))

    async def forget(self, team: str, assessment: str, user: str) -> tuple[bool, set[str]]:
        """Remove the person's answers and name from the assessment's round: whether they were in it, and
        who else answered it."""
        keys = [round_key(team, assessment)]
        found, *others = cast(
            list[Any], await guarded(lambda: self._forget(keys=keys, args=[user, FORGOTTEN]))
        )
        return str(found) == "1", {str(other) for other in others}

    async def delete(self, team: str, assessment: str) -> None:
        await guarded(lambda: self.redis.delete(round_key(team, assessment)))

    # --- the message painter -----------------------------------------------------------------------

    async def claim_painter(self, team: str, assessment: str) -> str | None:
        """A token when this process may update the round's message now; None while another one does."""
        token = uuid.uuid4().hex
        key = round_painter_key(team, assessment)
        claimed = await guarded(lambda: self.redis.set(key, token, nx=True, ex=PAINTER_SECONDS))
        return token if claimed else None

    async def release_painter(self, team: str, assessment: str, token: str) -> None:
        keys = [round_painter_key(team, assessment)]
        await guarded(lambda: self._release(keys=keys, args=[token]))

    async def revision(self, team: str, assessment: str) -> int:
        raw = await guarded(lambda: self.redis.hget(round_key(team, assessment), "revision"))
        return int(cast(str, raw)) if raw else 0
