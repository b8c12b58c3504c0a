"""Who may call the HTTP server: a bearer token, required on any address but loopback (no SDK needed)."""

from __future__ import annotations

import hmac
from collections.abc import Mapping

from fluxtools._config import ConfigError, read_text

TOKEN_ENV = "FLUXTOOLS_MCP_TOKEN"
LOOPBACK = ("127.0.0.1", "localhost", "::1")
MIN_TOKEN_CHARS = 16


def is_loopback(host: str) -> bool:
    """True for the loopback names the SDK guards against DNS rebinding (127.0.0.1, localhost, ::1)."""
    return host in LOOPBACK


def read_token(token_file: str | None, environ: Mapping[str, str]) -> str | None:
    """The bearer token from `token_file` if given, else from $FLUXTOOLS_MCP_TOKEN; None when neither is set."""
    if token_file is not None:
        text, source = read_text(token_file, "the token file"), f"The token file {token_file}"
    elif TOKEN_ENV in environ:
        text, source = environ[TOKEN_ENV], f"${TOKEN_ENV}"
    else:
        return None
    token = text.strip()
    if len(token) < MIN_TOKEN_CHARS:
        raise ConfigError(
            f"{source} holds a token of {len(token)} characters; a bearer token needs at least {MIN_TOKEN_CHARS}",
            hint="Generate one: python -c 'import secrets; print(secrets.token_urlsafe(32))'",
        )
    return token


def require_token_off_loopback(host: str, token: str | None) -> None:
    """Refuse to serve on a non-loopback address without a token."""
    if token is None and not is_loopback(host):
        raise ConfigError(
            f"Refusing to serve the Flux tools on {host} without authentication: anyone who reaches the address "
            f"could use them. Set a bearer token in ${TOKEN_ENV} or pass --token-file FILE, or bind 127.0.0.1."
        )


def token_matches(expected: str, given: str) -> bool:
    """Compare two tokens in time independent of where they differ."""
    return hmac.compare_digest(expected.encode(), given.encode())
