"""Reading Slack's request bodies quickly: the one hot spot of every interaction that is not ours to skip.

Every button press and modal submit arrives as ``payload=<the whole view, URL-encoded JSON>``: 8 to 20 kB with
over a thousand ``%XX`` escapes. Bolt decodes it with ``urllib.parse.parse_qsl``, pure Python, which took
about a quarter of a millisecond per request, more than anything of ours on a page submit (see README,
"Performance"). This decodes that one shape with yarl's C unquoter instead; every other body is left to Bolt
(``bot.server.bolt_seam.parse_slack_body``). A test checks that both read the same payloads identically.
"""

from __future__ import annotations

import json
from typing import Any, cast

from yarl import URL

_PAYLOAD = "payload="


def decode_interaction_payload(body: str, content_type: str | None) -> dict[str, Any] | None:
    """The JSON of a form body whose one field is ``payload``, as Bolt would read it; None for any other."""
    if not body.startswith(_PAYLOAD) or "&" in body or content_type == "application/json":
        return None
    # The form's one field, decoded as parse_qsl would ("+" is a space, %XX as UTF-8, bad escapes kept).
    payload = URL.build(query_string=body, encoded=True).query.get("payload", "")
    # Whatever the JSON holds, as Bolt returns it (a body that is not an object fails later, as it would).
    return cast(dict[str, Any], json.loads(payload))
