"""Ask the team: teammates answer on their own, one thread message compares them, closing publishes the
consensus. Driven as people in Slack would, through the app's HTTP endpoint, with Redis and Slack's
stand-in."""

from __future__ import annotations

import asyncio
import json

from redis import Redis

from bot import ids
from bot.devkit.simulator import SlackSimulator
from bot.devkit.standin import SlackStandIn
from bot.storage.keys import round_key
from tests.conftest import SIGNING_SECRET, RunningApp, app_env, serve, shutdown
from tests.integration.helpers import (
    CANVA,
    TEAM,
    complete,
    element_of,
    forget,
    round_posts,
    start_round,
    stored,
)

# CANVA recommends fine-tuning; with no labelled examples, the same project gets prompt engineering.
NO_EXAMPLES = {**CANVA, "labeled_examples": "none"}
MEDIUM_ACCURACY = {**CANVA, "accuracy_requirement": "medium"}


async def test_two_teammates_see_where_they_disagree_and_what_it_changes(
    slack: SlackSimulator, standin: SlackStandIn, redis: Redis
) -> None:
    team_round, result_ts = await start_round(slack, standin)
    # The invitation counts the posted answers as their author's, and waits for a second.
    assert "1 answer:" in team_round.text and "<@UANA> (the posted answers)" in team_round.text
    assert "appears here with the second answer" in team_round.text

    form = await team_round.open_form("UBEN")
    assert form.title == "Your answers · 1 of 4"
    # Blank: nothing prefilled (no anchoring), and the project is not asked again.
    assert form.initial_values() == {}
    assert "project_name" not in form.input_block_ids and "task_complexity" in form.input_block_ids
    await complete(form, NO_EXAMPLES)
    await team_round.shows("2 answers")

    text = team_round.text
    assert "Labelled examples" in text and "None (<@UBEN>)" in text and "(<@UANA>)" in text
    # How many labelled examples exist is a fact, not a vote: the consensus takes what Ana, who reports the
    # examples, says, asks her to confirm, and shows what Ben's answer would change.
    assert "Team consensus: Fine-tuning" in text
    assert "If <@UBEN> is right about labelled examples (None), it becomes Prompt engineering" in text
    assert "Under each person's answers: <@UANA>: Fine-tuning · <@UBEN>: Prompt engineering" in text
    assert "*Facts to confirm*" in text
    assert "Labelled examples is a fact, not a vote: the consensus takes “500 to 4,999” as reported" in text
    assert "<@UANA>, who reported it, please confirm" in text
    assert "Ties:" not in text
    # One message for the round, updated in place: no message per person.
    assert len(round_posts(standin, result_ts)) == 1
    updates = [c for c in standin.calls_to("chat.update") if c.args.get("ts") == team_round.ts]
    assert updates
    stored_round = redis.hgetall(round_key(TEAM, team_round.assessment))
    assert json.loads(stored_round["a:UBEN"])["answers"]["labeled_examples"] == "none"


async def test_five_teammates_without_names_take_the_median_and_show_counts(
    slack: SlackSimulator, standin: SlackStandIn
) -> None:
    team_round, _ = await start_round(slack, standin, names=False)
    await team_round.answer("UBEN", NO_EXAMPLES, 2)
    await team_round.answer("UCAT", MEDIUM_ACCURACY, 3)
    await team_round.answer("UDAN", {**CANVA, "labeled_examples": "5000_plus"}, 4)
    await team_round.answer("UEVE", CANVA, 5)

    text = team_round.text
    # Labelled examples: none, 500–4,999 ×3, 5,000+: the median is 500–4,999, so the consensus is CANVA's.
    assert "Team consensus: Fine-tuning" in text
    assert "None ×1" in text and "×3" in text
    assert "answers are shown without names" in text
    # Who answered is listed; who gave which answer is not.
    assert "<@UBEN>" in text.split("answers are shown without names")[0]
    analysis = text.split("answers are shown without names")[1]
    assert "<@U" not in analysis
    assert "the person who answered “None” is right about labelled examples" in analysis


async def test_answers_that_change_the_result_only_together_are_named_as_one_person_s(
    slack: SlackSimulator, standin: SlackStandIn
) -> None:
    # Ben alone thinks the first version is due in days and the project ends within six months: neither
    # answer changes the consensus alone, both together rule training out.
    team_round, _ = await start_round(slack, standin)
    await team_round.answer(
        "UBEN", {**CANVA, "time_to_first_version": "days", "project_lifetime": "short_term"}, 2
    )
    await team_round.answer("UCAT", CANVA, 3)
    text = team_round.text
    assert "Team consensus: Fine-tuning" in text
    assert "*Answers that change it together*" in text
    assert (
        "If <@UBEN> is right about first version (Within days) and lifetime (Short-term) together, it "
        "becomes Prompt engineering; none of these answers changes it alone"
    ) in text


