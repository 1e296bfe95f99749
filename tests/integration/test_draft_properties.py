"""Every interleaving of a person's draft operations with two forms open, against a real Redis (one server,
and the cluster in the suite's second pass): the store does exactly what a model of drafts owned by their
form does, so no write meant for one form finishes, discards or restores the other's draft."""

from __future__ import annotations

import itertools
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from redis import Redis

from bot.listeners.publishing import new_record
from bot.storage.connection import RedisTarget, connect
from bot.storage.keys import submitted_key
from bot.storage.models import NEW_DRAFT, Draft, new_instance
from bot.storage.store import AlreadyPosted, BeingPosted, DraftGone, Store
from scoring import Answers, engine_for
from tests.conftest import CLUSTER
from tests.hypothesis_profiles import examples
from tests.integration.helpers import SUPPORT_BOT

TEAM = "TDRAFTS"
FORMS = ("A", "B")
FIELDS = ("project_name", "use_case", "latency")
OPERATIONS = ("save", "set_aside", "restore", "finish", "post", "discard", "forget", "resume")


@dataclass
class Slot:
    owner: str
    answers: dict[str, str]


@dataclass
class Model:
    """What a person's drafts must be: the one draft the next /llm-approach resumes (owned by one filling of
    the form), the answers each filling set aside while its result is posted, and the fillings posted."""

    forms: dict[str, str]  # form -> the instance it carries
    draft: Slot | None = None
    aside: dict[str, dict[str, str]] = field(default_factory=dict)
    posted: set[str] = field(default_factory=set)
    instances: set[str] = field(default_factory=set)


@pytest.fixture
async def store(redis: Redis, redis_url: str) -> AsyncIterator[Store]:
    opened = Store(connect(RedisTarget(redis_url, cluster=CLUSTER)), retention_seconds=3600)
    yield opened
    await opened.close()


steps = st.lists(st.tuples(st.sampled_from(OPERATIONS), st.sampled_from(FORMS), st.sampled_from(FIELDS)))
values = itertools.count()


async def _apply(store: Store, model: Model, user: str, operation: str, form: str, answer: str) -> None:
    """Run one operation on the store and on the model; their answers must agree."""
    instance = model.forms[form]
    if operation == "save":
        value = f"{form}{next(values)}"
        saved = await store.save_answers(TEAM, user, NEW_DRAFT, {answer: value}, page=2, channel="C1",
                                         instance=instance)  # fmt: skip
        if instance in model.posted:
            assert isinstance(saved, AlreadyPosted)
        elif instance in model.aside:
            assert isinstance(saved, BeingPosted)
        else:
            assert isinstance(saved, Draft)
            model.draft = model.draft or Slot(instance, {})
            model.draft.answers[answer] = value
            # Another window started this draft first: the form carries on as that filling of it.
            assert saved.instance == model.draft.owner
            model.forms[form] = model.draft.owner
    elif operation == "set_aside":
        state = await store.set_aside_draft(TEAM, user, NEW_DRAFT, instance)
        if instance in model.posted:
            assert isinstance(state, AlreadyPosted)
        elif instance in model.aside:
            assert isinstance(state, BeingPosted)
        elif model.draft is not None and model.draft.owner == instance:
            assert state is None
            model.aside[instance] = model.draft.answers
            model.draft = None
        else:
            assert isinstance(state, DraftGone)
    elif operation == "restore":
        restored = await store.restore_draft(TEAM, user, NEW_DRAFT, instance)
        expected = instance in model.aside and model.draft is None
        assert restored is expected
        if expected:
            model.draft = Slot(instance, model.aside.pop(instance))
    elif operation in {"finish", "post"}:
        if operation == "finish":  # an edit's draft becoming a version
            await store.finish_draft(TEAM, user, NEW_DRAFT, instance, "C1 1.1")
        else:  # a new assessment stored in the same transaction as its draft is finished
            record = new_record(TEAM, "C1", user, Answers.parse(SUPPORT_BOT), engine_for())
            record = record.model_copy(update={"ts": f"{next(values)}.000100"})
            await store.create_assessment(record, finished_draft=NEW_DRAFT, instance=instance)
        model.aside.pop(instance, None)
        if model.draft is not None and model.draft.owner == instance:
            model.draft = None
        model.posted.add(instance)
    elif operation == "discard":
        discarded = await store.discard_draft(TEAM, user, NEW_DRAFT, instance)
        assert discarded is (model.draft is not None and model.draft.owner == instance)
        if discarded:
            model.draft = None
    elif operation == "forget":
        await store.forget_user(TEAM, user)
        model.draft, model.aside, model.posted = None, {}, set()
    else:  # resume: the form is opened again with /llm-approach, as that command does
        loaded = await store.load_draft(TEAM, user, NEW_DRAFT)
        model.forms[form] = (loaded.instance if loaded else None) or new_instance()
    model.instances.add(model.forms[form])


async def _agrees(store: Store, model: Model, user: str) -> None:
    draft = await store.load_draft(TEAM, user, NEW_DRAFT)
    if model.draft is None:
        assert draft is None
    else:
        assert draft is not None
        assert (draft.instance, draft.answers) == (model.draft.owner, model.draft.answers)
    for instance in model.instances:
        aside = await store.redis.hgetall(submitted_key(TEAM, user, NEW_DRAFT, instance))
        answers = {k.removeprefix("q:"): v for k, v in aside.items() if k.startswith("q:")}
        assert answers == model.aside.get(instance, {}), instance


@settings(
    max_examples=examples(120),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=steps)
async def test_every_interleaving_of_two_forms_keeps_each_forms_draft(
    store: Store, steps: list[tuple[str, str, str]]
) -> None:
    user = f"U{uuid.uuid4().hex[:10].upper()}"
    model = Model(forms={form: new_instance() for form in FORMS})
    model.instances.update(model.forms.values())
    for operation, form, answer in steps:
        await _apply(store, model, user, operation, form, answer)
        await _agrees(store, model, user)


async def test_forgetting_removes_answers_set_aside_by_every_form(store: Store) -> None:
    """Set-aside answers are kept per form: forgetting the person finds each of them without a scan."""
    user = "UFORGET"
    for instance in ("i1", "i2"):
        await store.save_answers(TEAM, user, NEW_DRAFT, {"use_case": instance}, page=4, channel="C1",
                                 instance=instance)  # fmt: skip
        assert await store.set_aside_draft(TEAM, user, NEW_DRAFT, instance) is None
    report = await store.forget_user(TEAM, user)
    assert report.drafts == 2
    for instance in ("i1", "i2"):
        assert not await store.redis.exists(submitted_key(TEAM, user, NEW_DRAFT, instance))
