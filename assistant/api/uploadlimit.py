"""A size limit on article uploads that holds with or without a Content-Length header.

A declared length over the limit is refused before anything is read. A chunked upload (no
Content-Length) is counted as it streams in: the moment it passes the limit the client gets the
413, the application below sees a disconnect and stops, and nothing past the limit is read or
spooled to a temporary file by the multipart parser.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from assistant.api.errors import error_response

Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[MutableMapping[str, Any], Receive, Send], Awaitable[None]]


class UploadLimit:
    """ASGI middleware: 413 for a POST to `path` whose body exceeds `limit` bytes."""

    def __init__(self, app: ASGIApp, limit: int, path: str, shown_limit: int,
                 on_refuse: Callable[[], None] = lambda: None) -> None:
        self.app, self.limit, self.path = app, limit, path
        self.shown_limit = shown_limit
        self.on_refuse = on_refuse

    async def __call__(self, scope: MutableMapping[str, Any], receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "POST" or scope["path"] != self.path:
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length", b"")
        if declared.isdigit() and int(declared) > self.limit:
            await self._refuse(scope, receive, send)
            return
        await self._counted(scope, receive, send)

    async def _counted(self, scope: MutableMapping[str, Any], receive: Receive, send: Send) -> None:
        state = {"read": 0, "refused": False, "started": False}

        async def limited_receive() -> Message:
            if state["refused"]:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                state["read"] += len(message.get("body", b""))
                if state["read"] > self.limit:
                    state["refused"] = True
                    if not state["started"]:
                        await self._refuse(scope, receive, send)
                    return {"type": "http.disconnect"}
            return message

        async def guarded_send(message: Message) -> None:
            if state["refused"]:
                return  # the 413 has been sent; whatever the app answers to the disconnect is dropped
            if message["type"] == "http.response.start":
                state["started"] = True
            await send(message)

        await self.app(scope, limited_receive, guarded_send)

    async def _refuse(self, scope: MutableMapping[str, Any], receive: Receive, send: Send) -> None:
        self.on_refuse()
        response = error_response(413, "payload_too_large",
                                  f"the upload is larger than the limit of {self.shown_limit} bytes")
        await response(scope, receive, send)
