"""Slack's Events API over HTTP: POST /slack/events on a FastAPI app, through bolt's adapter."""

from __future__ import annotations

from fastapi import FastAPI, Request, Response

from assistant.serving.services import Services
from assistant.slack.bot import SlackBot


def mount_events(app: FastAPI, services: Services) -> SlackBot:
    """Add POST /slack/events to `app` (bolt checks each request's signature); the bot is kept
    on `app.state.slack`."""
    from slack_bolt.adapter.fastapi import SlackRequestHandler

    bot = SlackBot(services)
    handler = SlackRequestHandler(bot.app)
    app.state.slack = bot

    @app.post("/slack/events", tags=["slack"], include_in_schema=False)
    async def slack_events(request: Request) -> Response:
        response: Response = await handler.handle(request)
        return response

    return bot
