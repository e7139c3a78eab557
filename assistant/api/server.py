"""Run the API with uvicorn: protected mode first, then one request log line per request that
names the caller by key id (uvicorn's own access log is off; it would add nothing but the query)."""

from __future__ import annotations

import copy
from typing import Any

from assistant.config import Settings
from assistant.serving.exposure import check_exposure


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
    """Refuse an unguarded non-loopback host (ConfigError), else build the app and serve it."""
    import uvicorn

    from assistant.api import create_app

    check_exposure(host, settings)
    application = create_app(settings)
    uvicorn.run(application, host=host, port=port, log_level=log_level, log_config=log_config(log_level),
                access_log=False)
