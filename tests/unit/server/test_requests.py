"""Slack's bodies are read exactly as Bolt reads them, whichever parser does it."""

from __future__ import annotations

import json
from urllib.parse import urlencode

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.server.bolt_seam import SlackRequest, parse_slack_body
from bot.server.bolt_seam import bolt_parse_body as parse_body
from tests.hypothesis_profiles import examples

FORM = "application/x-www-form-urlencoded"
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=20,
)
payloads = st.dictionaries(st.text(), json_values, max_size=6)


@settings(max_examples=examples(300))
@given(payloads)
def test_an_interaction_payload_reads_as_bolt_reads_it(payload: dict[str, object]) -> None:
    body = urlencode({"payload": json.dumps(payload)})
    assert parse_slack_body(body, FORM) == parse_body(body, FORM) == payload


@settings(max_examples=examples(300))
@given(st.text(alphabet='%+&=abcdefABCDEF0123456789é😀 {}":,').map(lambda t: "payload=" + t))
def test_raw_bodies_of_any_shape_read_as_bolt_reads_them(body: str) -> None:
    try:
        expected: object = parse_body(body, FORM)
    except ValueError:
        expected = ValueError
    try:
        got: object = parse_slack_body(body, FORM)
    except ValueError:
        got = ValueError
    assert got == expected


def test_other_bodies_are_left_to_bolt() -> None:
    command = urlencode({"command": "/llm-approach", "text": "a+b & c", "user_id": "U1"})
    assert parse_slack_body(command, FORM) == parse_body(command, FORM)
    event = json.dumps({"type": "event_callback", "event": {"type": "app_mention"}})
    assert parse_slack_body(event, "application/json") == json.loads(event)


def test_the_request_keeps_the_raw_body_for_the_signature_and_its_context() -> None:
    body = urlencode(
        {"payload": json.dumps({"type": "block_actions", "team": {"id": "T1"}, "user": {"id": "U1"}})}
    )
    request = SlackRequest(body=body, query={}, headers={"content-type": FORM})
    assert request.raw_body == body
    assert request.body["type"] == "block_actions"
    assert request.context.team_id == "T1" and request.context.user_id == "U1"
