"""All Redis access: drafts, assessments, votes, decisions and event de-duplication.

Every key is namespaced by team and carries a TTL. Each public method is one round trip (a pipeline).
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any, TypeVar, cast

from redis.exceptions import RedisClusterException, RedisError

from bot.storage.connection import RedisClient
from bot.storage.keys import (
    assessment_key,
    draft_key,
    event_key,
    message_key,
    submitted_key,
    team_decisions_key,
    team_pattern,
    user_recent_key,
    votes_key,
)
from bot.storage.models import Draft, StoredAssessment

NEW_DRAFT = "new"
DRAFT_TTL_SECONDS = 7 * 24 * 3600
EVENT_TTL_SECONDS = 3600  # Slack retries for up to about 6 minutes
_ANSWER_FIELD = "q:"
T = TypeVar("T")


class StoreError(Exception):
    """Redis could not be reached or answered with an error (on a cluster too: slots moving, a node down)."""


def _draft_from_hash(raw: dict[str, str]) -> Draft | None:
    if not raw:
        return None
    answers = {k.removeprefix(_ANSWER_FIELD): v for k, v in raw.items() if k.startswith(_ANSWER_FIELD)}
    return Draft(
        answers=answers,
        page=int(raw.get("page", "1")),
        channel=raw.get("channel") or None,
        updated=float(raw.get("updated", "0")),
    )


class Store:
    def __init__(self, redis: RedisClient, *, retention_seconds: int) -> None:
        self.redis = redis
        self.retention_seconds = retention_seconds

    async def _run(self, operation: Callable[[], Awaitable[T]]) -> T:
        try:
            return await operation()
        # RedisClusterException (no slot covered, a cross-slot transaction) is not a RedisError.
        except (RedisError, RedisClusterException, OSError) as error:
            raise StoreError(f"{type(error).__name__}: {error}") from error

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
    ) -> Draft:
        """Merge answers into the draft, refresh its TTL and return the whole draft, in one round trip."""
        key = draft_key(team, user, draft_id)
        fields: dict[str, str] = {f"{_ANSWER_FIELD}{k}": v for k, v in answers.items()}
        fields.update(page=str(page), updated=f"{time.time():.3f}")
        if channel:
            fields["channel"] = channel

        async def run() -> list[Any]:
            async with self._pipeline() as pipe:
                if cleared:
                    pipe.hdel(key, *(f"{_ANSWER_FIELD}{k}" for k in cleared))
                pipe.hset(key, mapping=fields)
                pipe.expire(key, DRAFT_TTL_SECONDS)
                pipe.hgetall(key)
                return list(await pipe.execute())

        results = await self._run(run)
        draft = _draft_from_hash(results[-1])
        assert draft is not None  # just written in the same transaction
        return draft

    async def replace_draft(
        self, team: str, user: str, draft_id: str, answers: dict[str, str], *, page: int, channel: str | None
    ) -> None:
        key = draft_key(team, user, draft_id)
        fields = {f"{_ANSWER_FIELD}{k}": v for k, v in answers.items()}
        fields.update(page=str(page), updated=f"{time.time():.3f}", channel=channel or "")

        async def run() -> None:
            async with self._pipeline() as pipe:
                pipe.delete(key)
                pipe.hset(key, mapping=fields)
                pipe.expire(key, DRAFT_TTL_SECONDS)
                await pipe.execute()

        await self._run(run)

    async def set_aside_draft(self, team: str, user: str, draft_id: str) -> None:
        """Move a finished draft out of the way of the next /llm-approach while its result is posted."""
        source, target = draft_key(team, user, draft_id), submitted_key(team, user, draft_id)
        await self._run(lambda: self.redis.rename(source, target))

    async def restore_draft(self, team: str, user: str, draft_id: str) -> None:
        """Posting failed: put the answers back as the person's draft (unless they started a new one)."""
        source, target = submitted_key(team, user, draft_id), draft_key(team, user, draft_id)
        await self._run(lambda: self.redis.renamenx(source, target))

    async def delete_draft(self, team: str, user: str, draft_id: str = NEW_DRAFT) -> None:
        await self._run(lambda: self.redis.delete(draft_key(team, user, draft_id)))

    # --- assessments -----------------------------------------------------------------------------------

    async def save_assessment(self, record: StoredAssessment, *, finished_draft: str | None = None) -> None:
        """Store an assessment with its indexes, and drop the draft it came from, in one transaction."""
        ttl = self.retention_seconds

        async def run() -> None:
            async with self._pipeline() as pipe:
                # A recorded decision is the team's history: kept until `/llm-approach forget`, not expired.
                pipe.set(
                    assessment_key(record.team, record.id),
                    record.model_dump_json(),
                    ex=None if record.decision else ttl,
                )
                if record.ts:
                    pipe.set(message_key(record.team, record.channel, record.ts), record.id, ex=ttl)
                # Every assessment a person made, so `forget` can find them all.
                recent = user_recent_key(record.team, record.user)
                pipe.zadd(recent, {record.id: record.created})
                pipe.expire(recent, ttl)
                if record.decision is not None:
                    decisions = team_decisions_key(record.team)
                    pipe.zadd(decisions, {record.id: record.decision.at})
                    pipe.zremrangebyrank(decisions, 0, -201)
                if finished_draft is not None:
                    pipe.delete(submitted_key(record.team, record.user, finished_draft))
                await pipe.execute()

        await self._run(run)

    async def load_assessment(self, team: str, assessment_id: str) -> StoredAssessment | None:
        raw = await self._run(lambda: self.redis.get(assessment_key(team, assessment_id)))
        return StoredAssessment.model_validate_json(raw) if raw else None

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
        return await self._load_many(team, user_recent_key(team, user), limit)

    async def team_decisions(self, team: str, limit: int = 5) -> list[StoredAssessment]:
        return await self._load_many(team, team_decisions_key(team), limit)

    async def _load_many(self, team: str, index: str, limit: int) -> list[StoredAssessment]:
        ids = cast(list[str], await self._run(lambda: self.redis.zrevrange(index, 0, limit - 1)))
        if not ids:
            return []
        raws = await self._run(lambda: self.redis.mget([assessment_key(team, i) for i in ids]))
        return [StoredAssessment.model_validate_json(raw) for raw in raws if raw]

    async def forget_user(self, team: str, user: str) -> tuple[int, int]:
        """Delete a person's drafts and the assessments they started; (drafts, assessments) deleted."""

        async def run() -> tuple[int, int]:
            drafts = [key async for key in self.redis.scan_iter(match=draft_key(team, user, "*"))]
            drafts += [key async for key in self.redis.scan_iter(match=submitted_key(team, user, "*"))]
            ids = cast(list[str], await self.redis.zrange(user_recent_key(team, user), 0, -1))
            raws = (
                cast(list[str | None], await self.redis.mget([assessment_key(team, i) for i in ids]))
                if ids
                else []
            )
            records = [StoredAssessment.model_validate_json(raw) for raw in raws if raw]
            async with self._pipeline() as pipe:
                if drafts:
                    pipe.delete(*drafts)
                for record in records:
                    pipe.delete(assessment_key(team, record.id), votes_key(team, record.id))
                    if record.ts:
                        pipe.delete(message_key(team, record.channel, record.ts))
                    pipe.zrem(team_decisions_key(team), record.id)
                pipe.delete(user_recent_key(team, user))
                await pipe.execute()
            return len(drafts), len(records)

        return await self._run(run)

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

    # --- votes -----------------------------------------------------------------------------------------

    async def cast_vote(
        self, team: str, assessment_id: str, user: str, vote: str
    ) -> tuple[StoredAssessment | None, dict[str, str]]:
        """Record one person's vote (replacing any earlier one); the assessment and the tally, in one trip."""
        key = votes_key(team, assessment_id)

        async def run() -> tuple[StoredAssessment | None, dict[str, str]]:
            async with self._pipeline() as pipe:
                pipe.hset(key, user, vote)
                pipe.expire(key, self.retention_seconds)
                pipe.hgetall(key)
                pipe.get(assessment_key(team, assessment_id))
                results = await pipe.execute()
            raw = results[-1]
            return (StoredAssessment.model_validate_json(raw) if raw else None), dict(results[-2])

        return await self._run(run)

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
