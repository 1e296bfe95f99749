"""Acting as Slack towards the app: signed requests to its real HTTP endpoint, as Slack sends them.

Slash commands go as form bodies, interactivity as ``payload=`` JSON, events as JSON, each signed with the
signing secret exactly as Slack signs (v0 HMAC-SHA256 over ``v0:timestamp:body``). ``Modal`` plays the
person's Slack client: it keeps the open view, fills inputs by block_id and option value, and follows the
app's ``response_action`` answers. Used by the demo, the tests and the benchmarks.

With ``enterprise_id`` the workspace belongs to an Enterprise Grid organisation, and with
``enterprise_install`` the app is installed for the whole organisation: each request then carries the
organisation's id and ``is_enterprise_install`` where Slack puts them (the slash command's form fields, the
payload's ``enterprise`` and ``team.enterprise_id``, the event's ``authorizations``).
"""

from __future__ import annotations

import json
import time
import uuid
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import aiohttp
from slack_sdk.signature import SignatureVerifier

from bot import ids
from bot.devkit.standin import SlackStandIn


@dataclass
class Reply:
    status: int
    text: str

    def json(self) -> Any:
        return json.loads(self.text) if self.text else None


def new_trigger_id() -> str:
    return f"{int(time.time())}.{uuid.uuid4().int % 10**12}.{uuid.uuid4().hex[:16]}"


