"""All Redis access: drafts, assessments, votes, decisions and event de-duplication.

Every key is namespaced by team, and every key has a TTL except these, which live as long as the team's
record of a decision must:

- a decided assessment, its votes and its message key (the thread stays answerable);
- the indexes (``recent``, ``involved``) of everyone who took part in a decided assessment, so that
  ``forget`` still finds it;
- installations (``bot.storage.installations``), which go when the app is uninstalled;
- an Enterprise Grid organisation's list of its workspaces that have data, which goes when the
  organisation uninstalls the app;
- the team's index of decided assessments (``decided``), for the workspace's outcome figures on App Home;
  an assessment ``forget`` deletes leaves it too.

Each of those is deleted by ``/llm-approach forget`` (the person's own) or by uninstalling (the team's).

Writes to an assessment are compare-and-set: each stored record carries a revision, a write names the
revision it read, and a Lua script refuses it when the stored one has moved on; ``update_assessment`` then
reads again and re-applies the change, so concurrent edits, votes and decisions never overwrite each other.
Every key a script touches is passed in KEYS, and all of them belong to one team.
"""

from __future__ import annotations

import math
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Mapping
from collections.abc import Set as AbstractSet
from contextlib import asynccontextmanager
from dataclasses import dataclass
from functools import partial
from typing import Any, TypeVar, cast

from bot.storage.connection import RedisClient
from bot.storage.failures import StoreError, WriteConflict, guarded
from bot.storage.keys import (
    assessment_key,
    draft_key,
    enterprise_teams_key,
    event_key,
    every_assessment_pattern,
    legacy_team_decisions_key,
    message_key,
    submitted_key,
    team_and_id,
    team_assessment_pattern,
    team_decided_key,
    team_pattern,
    user_drafts_key,
    user_involved_key,
    user_posted_key,
    user_recent_key,
    votes_key,
)
from bot.storage.models import (
    FORGOTTEN,
    NEW_DRAFT,
    Decision,
    DecisionFacts,
    Draft,
    PendingReview,
    StoredAssessment,
    Version,
    round_draft,
    vote_value,
)
from bot.storage.rounds import Rounds
from scoring import Assessment

DRAFT_TTL_SECONDS = 7 * 24 * 3600
EVENT_TTL_SECONDS = 3600  # Slack retries for up to about 6 minutes
WRITE_ATTEMPTS = (
    5  # compare-and-set retries before giving up: only a storm of writes to one record needs more
)
_ANSWER_FIELD = "q:"
T = TypeVar("T")


class StaleBase(Exception):
    """An edit started from a version that is no longer the latest (``latest`` is the stored record)."""

    def __init__(self, latest: StoredAssessment) -> None:
        super().__init__(f"assessment {latest.id} is at version {latest.version}")
        self.latest = latest


@dataclass(frozen=True)
class AlreadyPosted:
    """This filling of the questionnaire was already posted (another tab, a double submit): here."""

    channel: str
    ts: str


@dataclass(frozen=True)
class BeingPosted:
    """This filling of the questionnaire is being posted right now by another submit."""


@dataclass(frozen=True)
class DraftGone:
    """The draft disappeared between saving its last page and setting it aside (forgotten or expired)."""


DraftState = AlreadyPosted | BeingPosted | DraftGone


@dataclass(frozen=True)
class ForgetReport:
    drafts: int  # drafts deleted
    deleted: int  # assessments the person started that nobody else took part in: deleted
    anonymised: int  # assessments others took part in: kept, without the person's name, votes or rationales
    rounds: tuple[str, ...] = ()  # assessments whose team round the person was taken out of (and that remain)
    # Reviews Slack still holds for what was deleted, or that mention the person: the caller deletes them.
    reviews: tuple[PendingReview, ...] = ()


# Change to a stored assessment: given the latest record and its votes, the record to store. It may raise to
# refuse; it is called again with the newer record when another write got in first.
Change = Callable[[StoredAssessment, Mapping[str, str]], StoredAssessment]


def _draft_from_hash(raw: Mapping[str, str]) -> Draft | None:
    if not raw:
        return None
    answers = {k.removeprefix(_ANSWER_FIELD): v for k, v in raw.items() if k.startswith(_ANSWER_FIELD)}
    base = raw.get("base")
    return Draft(
        answers=answers,
        page=int(raw.get("page", "1")),
        channel=raw.get("channel") or None,
        updated=float(raw.get("updated", "0")),
        base=int(base) if base and base.isdigit() else None,
        instance=raw.get("instance") or None,
    )


def _set_aside_entry(draft_id: str, instance: str | None) -> str:
    """A set-aside draft's entry in the person's drafts index (next to plain draft ids), for ``forget``."""
    return f"{draft_id}/{instance or ''}"


def _draft_keys_of(team: str, user: str, entry: str) -> tuple[str, ...]:
    """The keys an entry of the drafts index names: a set-aside draft's, or a draft's (and its legacy
    set-aside key, from before set-aside drafts were kept per instance)."""
    draft_id, aside, instance = entry.partition("/")
    if aside:
        return (submitted_key(team, user, draft_id, instance),)
    return draft_key(team, user, draft_id), submitted_key(team, user, draft_id)


