"""Reading Slack's request bodies quickly: the one hot spot of every interaction that is not ours to skip.

Every button press and modal submit arrives as ``payload=<the whole view, URL-encoded JSON>``: 8 to 20 kB with
over a thousand ``%XX`` escapes. Bolt decodes it with ``urllib.parse.parse_qsl``, pure Python, which took
about a quarter of a millisecond per request, more than anything of ours on a page submit (see README,
"Performance"). ``SlackRequest`` decodes that one shape with yarl's C unquoter instead (yarl comes with
aiohttp) and leaves every other body, and everything else about the request, to Bolt. A test checks that both
read the same payloads identically.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any, cast

from slack_bolt.context.async_context import AsyncBoltContext
from slack_bolt.request.async_internals import build_async_context
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.request.internals import parse_body
from yarl import URL

_PAYLOAD = "payload="


def parse_slack_body(body: str, content_type: str | None) -> dict[str, Any]:
    """What Bolt's ``parse_body`` returns for this body, faster for an interaction payload."""
    if body.startswith(_PAYLOAD) and "&" not in body and content_type != "application/json":
        # The form's one field, decoded as parse_qsl would ("+" is a space, %XX as UTF-8, bad escapes kept).
        payload = URL.build(query_string=body, encoded=True).query.get("payload", "")
        # Whatever the JSON holds, as Bolt returns it (a body that is not an object fails later, as it would).
        return cast(dict[str, Any], json.loads(payload))
    return parse_body(body, content_type)


class SlackRequest(AsyncBoltRequest):
    """An HTTP request to Bolt whose body is parsed by ``parse_slack_body``."""

    def __init__(
        self, *, body: str, query: dict[str, Sequence[str]], headers: dict[str, str | Sequence[str]]
    ):
        super().__init__(body="", query=query, headers=headers)
        self.raw_body = body  # what the signature is checked against
        self.body = parse_slack_body(body, self.content_type)
        self.context = build_async_context(AsyncBoltContext({}), self.body)