class SlackSimulator:
    def __init__(
        self,
        app_url: str,
        signing_secret: str,
        standin: SlackStandIn,
        *,
        team_id: str = "T0STANDIN",
        enterprise_id: str | None = None,
        enterprise_install: bool = False,
        session: aiohttp.ClientSession | None = None,
    ) -> None:
        self.app_url = app_url.rstrip("/")
        self.verifier = SignatureVerifier(signing_secret)
        self.standin = standin
        self.team_id = team_id
        self.enterprise_id = enterprise_id
        self.enterprise_install = enterprise_install and enterprise_id is not None
        self._session = session
        self._own_session = session is None

    async def __aenter__(self) -> SlackSimulator:
        if self._session is None:
            self._session = aiohttp.ClientSession()
        return self

    async def __aexit__(self, *_: object) -> None:
        if self._own_session and self._session is not None:
            await self._session.close()

    @property
    def session(self) -> aiohttp.ClientSession:
        assert self._session is not None, "use `async with SlackSimulator(...)`"
        return self._session

    def sign(self, body: str, timestamp: int | None = None) -> dict[str, str]:
        stamp = str(int(time.time()) if timestamp is None else timestamp)
        return {
            "X-Slack-Request-Timestamp": stamp,
            "X-Slack-Signature": str(self.verifier.generate_signature(timestamp=stamp, body=body)),
        }

    async def post(
        self,
        body: str,
        content_type: str,
        *,
        headers: dict[str, str] | None = None,
        signed: bool = True,
        timestamp: int | None = None,
        path: str = "/slack/events",
    ) -> Reply:
        all_headers = {"Content-Type": content_type}
        if signed:
            all_headers.update(self.sign(body, timestamp))
        all_headers.update(headers or {})
        async with self.session.post(
            self.app_url + path, data=body.encode(), headers=all_headers
        ) as response:
            return Reply(response.status, await response.text())

    async def post_form(self, fields: dict[str, str], **kwargs: Any) -> Reply:
        return await self.post(urlencode(fields), "application/x-www-form-urlencoded", **kwargs)

    async def post_payload(self, payload: dict[str, Any], **kwargs: Any) -> Reply:
        return await self.post_form({"payload": json.dumps(payload)}, **kwargs)

    def _identity(self, user: str) -> dict[str, Any]:
        identity: dict[str, Any] = {
            "team": {"id": self.team_id, "domain": "standin"},
            "user": {"id": user, "username": user.lower(), "team_id": self.team_id},
            "api_app_id": "A0LLMAPPROACH",
            "token": "legacy-verification-token",
        }
        if self.enterprise_id:
            identity["team"]["enterprise_id"] = self.enterprise_id
            identity["enterprise"] = {"id": self.enterprise_id, "name": f"Organisation {self.enterprise_id}"}
            identity["is_enterprise_install"] = self.enterprise_install
        return identity

    def _command_identity(self) -> dict[str, str]:
        if not self.enterprise_id:
            return {}
        return {
            "enterprise_id": self.enterprise_id,
            "enterprise_name": f"Organisation {self.enterprise_id}",
            "is_enterprise_install": "true" if self.enterprise_install else "false",
        }

    def authorization(self) -> dict[str, Any]:
        """The event's ``authorizations`` entry for this installation, as Slack sends it."""
        entry: dict[str, Any] = {
            "team_id": self.team_id,
            "user_id": self.standin.bot_user_id,
            "is_bot": True,
        }
        if self.enterprise_id:
            entry.update(enterprise_id=self.enterprise_id, is_enterprise_install=self.enterprise_install)
        return entry

    # --- what people do --------------------------------------------------------------------------------

    async def slash_command(
        self, user: str, channel: str, text: str = "", *, trigger_id: str | None = None, **kwargs: Any
    ) -> Reply:
        return await self.post_form(
            {
                "token": "legacy-verification-token",
                "team_id": self.team_id,
                "team_domain": "standin",
                "channel_id": channel,
                "channel_name": "project-chat",
                "user_id": user,
                "user_name": user.lower(),
                "command": ids.COMMAND,
                "text": text,
                "api_app_id": "A0LLMAPPROACH",
                "response_url": self.standin.response_url(f"{user}-{channel}"),
                "trigger_id": trigger_id or new_trigger_id(),
                **self._command_identity(),
            },
            **kwargs,
        )

    async def view_submission(self, user: str, view: dict[str, Any], values: dict[str, Any]) -> Reply:
        payload = {
            "type": "view_submission",
            **self._identity(user),
            "trigger_id": new_trigger_id(),
            "view": {**view, "state": {"values": values}},
            "response_urls": [],
        }
        return await self.post_payload(payload)

    async def view_closed(self, user: str, view: dict[str, Any], values: dict[str, Any]) -> Reply:
        payload = {
            "type": "view_closed",
            **self._identity(user),
            "view": {**view, "state": {"values": values}},
        }
        return await self.post_payload(payload)

    async def block_action(
        self,
        user: str,
        action_id: str,
        *,
        value: str = "",
        block_id: str = "",
        trigger_id: str | None = None,
        view: dict[str, Any] | None = None,
        values: dict[str, Any] | None = None,
        channel: str | None = None,
        message: dict[str, Any] | None = None,
        selected: str | None = None,
        response_url: str | None = None,
    ) -> Reply:
        """A click: a button (``value``) or, with ``selected``, an option chosen in an overflow menu.

        ``response_url`` is set when the clicked message is an ephemeral one the app can replace."""
        action: dict[str, Any] = {
            "type": "button",
            "action_id": action_id,
            "block_id": block_id or "actions",
            "value": value,
            "action_ts": f"{time.time():.6f}",
        }
        if selected is not None:
            action = {
                "type": "overflow",
                "action_id": action_id,
                "block_id": block_id or "actions",
                "selected_option": {"text": {"type": "plain_text", "text": selected}, "value": selected},
                "action_ts": f"{time.time():.6f}",
            }
        payload: dict[str, Any] = {
            "type": "block_actions",
            **self._identity(user),
            "trigger_id": trigger_id or new_trigger_id(),
            "actions": [action],
        }
        if response_url is not None:
            payload["response_url"] = response_url
        if view is not None:
            payload["container"] = {"type": "view", "view_id": view["id"]}
            payload["view"] = {**view, "state": {"values": values or {}}}
        if channel is not None:
            payload["channel"] = {"id": channel, "name": "project-chat"}
            payload["container"] = {
                "type": "message",
                "channel_id": channel,
                "message_ts": (message or {}).get("ts"),
            }
            payload["message"] = message or {}
        return await self.post_payload(payload)

    async def event(
        self,
        event: dict[str, Any],
        *,
        event_id: str | None = None,
        retry_num: int | None = None,
        authorization: dict[str, Any] | None = None,
    ) -> Reply:
        body = {
            "token": "legacy-verification-token",
            "team_id": self.team_id,
            "api_app_id": "A0LLMAPPROACH",
            "event": event,
            "type": "event_callback",
            "event_id": event_id or f"Ev{uuid.uuid4().hex[:10].upper()}",
            "event_time": int(time.time()),
            "authorizations": [authorization or self.authorization()],
        }
        if self.enterprise_id:
            body["enterprise_id"] = self.enterprise_id
        headers = (
            {"X-Slack-Retry-Num": str(retry_num), "X-Slack-Retry-Reason": "http_timeout"} if retry_num else {}
        )
        return await self.post(json.dumps(body), "application/json", headers=headers)

    async def mention(
        self, user: str, channel: str, text: str, *, thread_ts: str | None, **kwargs: Any
    ) -> Reply:
        ts = f"{time.time():.6f}"
        event: dict[str, Any] = {
            "type": "app_mention",
            "user": user,
            "text": f"<@{self.standin.bot_user_id}> {text}",
            "ts": ts,
            "channel": channel,
            "event_ts": ts,
        }
        if thread_ts:
            event["thread_ts"] = thread_ts
        return await self.event(event, **kwargs)

    async def open_modal(self, user: str, channel: str, text: str = "") -> Modal:
        """Run the slash command and return the modal Slack opened for it."""
        trigger_id = new_trigger_id()
        reply = await self.slash_command(user, channel, text, trigger_id=trigger_id)
        if reply.status != 200:
            raise AssertionError(f"slash command answered {reply.status}: {reply.text}")
        return Modal(self, user, await self.standin.view_opened_by(trigger_id))

    async def press_on_message(
        self, user: str, action_id: str, value: str, *, channel: str, message: dict[str, Any]
    ) -> tuple[Reply, str]:
        """Press a button on a message; returns the reply and the trigger_id (to find a modal it opened)."""
        trigger_id = new_trigger_id()
        reply = await self.block_action(
            user, action_id, value=value, channel=channel, message=message, trigger_id=trigger_id
        )
        return reply, trigger_id

    async def choose_on_message(
        self, user: str, action_id: str, option: str, *, channel: str, message: dict[str, Any]
    ) -> tuple[Reply, str]:
        """Choose an option of an overflow (⋯) menu on a message; the reply and the trigger_id."""
        trigger_id = new_trigger_id()
        reply = await self.block_action(
            user, action_id, selected=option, channel=channel, message=message, trigger_id=trigger_id
        )
        return reply, trigger_id


