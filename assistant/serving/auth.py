"""API keys: bearer tokens checked against SHA-256 hashes; plain keys in the settings are hashed
at start-up and never kept. `assistant keys hash KEY` prints the `sha256:` form to configure.
A caller is known by its key id (never the key): it names them in logs and owns their conversations."""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass

from assistant.errors import AuthError, ConfigError, ForbiddenError
from assistant.storage.conversations import LOCAL_OWNER

PREFIX = "sha256:"


def hash_key(key: str) -> str:
    return PREFIX + hashlib.sha256(key.encode("utf-8")).hexdigest()


def _digests(spec: str | None) -> list[str]:
    digests = []
    for item in (spec or "").split(","):
        item = item.strip()
        if not item:
            continue
        if item.startswith(PREFIX):
            hexpart = item[len(PREFIX):].lower()
            if len(hexpart) != 64 or any(c not in "0123456789abcdef" for c in hexpart):
                raise ConfigError("an API key hash must be `sha256:` followed by 64 hex digits")
            digests.append(PREFIX + hexpart)
        else:
            digests.append(hash_key(item))
    return digests


def key_id(digest: str) -> str:
    """A key's stable public id: `key:` and the first 12 hex digits of its SHA-256 (the start of
    what `assistant keys hash` prints), so logs and owners never hold the key itself."""
    return "key:" + digest[len(PREFIX):len(PREFIX) + 12]


@dataclass(frozen=True)
class Principal:
    """Who is calling: `key_id` names the key without revealing it (for limits and logs);
    `owner` owns the conversations the caller starts (the key id, or `local` without keys)."""

    key_id: str
    admin: bool
    owner: str


class KeyRing:
    def __init__(self, keys: str | None, admin_keys: str | None = None) -> None:
        self._admin = _digests(admin_keys)
        self._users = _digests(keys) + self._admin
        ids = {key_id(d): d for d in self._users}
        if len(ids) != len(set(self._users)):
            raise ConfigError("two different API keys share a key id; replace one of them")

    @property
    def enabled(self) -> bool:
        return bool(self._users)

    def authenticate(self, authorization: str | None, client: str) -> Principal:
        """The caller for an `Authorization` header; with auth off, everyone is an admin."""
        if not self.enabled:
            return Principal(f"ip:{client}", admin=True, owner=LOCAL_OWNER)
        scheme, _, token = (authorization or "").partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise AuthError("missing bearer token: send `Authorization: Bearer <key>`")
        digest = hash_key(token.strip())
        if not any(hmac.compare_digest(digest, known) for known in self._users):
            raise AuthError("unknown API key")
        admin = any(hmac.compare_digest(digest, known) for known in self._admin)
        caller = key_id(digest)
        return Principal(caller, admin, owner=caller)

    @staticmethod
    def require_admin(principal: Principal) -> None:
        if not principal.admin:
            raise ForbiddenError("this action needs an admin key")
