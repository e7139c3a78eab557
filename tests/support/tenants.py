"""Callers and the cross-tenant matrix: every request that names a conversation or its answer,
tried by another key and by an admin (404, the body of an unknown id) and then by the owner."""

from __future__ import annotations

from typing import Any

import httpx
from fastapi.testclient import TestClient

from assistant.serving.auth import KeyRing, hash_key
from assistant.serving.services import Services

QUESTION = "H20的单价大约是多少？"
FOLLOW_UP = "那它的性能呢？"
OWNER, OTHER, ADMIN = "owner-key-1", "other-key-2", "admin-key-3"
KEYS = {"owner": OWNER, "other": OTHER, "admin": ADMIN}


def auth(key: str | None) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"} if key else {}


def keyring() -> KeyRing:
    return KeyRing(f"{OWNER},{hash_key(OTHER)}", ADMIN)


def start(client: httpx.Client | TestClient, key: str | None = OWNER) -> dict[str, Any]:
    response = client.post("/v1/chat", json={"question": QUESTION}, headers=auth(key))
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def attempts(conversation_id: str, message_id: str) -> dict[str, tuple[str, str, dict[str, Any] | None]]:
    """Every request that names the conversation or its answer: (method, path, JSON body)."""
    return {
        "read": ("GET", f"/v1/conversations/{conversation_id}", None),
        "continue": ("POST", "/v1/chat", {"question": FOLLOW_UP, "conversation_id": conversation_id}),
        "continue_stream": ("POST", "/v1/chat", {"question": FOLLOW_UP, "conversation_id": conversation_id,
                                                 "stream": True}),
        "completions": ("POST", "/v1/chat/completions", {
            "model": "assistant", "conversation_id": conversation_id,
            "messages": [{"role": "user", "content": FOLLOW_UP}]}),
        "completions_stream": ("POST", "/v1/chat/completions", {
            "model": "assistant", "conversation_id": conversation_id, "stream": True,
            "messages": [{"role": "user", "content": FOLLOW_UP}]}),
        "feedback": ("POST", f"/v1/messages/{message_id}/feedback", {"value": "up"}),
        "delete": ("DELETE", f"/v1/conversations/{conversation_id}", None),
    }


def call(client: httpx.Client | TestClient, method: str, path: str, body: dict[str, Any] | None,
         key: str | None) -> Any:
    """The response (httpx's, or TestClient's own kind)."""
    return client.request(method, path, json=body, headers=auth(key))


def check_matrix(client: httpx.Client | TestClient, services: Services) -> dict[str, dict[str, int]]:
    """Run the matrix; returns {endpoint: {caller: status}} for the report."""
    first = start(client)
    conversation_id, message_id = first["conversation_id"], first["message_id"]
    seen: dict[str, dict[str, int]] = {}
    denied: dict[str, Any] = {}
    for name, (method, path, body) in attempts(conversation_id, message_id).items():
        for caller in ("other", "admin"):
            response = call(client, method, path, body, KEYS[caller])
            seen.setdefault(name, {})[caller] = response.status_code
            assert response.status_code == 404, (name, caller, response.text)
            assert response.json()["error"]["code"] == "not_found"
            denied[f"{name}/{caller}"] = response
    # nothing the others tried reached the conversation
    stored = call(client, "GET", f"/v1/conversations/{conversation_id}", None, OWNER).json()
    assert [m["role"] for m in stored["messages"]] == ["user", "assistant"]
    assert services.conversations.feedback(message_id) == {}
    for caller in ("other", "admin"):
        listed = call(client, "GET", "/v1/conversations", None, KEYS[caller]).json()["conversations"]
        assert conversation_id not in {c["conversation_id"] for c in listed}
    # the owner may do all of it
    for name, (method, path, body) in attempts(conversation_id, message_id).items():
        response = call(client, method, path, body, OWNER)
        seen[name]["owner"] = response.status_code
        assert response.status_code == (204 if name == "delete" else 200), (name, response.text)
        if name == "completions":
            assert response.json()["conversation_id"] == conversation_id and response.json()["message_id"]
        if name in ("continue_stream", "completions_stream"):
            assert '"conversation_id"' in response.text and conversation_id in response.text
    assert services.conversations.feedback(message_id) == {"up": 1}
    # the conversation is gone now: an unknown id answers exactly what the other callers got
    for name, (method, path, body) in attempts(conversation_id, message_id).items():
        if name == "feedback":
            continue  # its message is gone too
        unknown = call(client, method, path, body, OWNER)
        assert unknown.status_code == 404
        for caller in ("other", "admin"):
            assert denied[f"{name}/{caller}"].json() == unknown.json(), (name, caller)
            assert denied[f"{name}/{caller}"].headers.get("content-length") == unknown.headers.get("content-length")
    return seen