def radio_value(value: str) -> dict[str, Any]:
    return {
        "type": "radio_buttons",
        "selected_option": {"text": {"type": "plain_text", "text": value}, "value": value},
    }


def text_value(value: str) -> dict[str, Any]:
    return {"type": "plain_text_input", "value": value}


def conversation_value(channel: str) -> dict[str, Any]:
    return {"type": "conversations_select", "selected_conversation": channel}


class Modal:
    """One person's open modal, as their Slack client holds it."""

    def __init__(self, slack: SlackSimulator, user: str, view: dict[str, Any]) -> None:
        self.slack = slack
        self.user = user
        self.view = view
        self.closed = False
        self.entered: dict[str, Any] = self.initial_values()
        # Views the app pushed over this one (an error, say). Closing them shows this view again, with
        # what the person had entered, as Slack's client does.
        self.pushed: list[dict[str, Any]] = []

    @property
    def input_block_ids(self) -> list[str]:
        return [b["block_id"] for b in self.view["blocks"] if b.get("type") == "input"]

    @property
    def title(self) -> str:
        return str(self.view["title"]["text"])

    def initial_values(self) -> dict[str, Any]:
        """What the inputs show when the view opens: their initial options and values."""
        values: dict[str, Any] = {}
        for block in self.view.get("blocks", []):
            if block.get("type") != "input":
                continue
            element = block["element"]
            if element.get("initial_option"):
                values[block["block_id"]] = {
                    element["action_id"]: radio_value(element["initial_option"]["value"])
                }
            elif element.get("initial_conversation"):
                values[block["block_id"]] = {
                    element["action_id"]: conversation_value(element["initial_conversation"])
                }
            elif element.get("initial_value"):
                values[block["block_id"]] = {element["action_id"]: text_value(element["initial_value"])}
        return values

    def shown(self, block_id: str) -> str | None:
        """The value an input currently shows (initial or entered)."""
        state = self.entered.get(block_id, {}).get(ids.ANSWER)
        if not state:
            return None
        if "selected_option" in state:
            return str(state["selected_option"]["value"])
        if "selected_conversation" in state:
            return str(state["selected_conversation"])
        value = state.get("value")
        return str(value) if value is not None else None

    def fill(self, answers: dict[str, str]) -> Modal:
        """Answer the inputs on this page whose block_id is in `answers` (others are left as they are)."""
        for block in self.view["blocks"]:
            if block.get("type") != "input" or block["block_id"] not in answers:
                continue
            value = answers[block["block_id"]]
            element = block["element"]
            if element["type"] == "plain_text_input":
                state = text_value(value)
            elif element["type"] == "conversations_select":
                state = conversation_value(value)
            else:
                state = radio_value(value)
            self.entered[block["block_id"]] = {element["action_id"]: state}
        return self

    def _replace(self, view: dict[str, Any]) -> None:
        self.view = view
        self.entered = self.initial_values()

    async def submit(self) -> Reply:
        """Press the submit button; follows response_action update/push/clear like Slack's client does."""
        reply = await self.slack.view_submission(self.user, self.view, self.entered)
        if reply.status != 200:
            return reply
        answer: dict[str, Any] = reply.json() or {}
        action = answer.get("response_action")
        if action == "update":
            self._replace({**answer["view"], "id": self.view["id"], "hash": uuid.uuid4().hex[:8]})
            self.slack.standin.views[self.view["id"]] = self.view
        elif action == "push":
            self.pushed.append(answer["view"])
        elif action in {None, "clear"}:
            self.closed = True
        return reply

    def close_pushed(self) -> None:
        """Close the view pushed on top (its Close button): this page shows again as it was."""
        self.pushed.pop()

    async def press(self, action_id: str) -> Reply:
        """Press a button inside the modal (Back, Start over) and take the view the app updates it to."""
        standin = self.slack.standin
        view_id = self.view["id"]
        seen = len(standin.calls)
        reply = await self.slack.block_action(self.user, action_id, view=self.view, values=self.entered)

        def updated() -> bool:
            return any(
                call.method == "views.update" and call.args.get("view_id") == view_id
                for call in standin.calls[seen:]
            )

        await standin.wait_until(updated, what=f"views.update of {view_id}")
        self._replace(standin.views[view_id])
        return reply

    async def close(self) -> Reply:
        self.closed = True
        return await self.slack.view_closed(self.user, self.view, self.entered)