def _pairs(flat: list[str]) -> dict[str, str]:
    return dict(zip(flat[::2], flat[1::2], strict=True))


def _posted(value: str) -> AlreadyPosted:
    channel, _, ts = value.partition(" ")
    return AlreadyPosted(channel, ts)


# Lua shared by the assessment scripts. ``voters_unchanged`` checks that the votes hash holds exactly the
# voters the caller saw (ARGV[first] = n, then n user ids): their indexes must follow the record's TTL.
_LUA_VOTERS_UNCHANGED = """
local function voters_unchanged(votes, first)
  local n = tonumber(ARGV[first])
  if redis.call('HLEN', votes) ~= n then return false end
  for i = first + 1, first + n do
    if redis.call('HEXISTS', votes, ARGV[i]) == 0 then return false end
  end
  return true
end
local function revision_matches(current, expected)
  if expected == 'new' then return not current end
  if not current then return false end
  return tostring(cjson.decode(current)['revision'] or 0) == expected
end
"""

# Drafts belong to one filling of the form, its instance (stored in the draft's hash; '' for a form opened by
# an earlier release). A write that finishes, discards, replaces or restores a draft names the instance it is
# for and leaves a draft of another instance alone: a person's next form is never lost to the last one's
# result landing late, and two results being posted at once each have their own set-aside key.
_LUA_OWNS = """
local function owns(draft, instance)
  return (redis.call('HGET', draft, 'instance') or '') == instance
end
"""

# Store a draft page. KEYS: draft, the instance's set-aside draft, the person's posted hash, drafts index.
# ARGV: instance ('' if unknown), draft id, ttl, n cleared fields, those fields, then field/value pairs.
_SAVE_ANSWERS = """
local instance = ARGV[1]
if instance ~= '' then
  local posted = redis.call('HGET', KEYS[3], instance)
  if posted then return {'posted', posted} end
  if redis.call('EXISTS', KEYS[2]) == 1 then return {'posting'} end
end
local cleared = tonumber(ARGV[4])
if cleared > 0 then redis.call('HDEL', KEYS[1], unpack(ARGV, 5, 4 + cleared)) end
redis.call('HSET', KEYS[1], unpack(ARGV, 5 + cleared))
if instance ~= '' then redis.call('HSETNX', KEYS[1], 'instance', instance) end
redis.call('EXPIRE', KEYS[1], ARGV[3])
redis.call('SADD', KEYS[4], ARGV[2])
redis.call('EXPIRE', KEYS[4], ARGV[3])
return {'saved', redis.call('HGETALL', KEYS[1])}
"""

# Move a finished draft aside while it is posted. KEYS: draft, the instance's set-aside draft, posted hash,
# drafts index. ARGV: instance, its index entry, ttl. A draft of another instance there is not this one: gone.
_SET_ASIDE = (
    _LUA_OWNS
    + """
if ARGV[1] ~= '' then
  local posted = redis.call('HGET', KEYS[3], ARGV[1])
  if posted then return {'posted', posted} end
end
if redis.call('EXISTS', KEYS[2]) == 1 then return {'posting'} end
if redis.call('EXISTS', KEYS[1]) == 1 and owns(KEYS[1], ARGV[1]) then
  redis.call('RENAME', KEYS[1], KEYS[2])
  redis.call('SADD', KEYS[4], ARGV[2])
  redis.call('EXPIRE', KEYS[4], ARGV[3])
  return {'set_aside'}
end
return {'gone'}
"""
)

# The draft became a posted version. KEYS: draft, the instance's set-aside draft, posted hash.
# ARGV: instance, where it was posted ("channel ts"), ttl. (The drafts index keeps the set-aside entry until
# it expires: ``forget`` deleting a key that is gone costs nothing, and the bot's ACL needs no SREM.)
_FINISH = (
    _LUA_OWNS
    + """
redis.call('DEL', KEYS[2])
if owns(KEYS[1], ARGV[1]) then redis.call('DEL', KEYS[1]) end
if ARGV[1] ~= '' then
  redis.call('HSET', KEYS[3], ARGV[1], ARGV[2])
  redis.call('EXPIRE', KEYS[3], ARGV[3])
end
return 'ok'
"""
)

# Posting failed: the set-aside answers become the draft again, unless the person started another form since.
# KEYS: draft, the instance's set-aside draft.
_RESTORE = """
if redis.call('EXISTS', KEYS[2]) == 0 then return 'gone' end
if redis.call('EXISTS', KEYS[1]) == 1 then return 'taken' end
redis.call('RENAME', KEYS[2], KEYS[1])
return 'restored'
"""

# Drop a draft, only the instance's own. KEYS: draft. ARGV: instance.
_DISCARD = (
    _LUA_OWNS
    + """
if redis.call('EXISTS', KEYS[1]) == 1 and owns(KEYS[1], ARGV[1]) then
  redis.call('DEL', KEYS[1])
  return 1
end
return 0
"""
)

