"""The bolt app: listeners for mentions, direct messages, `/ask` and feedback buttons.

A thread's conversation has a random `slack_` id found through the thread, and is owned by the
thread (an `/ask` answer by its user): nothing of it is reachable through the HTTP API.

Bolt acknowledges each request at once and runs the listener in its thread pool (events) or
as a lazy listener (`/ask`), so Slack's 3-second limit is always met. Every answer goes into
the thread of the question; the thread is the conversation, so follow-ups are condensed with
its history. Event ids are claimed in SQLite before any work, so a retried event is answered
once, even across restarts.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from typing import Any

from slack_bolt import App, BoltResponse
from slack_sdk import WebClient

from assistant.errors import AssistantError, ConfigError, RateLimitedError
from assistant.serving.ratelimit import RateLimiter
from assistant.serving.services import Services
from assistant.slack.render import answer_blocks, escape, fallback_text
from assistant.slack.state import SlackState
from assistant.storage.conversations import SLACK_OWNER_PREFIX
from assistant.text.normalize import detect_script

log = logging.getLogger(__name__)
MENTION = re.compile(r"<@[A-Z0-9]+(?:\|[^>]*)?>")
WORKING = "eyes"

POLITE = {
    "Hans": "抱歉，处理这个问题时出了点问题，请稍后再试。",
    "Hant": "抱歉，處理這個問題時出了點問題，請稍後再試。",
    "Latn": "Sorry, something went wrong while answering. Please try again in a moment.",
}
SLOW_DOWN = {
    "Hans": "这个频道的提问太多了，请 {seconds} 秒后再试。",
    "Hant": "這個頻道的提問太多了，請 {seconds} 秒後再試。",
    "Latn": "Too many questions in this channel right now; please try again in {seconds} s.",
}
THINKING = "思考中… / Thinking…"
USAGE = "用法 / Usage: `/ask 英伟达因H20禁令计提了多少损失？`"


def slack_owner(team: str | None, *parts: object) -> str:
    """The owner of a Slack conversation: a thread (`team, channel, thread_ts`) or, for `/ask`, a
    user (`team, user`). No API caller's owner starts with `slack:`, so the HTTP API never
    reaches these conversations."""
    return SLACK_OWNER_PREFIX + ":".join([team or "-", *(str(p) for p in parts)])


class SlackBot:
    """Listeners over the shared services; `app` is the bolt App to mount or run in Socket Mode."""

    def __init__(self, services: Services, client: WebClient | None = None,
                 channel_limiter: RateLimiter | None = None) -> None:
        settings = services.settings
        if settings.slack_bot_token is None or settings.slack_signing_secret is None:
            raise ConfigError("the Slack bot needs ASSISTANT_SLACK_BOT_TOKEN and ASSISTANT_SLACK_SIGNING_SECRET")
        token = settings.slack_bot_token.get_secret_value()
        self.services = services
        self.state = SlackState(settings.conversations_path.with_name("slack.db"))
        self.channels = channel_limiter or RateLimiter(per_minute=20, burst=5)
        self.app = App(token=token, signing_secret=settings.slack_signing_secret.get_secret_value(),
                       client=client or WebClient(token=token, base_url=settings.slack_api_url),
                       process_before_response=False)
        self.app.middleware(self._dedupe)
        self.app.event("app_mention")(self._on_mention)
        self.app.event("message")(self._on_message)
        self.app.command("/ask")(ack=self._ack_command, lazy=[self._answer_command])
        self.app.action(re.compile(r"^feedback_(up|down)$"))(self._on_feedback)

    # ------------------------------------------------------------------ middleware

    def _dedupe(self, body: dict[str, Any], next: Callable[[], BoltResponse]) -> BoltResponse | None:
        event_id = body.get("event_id")
        if event_id and not self.state.first_time(str(event_id)):
            log.info("ignoring already handled Slack event %s", event_id)
            return BoltResponse(status=200, body="")
        return next()

    # ------------------------------------------------------------------ listeners

    def _on_mention(self, event: dict[str, Any], client: WebClient, context: dict[str, Any]) -> None:
        if not self._from_bot(event, context):
            self._answer_in_thread(client, event, context.get("team_id"))

    def _on_message(self, event: dict[str, Any], client: WebClient, context: dict[str, Any]) -> None:
        if event.get("channel_type") == "im" and not event.get("subtype") and not self._from_bot(event, context):
            self._answer_in_thread(client, event, context.get("team_id"))

    def _ack_command(self, ack: Callable[..., None], command: dict[str, Any]) -> None:
        ack(text=THINKING if command.get("text", "").strip() else USAGE, response_type="ephemeral")

    def _answer_command(self, command: dict[str, Any], client: WebClient) -> None:
        question = command.get("text", "").strip()
        if not question:
            return
        channel = command["channel_id"]
        try:
            self.channels.take(f"slack:{channel}")
            result = self.services.chat.ask(question, slack_owner(command.get("team_id"), command.get("user_id")))
            header = f"<@{command.get('user_id')}> /ask {escape(question)}"
            client.chat_postMessage(channel=channel, text=fallback_text(result.answer),
                                    blocks=[{"type": "context", "elements": [{"type": "mrkdwn", "text": header}]},
                                            *answer_blocks(result.answer, result.message_id)])
        except Exception as exc:
            self._apologise(client, channel, None, question, exc, user=command.get("user_id"))

    def _on_feedback(self, ack: Callable[[], None], body: dict[str, Any], action: dict[str, Any]) -> None:
        ack()
        value = "up" if action["action_id"] == "feedback_up" else "down"
        self.state.record_feedback(str(action.get("value", "")), str(body.get("user", {}).get("id", "")), value)
        self.services.metrics.feedback.labels("slack", value).inc()

    # ------------------------------------------------------------------ answering

    @staticmethod
    def _from_bot(event: dict[str, Any], context: dict[str, Any]) -> bool:
        return bool(event.get("bot_id") or event.get("subtype") == "bot_message"
                    or (context.get("bot_user_id") and event.get("user") == context.get("bot_user_id")))

    def _answer_in_thread(self, client: WebClient, event: dict[str, Any], team: str | None) -> None:
        channel, ts = event["channel"], event["ts"]
        thread = event.get("thread_ts") or ts
        question = MENTION.sub("", event.get("text", "")).strip()
        self._react(client.reactions_add, channel, ts)
        try:
            self.channels.take(f"slack:{channel}")
            if not question:
                client.chat_postMessage(channel=channel, thread_ts=thread, text=USAGE)
                return
            owner = slack_owner(team, channel, thread)
            conversation = self.services.conversations.for_key(owner, owner)
            result = self.services.chat.ask(question, owner, conversation_id=conversation)
            client.chat_postMessage(channel=channel, thread_ts=thread, text=fallback_text(result.answer),
                                    blocks=answer_blocks(result.answer, result.message_id))
        except Exception as exc:
            self._apologise(client, channel, thread, question, exc)
        finally:
            self._react(client.reactions_remove, channel, ts)

    def _apologise(self, client: WebClient, channel: str, thread: str | None, question: str, exc: Exception,
                   user: str | None = None) -> None:
        script = detect_script(question) if question else "Hans"
        if isinstance(exc, RateLimitedError):
            text = SLOW_DOWN[script].format(seconds=exc.retry_after)
        else:
            text = POLITE[script]
            if not isinstance(exc, AssistantError):
                log.exception("Slack answer failed")
            else:
                log.warning("Slack answer failed: %s", exc)
        try:
            if user and thread is None:
                client.chat_postEphemeral(channel=channel, user=user, text=text)
            else:
                client.chat_postMessage(channel=channel, thread_ts=thread, text=text)
        except Exception:
            log.exception("could not tell the Slack user about the failure")

    @staticmethod
    def _react(call: Callable[..., Any], channel: str, ts: str) -> None:
        try:
            call(channel=channel, timestamp=ts, name=WORKING)
        except Exception as exc:  # a missing reaction must not stop the answer
            log.info("reaction %s failed: %s", WORKING, exc)
