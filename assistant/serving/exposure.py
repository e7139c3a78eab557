"""Protected mode (as Redis has it): `assistant serve` listens beyond this machine only with API
keys, or when `ASSISTANT_ALLOW_UNAUTHENTICATED=true` says an open server is meant. Loopback stays
open, for local use."""

from __future__ import annotations

import ipaddress
import socket

from pydantic import SecretStr

from assistant.config import Settings
from assistant.errors import ConfigError
from assistant.serving.auth import KeyRing


def is_loopback(host: str) -> bool:
    """True when `host` (an address or a name) can only be reached from this machine."""
    name = host.strip().strip("[]")
    if name.lower() == "localhost" or name.lower().endswith(".localhost"):
        return True
    try:
        return _loopback_address(name)
    except ValueError:
        pass
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(name, None)}
    except (OSError, UnicodeError):
        return False  # unresolvable: uvicorn will say so; never assume it is private
    return bool(addresses) and all(_loopback_address(str(a).split("%")[0]) for a in addresses)


def _loopback_address(text: str) -> bool:
    address = ipaddress.ip_address(text)
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped.is_loopback
    return address.is_loopback


def check_exposure(host: str, settings: Settings) -> None:
    """Raise ConfigError when the API would listen on a non-loopback `host` without keys."""
    keys = KeyRing(_plain(settings.api_keys), _plain(settings.admin_api_keys))  # also validates them
    if keys.enabled or settings.allow_unauthenticated or is_loopback(host):
        return
    raise ConfigError(f"refusing to serve on {host} without API keys: set ASSISTANT_API_KEYS "
                      "(or ASSISTANT_ALLOW_UNAUTHENTICATED=true if an open server is really meant)")


def _plain(value: SecretStr | None) -> str | None:
    return value.get_secret_value() if value is not None else None