async def test_a_tie_on_a_hard_constraint_takes_the_safe_side_and_a_contradicting_consensus_is_flagged(
    slack: SlackSimulator, standin: SlackStandIn, redis: Redis
) -> None:
    # Ana: the input holds everything, no citations. Ben: our own documents, answers must cite them. Pooled
    # question by question, the knowledge tie takes the earlier answer and the citations tie the safe side:
    # a consensus neither gave, and one that contradicts itself.
    team_round, result_ts = await start_round(slack, standin)
    ben = {**CANVA, "knowledge_need": "proprietary_or_large_corpus", "citations_needed": "yes"}
    await team_round.answer("UBEN", ben, 2)
    text = team_round.text
    assert (
        "tied between “Yes” and “No”; the consensus takes “Yes”, the safe side of a hard constraint" in text
    )
    assert ":warning: *The consensus contradicts itself.*" in text
    assert "yet answers must cite sources" in text
    close = element_of(team_round.message, ids.ROUND_CLOSE)
    assert close["confirm"]["text"]["text"].startswith("The consensus answers contradict each other")

    await team_round.close("UANA")
    await team_round.shows("version 2 of the result above")
    record = stored(redis, team_round.assessment)
    assert record["versions"][-1]["answers"]["citations_needed"] == "yes"
    assert {c["id"] for c in record["result"]["conflicts"]} == {"no_knowledge_but_citations"}
    note = [c for c in standin.calls_to("chat.postMessage") if c.args.get("thread_ts") == result_ts][-1]
    assert "⚠️ _The consensus answers contradict each other_" in note.args["text"]
    parent = standin.messages[("CPROJ", result_ts)]
    assert "contradict each other" in json.dumps(parent.get("blocks", []), ensure_ascii=False)


async def test_a_teammate_who_answers_twice_is_replaced_not_added(
    slack: SlackSimulator, standin: SlackStandIn, redis: Redis
) -> None:
    team_round, _ = await start_round(slack, standin)
    await team_round.answer("UBEN", NO_EXAMPLES, 2)
    again = await team_round.open_form("UBEN")
    # Their own earlier answers come back to change (nobody else's).
    assert again.shown("task_complexity") == NO_EXAMPLES["task_complexity"]
    assert "You answered this round already" in json.dumps(again.view)
    await complete(again, CANVA)
    await team_round.shows("Everyone who answered gave the same answers")
    assert "2 answers" in team_round.text and "3 answers" not in team_round.text
    stored_round = redis.hgetall(round_key(TEAM, team_round.assessment))
    assert json.loads(stored_round["a:UBEN"])["answers"]["labeled_examples"] == CANVA["labeled_examples"]


async def test_a_teammate_may_leave_questions_unanswered(
    slack: SlackSimulator, standin: SlackStandIn
) -> None:
    team_round, _ = await start_round(slack, standin)
    form = await team_round.open_form("UBEN")
    unsure = {k: v for k, v in NO_EXAMPLES.items() if k not in {"ml_expertise", "compute_budget"}}
    await complete(form, unsure)
    await team_round.shows("2 answers")
    text = team_round.text
    # Only those who answered a question count there: Ben's blanks are no disagreement.
    assert "ML expertise" not in text.split("Team consensus")[1]
    assert "Labelled examples" in text


async def test_closing_publishes_the_consensus_as_a_new_version_with_the_teams_confidence(
    slack: SlackSimulator, standin: SlackStandIn, redis: Redis
) -> None:
    team_round, result_ts = await start_round(slack, standin)
    await team_round.answer("UBEN", NO_EXAMPLES, 2)
    await team_round.answer("UCAT", CANVA, 3)
    await team_round.close("UANA")
    await team_round.shows("Team round closed")
    await team_round.shows("version 2 of the result above")

    record = stored(redis, team_round.assessment)
    latest = record["versions"][-1]
    assert latest["number"] == 2 and latest["team_answers"] == 3 and latest["by"] == "UANA"
    # A fact, not a vote: what the two who report examples say.
    assert latest["answers"]["labeled_examples"] == CANVA["labeled_examples"]
    assert latest["answers"]["project_name"] == CANVA["project_name"]
    confidence = record["result"]["confidence"]
    # Ben's answer would change it: the consensus can't be more than medium, and says why.
    assert confidence["level"] in {"low", "medium"}
    assert "The team disagrees about labelled examples" in " ".join(confidence["basis"])
    note = [c for c in standin.calls_to("chat.postMessage") if c.args.get("thread_ts") == result_ts][-1]
    assert note.args["text"].startswith("👥 *Version 2* is the team's consensus of 3 people's answers")
    parent = standin.messages[("CPROJ", result_ts)]
    assert "The team's consensus of 3 answers" in json.dumps(parent.get("blocks", []), ensure_ascii=False)
    # Closed: no buttons left, and a late press says so.
    assert ids.ROUND_ANSWER not in team_round.text and ids.ROUND_CLOSE not in team_round.text


