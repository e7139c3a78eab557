"""The served process: the HTTP API with the Slack events endpoint mounted beside it (when a
signing secret is set), behind uvicorn; or the Slack bot alone through Socket Mode.

This is where the interfaces meet (they never import each other): the CLI's `serve` and
`slack --socket` commands call it, and tests build the same app with `create_app`."""

from __future__ import annotations

import copy
from typing import Any

from fastapi import FastAPI

from assistant.api.app import create_app as create_api
from assistant.config import Settings, load_settings
from assistant.errors import ConfigError
from assistant.serving.exposure import check_exposure
from assistant.serving.services import Services
from assistant.slack.events import mount_events


def create_app(settings: Settings | None = None, services: Services | None = None) -> FastAPI:
    """The API over `services` (built from `settings` when not given), with POST /slack/events
    when `ASSISTANT_SLACK_SIGNING_SECRET` is set."""
    if services is None:
        from assistant.factory import build_services

        services = build_services(settings or load_settings())
    app = create_api(services=services)
    if services.settings.slack_signing_secret is not None:
        mount_events(app, services)
    return app


def log_config(level: str) -> dict[str, Any]:
    """uvicorn's logging set-up plus the `assistant` loggers (requests on stdout, the rest on stderr)."""
    from uvicorn.config import LOGGING_CONFIG

    config: dict[str, Any] = copy.deepcopy(LOGGING_CONFIG)
    python_level = "DEBUG" if level.lower() == "trace" else level.upper()
    config["handlers"]["requests"] = {"formatter": "default", "class": "logging.StreamHandler",
                                      "stream": "ext://sys.stdout"}
    config["loggers"]["assistant"] = {"handlers": ["default"], "level": python_level, "propagate": False}
    config["loggers"]["assistant.api.requests"] = {"handlers": ["requests"], "level": python_level,
                                                   "propagate": False}
    return config


def serve(settings: Settings, host: str, port: int, log_level: str = "info") -> None:
    """Refuse an unguarded non-loopback host (ConfigError), else build the app and serve it; one
    request log line per request names the caller by key id (uvicorn's access log is off)."""
    import uvicorn

    check_exposure(host, settings)
    application = create_app(settings)
    uvicorn.run(application, host=host, port=port, log_level=log_level, log_config=log_config(log_level),
                access_log=False)


def socket_mode_handler(settings: Settings) -> Any:
    """The Slack bot through Socket Mode (for workspaces without a public URL); `.start()` blocks."""
    if settings.slack_app_token is None:
        raise ConfigError("Socket Mode needs ASSISTANT_SLACK_APP_TOKEN (an xapp- token)")
    from slack_bolt.adapter.socket_mode import SocketModeHandler

    from assistant.factory import build_services
    from assistant.slack.bot import SlackBot

    bot = SlackBot(build_services(settings))
    return SocketModeHandler(bot.app, settings.slack_app_token.get_secret_value())  # type: ignore[no-untyped-call]