# Start a draft afresh, unless another instance's draft is there. KEYS: draft, drafts index.
# ARGV: instance, ttl, draft id, then field/value pairs.
_REPLACE = (
    _LUA_OWNS
    + """
if redis.call('EXISTS', KEYS[1]) == 1 and not owns(KEYS[1], ARGV[1]) then return 0 end
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], unpack(ARGV, 4))
redis.call('EXPIRE', KEYS[1], ARGV[2])
redis.call('SADD', KEYS[2], ARGV[3])
redis.call('EXPIRE', KEYS[2], ARGV[2])
return 1
"""
)

# Write an assessment if it is still at the revision the caller read, and keep its keys' lifetimes in step.
# KEYS: 1 assessment, 2 its votes, 3 its message key, 4.. the index of each person who took part.
# ARGV: 1 expected revision ('new': must not exist yet), 2 the record (JSON), 3 its id,
#       4 ttl in seconds (> 0: expire then; 0: never expire; -1: keep the current expiry, indexes untouched),
#       5 now (an index's score), 6 a voter whose vote to remove ('' for none),
#       7 n voters the caller saw, 8..7+n those voters, then one flag per index: 'touch' or 'keep'.
_WRITE = (
    _LUA_VOTERS_UNCHANGED
    + """
local current = redis.call('GET', KEYS[1])
if ARGV[1] ~= 'new' and not current then return 'gone' end
if not revision_matches(current, ARGV[1]) or not voters_unchanged(KEYS[2], 7) then return 'conflict' end
if ARGV[6] ~= '' then redis.call('HDEL', KEYS[2], ARGV[6]) end
local ttl = tonumber(ARGV[4])
if ttl == -1 then
  redis.call('SET', KEYS[1], ARGV[2], 'KEEPTTL')
  return 'ok'
end
if ttl > 0 then
  redis.call('SET', KEYS[1], ARGV[2], 'EX', ttl)
  redis.call('SET', KEYS[3], ARGV[3], 'EX', ttl)
  if redis.call('EXISTS', KEYS[2]) == 1 then redis.call('EXPIRE', KEYS[2], ttl) end
else
  redis.call('SET', KEYS[1], ARGV[2])
  redis.call('SET', KEYS[3], ARGV[3])
  redis.call('PERSIST', KEYS[2])
end
local flags = 8 + tonumber(ARGV[7])
for i = 4, #KEYS do
  local before = redis.call('PTTL', KEYS[i])
  if ARGV[flags + i - 4] == 'touch' then
    redis.call('ZADD', KEYS[i], ARGV[5], ARGV[3])
  else
    redis.call('ZADD', KEYS[i], 'NX', ARGV[5], ARGV[3])
  end
  -- An index lives at least as long as every assessment it lists.
  if ttl == 0 then
    redis.call('PERSIST', KEYS[i])
  elseif before == -2 or (before >= 0 and before < ttl * 1000) then
    redis.call('EXPIRE', KEYS[i], ttl)
  end
end
return 'ok'
"""
)

# Delete an assessment nobody else took part in. KEYS: assessment, votes, message key.
# ARGV: 1 expected revision, 2 n voters the caller saw, 3.. those voters.
_DELETE = (
    _LUA_VOTERS_UNCHANGED
    + """
local current = redis.call('GET', KEYS[1])
if not current then return 'gone' end
if not revision_matches(current, ARGV[1]) or not voters_unchanged(KEYS[2], 2) then return 'conflict' end
redis.call('DEL', KEYS[1], KEYS[2], KEYS[3])
return 'ok'
"""
)

# Record one vote, only on an assessment that exists. KEYS: assessment, votes, the voter's involved index.
# ARGV: voter, vote, assessment id, now. Votes and the index live as long as the assessment.
_VOTE = """
local ttl = redis.call('TTL', KEYS[1])
if ttl == -2 then return false end
redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
local before = redis.call('TTL', KEYS[3])
redis.call('ZADD', KEYS[3], ARGV[4], ARGV[3])
if ttl == -1 then
  redis.call('PERSIST', KEYS[2])
  redis.call('PERSIST', KEYS[3])
else
  redis.call('EXPIRE', KEYS[2], ttl)
  if before == -2 or (before >= 0 and before < ttl) then redis.call('EXPIRE', KEYS[3], ttl) end
end
return {redis.call('GET', KEYS[1]), redis.call('HGETALL', KEYS[2])}
"""


def anonymised(record: StoredAssessment, user: str) -> StoredAssessment:
    """The record without the person: their name on it, on versions, decisions and outcomes, becomes
    FORGOTTEN, and the rationales and outcome notes they wrote are removed. What the team decided, and when,
    stays."""

    def who(by: str) -> str:
        return FORGOTTEN if by == user else by

    return record.model_copy(
        update={
            "user": who(record.user),
            "versions": [v.model_copy(update={"by": who(v.by)}) for v in record.versions],
            "decisions": [
                d.model_copy(update={"by": FORGOTTEN, "rationale": ""}) if d.by == user else d
                for d in record.decisions
            ],
            "outcomes": [
                o.model_copy(update={"by": FORGOTTEN, "measured": "", "learned": ""}) if o.by == user else o
                for o in record.outcomes
            ],
            # A pending review mentions the person who decided: it goes with them (the caller deletes it).
            "review": None if record.review and record.review.by == user else record.review,
        }
    )