async def test_only_the_starter_closes_and_a_round_closed_early_takes_no_more_answers(
    slack: SlackSimulator, standin: SlackStandIn, redis: Redis
) -> None:
    team_round, _ = await start_round(slack, standin)
    late = await team_round.open_form("UBEN")  # Ben starts answering...
    before = dict(team_round.message)
    await team_round.close("UBEN")
    told = await standin.wait_for("chat.postEphemeral")
    assert "Only <@UANA>, who started this round, can close it" in told[-1].args["text"]

    await team_round.close("UANA")  # ...and Ana closes the round with only the posted answers in it
    await team_round.shows("Team round closed")
    record = stored(redis, team_round.assessment)
    assert len(record["versions"]) == 1  # one person's answers: nothing to combine, nothing published
    assert "nothing to combine: the result stays as it was" in team_round.text

    for _page in range(3):
        late.fill(NO_EXAMPLES)
        await late.submit()
    late.fill(NO_EXAMPLES)
    reply = await late.submit()
    body = reply.json()
    assert body["response_action"] == "update"
    assert "closed the round before your answers arrived" in json.dumps(body["view"])
    _, _ = await slack.press_on_message(
        "UCAT",
        ids.ROUND_ANSWER,
        element_of(before, ids.ROUND_ANSWER)["value"],
        channel="CPROJ",
        message=before,
    )
    told = await standin.wait_for("chat.postEphemeral", 2)
    assert "This team round was closed by <@UANA>" in told[-1].args["text"]


async def test_a_second_round_while_one_is_open_points_to_it(
    slack: SlackSimulator, standin: SlackStandIn
) -> None:
    team_round, result_ts = await start_round(slack, standin)
    parent = standin.messages[("CPROJ", result_ts)]
    _, trigger = await slack.choose_on_message(
        "UBEN",
        ids.RESULT_MENU,
        f"{ids.MENU_ASK_TEAM}:{team_round.assessment}",
        channel="CPROJ",
        message=parent,
    )
    told = await standin.wait_for("chat.postEphemeral")
    assert "already open on this result" in told[-1].args["text"]
    assert trigger not in standin.opened_by_trigger
    assert len(round_posts(standin, result_ts)) == 1


async def test_forget_removes_a_persons_answers_from_the_round(
    slack: SlackSimulator, standin: SlackStandIn, redis: Redis
) -> None:
    team_round, _ = await start_round(slack, standin)
    await team_round.answer("UBEN", NO_EXAMPLES, 2)
    await team_round.answer("UCAT", MEDIUM_ACCURACY, 3)
    await forget(slack, standin, "UBEN")
    assert "a:UBEN" not in redis.hgetall(round_key(TEAM, team_round.assessment))
    await team_round.shows("2 answers")
    assert "<@UBEN>" not in team_round.text and "None (" not in team_round.text


async def test_answers_arriving_at_once_on_two_processes_all_show(
    app: RunningApp, redis_env: dict[str, str], standin: SlackStandIn, slack: SlackSimulator
) -> None:
    team_round, _ = await start_round(slack, standin)
    second = await serve(app_env(redis_env, standin))
    try:
        async with SlackSimulator(second.url, SIGNING_SECRET, standin) as other:
            people = ["UB1", "UB2", "UB3", "UB4", "UB5", "UB6"]
            forms = [await team_round.open_form(user) for user in people]
            for index, form in enumerate(forms):
                form.slack = other if index % 2 else slack
            variants = [NO_EXAMPLES, MEDIUM_ACCURACY, CANVA] * 2
            for _page in range(3):  # every page but the last, one person at a time
                for form, answers in zip(forms, variants, strict=True):
                    form.fill(answers)
                    await form.submit()
            # Slack takes its time over the first update: the other answers land while it is in flight.
            standin.slow_down("chat.update", 0.5)
            finals = []
            for form, answers in zip(forms, variants, strict=True):
                form.fill(answers)
                finals.append(form.submit())
            await asyncio.gather(*finals)
            await team_round.shows("7 answers")
            await asyncio.sleep(0.3)  # any update still in flight lands
            assert "7 answers" in team_round.text
    finally:
        await shutdown(second)


async def test_a_result_sent_by_dm_cannot_ask_the_team_and_says_why(
    slack: SlackSimulator, standin: SlackStandIn
) -> None:
    standin.refuse_channel("CSHUT", "not_in_channel")
    modal = await slack.open_modal("UANA", "CSHUT")
    await complete(modal, CANVA)
    posts = await standin.wait_for("chat.postMessage", 3)
    channel, ts = "DANA", posts[2].args["thread_ts"]  # the result went by DM; its breakdown is in its thread
    message = standin.messages[(channel, ts)]
    assessment = element_of(message, ids.RECORD_DECISION)["value"]
    before = len(standin.calls)
    _, trigger = await slack.choose_on_message(
        "UANA", ids.RESULT_MENU, f"{ids.MENU_ASK_TEAM}:{assessment}", channel=channel, message=message
    )
    await standin.wait_until(
        lambda: any("your teammates can't see it" in json.dumps(c.args) for c in standin.calls[before:]),
        what="the explanation",
    )
    assert trigger not in standin.opened_by_trigger