class Store:
    def __init__(self, redis: RedisClient, *, retention_seconds: int) -> None:
        self.redis = redis
        self.retention_seconds = retention_seconds
        self._save_answers = redis.register_script(_SAVE_ANSWERS)
        self._set_aside = redis.register_script(_SET_ASIDE)
        self._finish = redis.register_script(_FINISH)
        self._restore = redis.register_script(_RESTORE)
        self._discard = redis.register_script(_DISCARD)
        self._replace = redis.register_script(_REPLACE)
        self._write = redis.register_script(_WRITE)
        self._delete = redis.register_script(_DELETE)
        self._vote = redis.register_script(_VOTE)
        self.rounds = Rounds(redis, retention_seconds=retention_seconds)

    async def _run(self, operation: Callable[[], Awaitable[T]]) -> T:
        return await guarded(operation)

    @asynccontextmanager
    async def _pipeline(self) -> AsyncIterator[Any]:
        async with self.redis.pipeline(transaction=True) as pipe:
            yield pipe

    async def ping(self) -> bool:
        try:
            return bool(await self._run(self.redis.ping))
        except StoreError:
            return False

    async def close(self) -> None:
        await self.redis.aclose()

    # --- drafts ----------------------------------------------------------------------------------------

    async def load_draft(self, team: str, user: str, draft_id: str = NEW_DRAFT) -> Draft | None:
        raw = await self._run(lambda: self.redis.hgetall(draft_key(team, user, draft_id)))
        return _draft_from_hash(cast(dict[str, str], raw))

    async def save_answers(
        self,
        team: str,
        user: str,
        draft_id: str,
        answers: dict[str, str],
        *,
        page: int,
        channel: str | None,
        cleared: tuple[str, ...] = (),
        instance: str | None = None,
    ) -> Draft | AlreadyPosted | BeingPosted:
        """Merge answers into the draft, refresh its TTL and return the whole draft, in one round trip.

        With the draft's ``instance``, a page of a draft that was already posted, or is being posted by
        another submit, is not saved (it would start a stray draft): where it went is returned instead.
        """
        fields: dict[str, str] = {f"{_ANSWER_FIELD}{k}": v for k, v in answers.items()}
        fields.update(page=str(page), updated=f"{time.time():.3f}")
        if channel:
            fields["channel"] = channel
        removed = [f"{_ANSWER_FIELD}{k}" for k in cleared]
        keys = [
            draft_key(team, user, draft_id),
            submitted_key(team, user, draft_id, instance or ""),
            user_posted_key(team, user),
            user_drafts_key(team, user),
        ]
        args: list[Any] = [instance or "", draft_id, DRAFT_TTL_SECONDS, len(removed), *removed]
        args += [item for pair in fields.items() for item in pair]
        result = cast(list[Any], await self._run(lambda: self._save_answers(keys=keys, args=args)))
        if result[0] == "posted":
            return _posted(result[1])
        if result[0] == "posting":
            return BeingPosted()
        draft = _draft_from_hash(_pairs(result[1]))
        assert draft is not None  # just written by the same script
        return draft

    async def replace_draft(
        self,
        team: str,
        user: str,
        draft_id: str,
        answers: dict[str, str],
        *,
        page: int,
        channel: str | None,
        base: int | None = None,
        instance: str | None = None,
    ) -> bool:
        """Start (or restart) a draft with these answers: an edit's starts from version ``base``.

        False, and nothing written, when the draft there belongs to another filling of the form.
        """
        fields = {f"{_ANSWER_FIELD}{k}": v for k, v in answers.items()}
        fields.update(page=str(page), updated=f"{time.time():.3f}", channel=channel or "")
        if base is not None:
            fields["base"] = str(base)
        if instance:
            fields["instance"] = instance
        keys = [draft_key(team, user, draft_id), user_drafts_key(team, user)]
        args: list[Any] = [instance or "", DRAFT_TTL_SECONDS, draft_id]
        args += [item for pair in fields.items() for item in pair]
        return bool(await self._run(lambda: self._replace(keys=keys, args=args)))

    async def set_aside_draft(
        self, team: str, user: str, draft_id: str, instance: str | None = None
    ) -> DraftState | None:
        """Move a finished draft out of the way of the next /llm-approach while its result is posted.

        None when it was set aside; otherwise why not: already posted (another submit won), being posted, or
        gone (forgotten, expired or replaced by another form since its last page was saved).
        """
        keys = [
            draft_key(team, user, draft_id),
            submitted_key(team, user, draft_id, instance or ""),
            user_posted_key(team, user),
            user_drafts_key(team, user),
        ]
        args: list[Any] = [instance or "", _set_aside_entry(draft_id, instance), DRAFT_TTL_SECONDS]
        result = cast(list[str], await self._run(lambda: self._set_aside(keys=keys, args=args)))
        if result[0] == "set_aside":
            return None
        if result[0] == "posted":
            return _posted(result[1])
        return BeingPosted() if result[0] == "posting" else DraftGone()

    async def restore_draft(self, team: str, user: str, draft_id: str, instance: str | None = None) -> bool:
        """Posting failed: put the set-aside answers back as the person's draft.

        False when they could not be: the person started another form since (its draft is left alone), or
        the set-aside answers are gone (forgotten).
        """
        keys = [draft_key(team, user, draft_id), submitted_key(team, user, draft_id, instance or "")]
        return bool(await self._run(lambda: self._restore(keys=keys, args=[])) == "restored")

    async def discard_draft(self, team: str, user: str, draft_id: str, instance: str | None) -> bool:
        """Drop the draft of this filling of the form; False (nothing dropped) when the draft there is
        another's, or there is none."""
        key = draft_key(team, user, draft_id)
        return bool(await self._run(lambda: self._discard(keys=[key], args=[instance or ""])))

    async def finish_draft(
        self, team: str, user: str, draft_id: str, instance: str | None, posted: str
    ) -> None:
        """The draft became a posted version: drop it, remember where it went (``posted``: "channel ts").

        A draft of another instance (the person's next form) is left alone."""
        keys, args = self._finish_args(team, user, draft_id, instance=instance, posted=posted)
        await self._run(lambda: self._finish(keys=keys, args=args))

    @staticmethod
    def _finish_args(
        team: str, user: str, draft_id: str, *, instance: str | None, posted: str
    ) -> tuple[list[str], list[Any]]:
        keys = [
            draft_key(team, user, draft_id),
            submitted_key(team, user, draft_id, instance or ""),
            user_posted_key(team, user),
        ]
        return keys, [instance or "", posted, DRAFT_TTL_SECONDS]

    # --- assessments -----------------------------------------------------------------------------------

    def _ttl_of(self, record: StoredAssessment) -> int:
        # A recorded decision is the team's history: kept until `/llm-approach forget`, not expired.
        return 0 if record.decision else self.retention_seconds

    def _indexes(
        self, record: StoredAssessment, voters: Iterable[str], *, touched: Iterable[str], new: bool
    ) -> tuple[list[str], list[str]]:
        """The index of everyone who took part, and for each whether to move the assessment to its top."""
        team, touched = record.team, set(touched) - {FORGOTTEN}
        keys, flags = [], []
        if record.user != FORGOTTEN:
            keys.append(user_recent_key(team, record.user))
            flags.append("touch" if new else "keep")
        for person in sorted((record.participants | set(voters) | touched) - {FORGOTTEN}):
            keys.append(user_involved_key(team, person))
            flags.append("touch" if person in touched else "keep")
        return keys, flags

    def _write_args(
        self,
        record: StoredAssessment,
        expected: str,
        voters: Iterable[str],
        *,
        touched: Iterable[str],
        ttl: int | None = None,
        remove_voter: str = "",
    ) -> tuple[list[str], list[Any]]:
        """KEYS and ARGV of the compare-and-set write (_WRITE) of ``record``."""
        if record.ts is None:
            raise ValueError("only a posted assessment is stored")
        team, seen = record.team, sorted(voters)
        remaining = [voter for voter in seen if voter != remove_voter]
        index_keys, flags = (
            ([], [])
            if ttl == -1
            else self._indexes(record, remaining, touched=touched, new=expected == "new")
        )
        keys = [
            assessment_key(team, record.id),
            votes_key(team, record.id),
            message_key(team, record.channel, record.ts),
            *index_keys,
        ]
        args: list[Any] = [
            expected,
            record.model_dump_json(),
            record.id,
            self._ttl_of(record) if ttl is None else ttl,
            f"{time.time():.3f}",
            remove_voter,
            len(seen),
            *seen,
            *flags,
        ]
        return keys, args

    async def _call(self, script: Any, keys: list[str], args: list[Any]) -> Any:
        return await self._run(lambda: script(keys=keys, args=args))

    async def create_assessment(
        self, record: StoredAssessment, *, finished_draft: str | None = None, instance: str | None = None
    ) -> None:
        """Store a just-posted assessment with its indexes, and drop the draft it came from, in one
        transaction (remembering where the draft was posted, for a second submit of it)."""
        keys, args = self._write_args(record, "new", (), touched=(record.user,))

        async def run() -> list[Any]:
            async with self._pipeline() as pipe:
                # EVAL, not the script's EVALSHA: a Redis Cluster pipeline refuses EVALSHA (redis-py), and
                # the write must share one transaction with dropping the draft.
                pipe.eval(self._write.script, len(keys), *keys, *args)
                if finished_draft is not None:
                    where = f"{record.channel} {record.ts}"
                    finish_keys, finish_args = self._finish_args(
                        record.team, record.user, finished_draft, instance=instance, posted=where
                    )
                    pipe.eval(self._finish.script, len(finish_keys), *finish_keys, *finish_args)
                return list(await pipe.execute())

        results = await self._run(run)
        if results[0] != "ok":
            raise WriteConflict(f"assessment {record.id} already exists")

    async def load_assessment(self, team: str, assessment_id: str) -> StoredAssessment | None:
        raw = await self._run(lambda: self.redis.get(assessment_key(team, assessment_id)))
        return StoredAssessment.model_validate_json(raw) if raw else None

    async def _load_with_votes(
        self, team: str, assessment_id: str
    ) -> tuple[StoredAssessment, dict[str, str]] | None:
        async def run() -> list[Any]:
            async with self.redis.pipeline(transaction=False) as pipe:
                pipe.get(assessment_key(team, assessment_id))
                pipe.hgetall(votes_key(team, assessment_id))
                return list(await pipe.execute())

        raw, votes = await self._run(run)
        if not raw:
            return None
        return StoredAssessment.model_validate_json(raw), dict(votes)

    async def update_assessment(
        self, team: str, assessment_id: str, change: Change, *, actor: str, touch_everyone: bool = False
    ) -> tuple[StoredAssessment, dict[str, str]] | None:
        """Apply ``change`` to the latest stored record and store the result, unless another write got in
        first: then read again and apply it to that (compare-and-set, at most WRITE_ATTEMPTS times).

        Returns the stored record and its votes, or None when the assessment no longer exists. Whatever
        ``change`` raises (to refuse) propagates. The actor's index lists the assessment at its top; with
        ``touch_everyone`` (a decision) everyone's does.
        """
        for _ in range(WRITE_ATTEMPTS):
            loaded = await self._load_with_votes(team, assessment_id)
            if loaded is None:
                return None
            current, votes = loaded
            changed = change(current, votes).model_copy(update={"revision": current.revision + 1})
            touched = {actor, *changed.participants, *votes} if touch_everyone else {actor}
            keys, args = self._write_args(changed, str(current.revision), votes, touched=touched)
            outcome = await self._call(self._write, keys, args)
            if outcome == "ok":
                return changed, votes
            if outcome == "gone":
                return None
        raise WriteConflict(f"assessment {assessment_id}: {WRITE_ATTEMPTS} writes in a row were overtaken")

    async def add_version(
        self, team: str, assessment_id: str, version: Version, result: Assessment, *, base: int
    ) -> tuple[StoredAssessment, dict[str, str]] | None:
        """Make ``version`` (edited from version ``base``, scored as ``result``) the current one, keeping
        whatever else was recorded meanwhile (votes, decisions). StaleBase when a newer version than
        ``base`` exists by now: the edit must not be published over it."""

        def change(latest: StoredAssessment, _: Mapping[str, str]) -> StoredAssessment:
            if latest.version != base:
                raise StaleBase(latest)
            return latest.model_copy(
                update={"answers": version.answers, "result": result, "versions": [*latest.versions, version]}
            )

        return await self.update_assessment(team, assessment_id, change, actor=version.by)

    async def find_by_message(self, team: str, channel: str, ts: str) -> StoredAssessment | None:
        """The assessment posted as the message (channel, ts).

        Two reads: the assessment's key is known only once the message's is read, and a script may touch
        only the keys it is given (a cluster refuses the others).
        """
        assessment_id = cast(
            str | None, await self._run(lambda: self.redis.get(message_key(team, channel, ts)))
        )
        if not assessment_id:
            return None
        return await self.load_assessment(team, assessment_id)

    async def recent_assessments(self, team: str, user: str, limit: int = 5) -> list[StoredAssessment]:
        """The assessments a person started, newest first."""
        return await self._load_many(team, user_recent_key(team, user), limit)

    async def decisions_involving(self, team: str, user: str, limit: int = 5) -> list[StoredAssessment]:
        """Decided assessments the person took part in (started, edited, voted on or decided), most recently
        decided first. Assessments in channels they merely can see are not listed: telling those apart needs
        scopes the app does not ask for."""
        candidates = await self._load_many(team, user_involved_key(team, user), 50)
        decided = [record for record in candidates if record.decision is not None]
        decided.sort(key=lambda record: -cast(Decision, record.decision).at)
        return decided[:limit]

    async def note_decided(self, record: StoredAssessment) -> None:
        """Keep a decided assessment's facts in the team's index (the workspace's outcome figures)."""
        facts = record.facts
        if facts is not None:
            key, value = team_decided_key(record.team), facts.model_dump_json()
            await self._run(lambda: self.redis.hset(key, record.id, value))

    async def decided_facts(self, team: str) -> list[DecisionFacts]:
        """The facts of every decided assessment of the team: a few dozen bytes each, in one read."""
        raw = cast(dict[str, str], await self._run(lambda: self.redis.hgetall(team_decided_key(team))))
        return [DecisionFacts.model_validate_json(value) for value in raw.values()]

    async def _load_many(self, team: str, index: str, limit: int) -> list[StoredAssessment]:
        ids = cast(list[str], await self._run(lambda: self.redis.zrevrange(index, 0, limit - 1)))
        if not ids:
            return []
        raws = await self._run(lambda: self.redis.mget([assessment_key(team, i) for i in ids]))
        return [StoredAssessment.model_validate_json(raw) for raw in raws if raw]

    # --- forgetting ------------------------------------------------------------------------------------

    async def forget_user(self, team: str, user: str) -> ForgetReport:
        """Remove a person's data everywhere, at a cost in proportion to their data (no scan).

        Their drafts go. An assessment they started that nobody else took part in goes, with its votes.
        Every other assessment they took part in stays for the others, without them: their votes are removed,
        their name on it (as starter, editor or decider) is replaced, and the rationales they wrote are
        removed (``anonymised``).
        """
        indexes = [
            user_drafts_key(team, user),
            user_recent_key(team, user),
            user_involved_key(team, user),
            user_posted_key(team, user),
        ]

        async def read_indexes() -> list[Any]:
            async with self.redis.pipeline(transaction=False) as pipe:
                pipe.smembers(indexes[0])
                pipe.zrange(indexes[1], 0, -1)
                pipe.zrange(indexes[2], 0, -1)
                return list(await pipe.execute())

        draft_ids, started, involved = await self._run(read_indexes)
        assessment_ids = list(dict.fromkeys([*started, *involved]))
        # Drafts made before drafts were indexed: the new-assessment draft, and edits of assessments above.
        draft_ids = {*draft_ids, NEW_DRAFT, *assessment_ids, *map(round_draft, assessment_ids)}
        draft_keys = [k for entry in draft_ids for k in _draft_keys_of(team, user, entry)]
        drafts = int(await self._run(lambda: self.redis.delete(*draft_keys)))

        deleted = anonymised_count = 0
        rounds: list[str] = []
        reviews: list[PendingReview] = []
        for assessment_id in assessment_ids:
            # Their answers in the assessment's team round go first; teammates who answered it took part.
            in_round, others = await self.rounds.forget(team, assessment_id, user)
            outcome, review = await self._forget_in(team, assessment_id, user, others=others)
            if review is not None:
                reviews.append(review)
            if outcome == "deleted":
                await self.rounds.delete(team, assessment_id)
                await self._run(partial(self.redis.hdel, team_decided_key(team), assessment_id))
            elif in_round:
                rounds.append(assessment_id)
            deleted += outcome == "deleted"
            anonymised_count += outcome == "anonymised"
        await self._run(lambda: self.redis.delete(*indexes))
        return ForgetReport(
            drafts=drafts,
            deleted=deleted,
            anonymised=anonymised_count,
            rounds=tuple(rounds),
            reviews=tuple(reviews),
        )

    async def _forget_in(
        self, team: str, assessment_id: str, user: str, *, others: AbstractSet[str] = frozenset()
    ) -> tuple[str, PendingReview | None]:
        """Take the person out of one assessment: 'deleted', 'anonymised' or 'absent', and the pending review
        that went with it (to delete at Slack). ``others`` took part in it besides those the record and its
        votes name (its team round)."""
        for _ in range(WRITE_ATTEMPTS):
            loaded = await self._load_with_votes(team, assessment_id)
            if loaded is None:
                return "absent", None
            record, votes = loaded
            if user not in record.participants and user not in votes:
                return "absent", None
            if record.user == user and not (record.participants | set(votes) | others) - {user}:
                keys = [assessment_key(team, record.id), votes_key(team, record.id)]
                keys.append(message_key(team, record.channel, record.ts) if record.ts else keys[0])
                args = [str(record.revision), len(votes), *sorted(votes)]
                outcome = await self._call(self._delete, keys, args)
                if outcome != "conflict":
                    return ("deleted", record.review) if outcome == "ok" else ("absent", None)
                continue
            without = anonymised(record, user).model_copy(update={"revision": record.revision + 1})
            keys, args = self._write_args(
                without, str(record.revision), votes, touched=(), ttl=-1, remove_voter=user
            )
            outcome = await self._call(self._write, keys, args)
            if outcome != "conflict":
                if outcome != "ok":
                    return "absent", None
                dropped = record.review if record.review and without.review is None else None
                return "anonymised", dropped
        raise WriteConflict(f"assessment {assessment_id}: {WRITE_ATTEMPTS} writes in a row were overtaken")

    # --- upgrading ---------------------------------------------------------------------------------------

    async def reindex(self) -> int:
        """Index every stored assessment for everyone who took part in it, with the lifetimes this release
        keeps; the number of assessments indexed.

        For an operator to run once after upgrading from the previous release, which indexed only who
        started an assessment (for 90 days, even when it was decided and kept for good): without this,
        ``forget`` would miss votes and decisions made before the upgrade, and decided assessments whose old
        index expired. One pass over the keyspace (SCAN); it also drops the previous release's team
        decision lists, which had no TTL.
        """
        indexed, teams = 0, set()
        async for key in self.redis.scan_iter(match=every_assessment_pattern(), count=500):
            team, assessment_id = team_and_id(str(key))
            teams.add(team)
            indexed += await self._reindex_one(team, assessment_id)
        if teams:
            await self._run(lambda: self.redis.delete(*(legacy_team_decisions_key(t) for t in teams)))
        return indexed

    async def _reindex_one(self, team: str, assessment_id: str) -> bool:
        for _ in range(WRITE_ATTEMPTS):
            loaded = await self._load_with_votes(team, assessment_id)
            if loaded is None or loaded[0].ts is None:
                return False
            record, votes = loaded
            remaining = int(await self._run(lambda: self.redis.pttl(assessment_key(team, assessment_id))))
            if remaining == -2:
                return False
            ttl = 0 if remaining == -1 else max(1, math.ceil(remaining / 1000))
            rewritten = record.model_copy(update={"revision": record.revision + 1})
            keys, args = self._write_args(rewritten, str(record.revision), votes, touched=(), ttl=ttl)
            outcome = await self._call(self._write, keys, args)
            if outcome != "conflict":
                if outcome == "ok":
                    await self.note_decided(record)
                return bool(outcome == "ok")
        raise WriteConflict(f"assessment {assessment_id}: {WRITE_ATTEMPTS} writes in a row were overtaken")

    async def team_assessments(self, team: str | None = None) -> AsyncIterator[StoredAssessment]:
        """Every stored assessment of one team (or of every team), in no order: one SCAN of the keyspace,
        for operators' reports and for uninstalling, never for a request."""
        pattern = every_assessment_pattern() if team is None else team_assessment_pattern(team)
        batch: list[str] = []
        async for key in self.redis.scan_iter(match=pattern, count=500):
            batch.append(str(key))
            if len(batch) >= 200:
                for record in await self._load_keys(batch):
                    yield record
                batch = []
        if batch:
            for record in await self._load_keys(batch):
                yield record

    async def _load_keys(self, keys: list[str]) -> list[StoredAssessment]:
        # One MGET per team: on a cluster a multi-key read must stay within one hash slot.
        by_team: dict[str, list[str]] = {}
        for key in keys:
            by_team.setdefault(team_and_id(key)[0], []).append(key)
        records = []
        for same_team in by_team.values():
            raws = await self._run(partial(self.redis.mget, same_team))
            records += [StoredAssessment.model_validate_json(raw) for raw in raws if raw]
        return records

    async def forget_team(self, team: str) -> int:
        """Delete everything stored for a workspace; the number of keys deleted."""

        async def run() -> int:
            deleted = 0
            batch: list[str] = []
            # All of a team's keys share one hash slot; on a cluster scan_iter visits every primary, so a
            # slot being moved between two of them is covered too.
            async for key in self.redis.scan_iter(match=team_pattern(team), count=500):
                batch.append(key)
                if len(batch) >= 500:
                    deleted += int(await self.redis.delete(*batch))
                    batch.clear()
            if batch:
                deleted += int(await self.redis.delete(*batch))
            return deleted

        return await self._run(run)

    # --- Enterprise Grid organisations ----------------------------------------------------------------

    async def remember_enterprise_team(self, enterprise: str, team: str) -> None:
        """Note that a workspace of an org-wide installation has (or is about to have) data here."""
        await self._run(lambda: self.redis.sadd(enterprise_teams_key(enterprise), team))

    async def enterprise_teams(self, enterprise: str) -> set[str]:
        return {
            str(team)
            for team in await self._run(lambda: self.redis.smembers(enterprise_teams_key(enterprise)))
        }

    async def forget_enterprise_teams(self, enterprise: str, teams: Iterable[str]) -> int:
        """Delete everything stored for these workspaces of an organisation; the number of keys deleted."""
        deleted = 0
        key = enterprise_teams_key(enterprise)
        for team in teams:
            deleted += await self.forget_team(team)
            await self._run(partial(self.redis.srem, key, team))
        return deleted

    async def forget_enterprise(self, enterprise: str) -> int:
        """Delete everything stored for every workspace of an organisation, and its list of them."""
        deleted = await self.forget_enterprise_teams(enterprise, await self.enterprise_teams(enterprise))
        return deleted + int(await self._run(lambda: self.redis.delete(enterprise_teams_key(enterprise))))

    # --- votes -----------------------------------------------------------------------------------------

    async def cast_vote(
        self, team: str, assessment_id: str, user: str, vote: str, *, version: int
    ) -> tuple[StoredAssessment | None, dict[str, str]]:
        """Record one person's vote on the version they saw (replacing any earlier vote); the assessment and
        every stored vote, in one trip. Which votes count is the assessment's to say (``counted_votes``).

        Nothing is written for an assessment that does not exist (None, {}).
        """
        keys = [
            assessment_key(team, assessment_id),
            votes_key(team, assessment_id),
            user_involved_key(team, user),
        ]
        args = [user, vote_value(vote, version), assessment_id, f"{time.time():.3f}"]
        result = await self._run(lambda: self._vote(keys=keys, args=args))
        if not result:
            return None, {}
        raw, flat = cast(list[Any], result)
        return StoredAssessment.model_validate_json(raw), _pairs(flat)

    async def votes(self, team: str, assessment_id: str) -> dict[str, str]:
        return cast(
            dict[str, str], await self._run(lambda: self.redis.hgetall(votes_key(team, assessment_id)))
        )

    # --- events ----------------------------------------------------------------------------------------

    async def claim_event(self, event_id: str) -> bool:
        """True the first time an event id is seen (by any process), False for Slack's retries."""
        claimed = await self._run(
            lambda: self.redis.set(event_key(event_id), "1", nx=True, ex=EVENT_TTL_SECONDS)
        )
        return bool(claimed)
