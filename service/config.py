"""Configuration, read once from ``THROUGHLINE_*`` environment variables and cast strictly.

Every variable is listed in the README; a bad value stops the service at start-up.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields

PREFIX = "THROUGHLINE_"


class ConfigError(ValueError):
    """A configuration variable has a value the service cannot use."""


def _bool(raw: str) -> bool:
    lowered = raw.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ValueError(f"expected true or false, got {raw!r}")


def _positive_int(raw: str) -> int:
    value = int(raw)
    if value <= 0:
        raise ValueError(f"expected a positive integer, got {raw!r}")
    return value


def _non_negative_int(raw: str) -> int:
    value = int(raw)
    if value < 0:
        raise ValueError(f"expected zero or more, got {raw!r}")
    return value


def _positive_number(raw: str) -> float:
    value = float(raw)
    if not value > 0 or value == float("inf"):
        raise ValueError(f"expected a positive number, got {raw!r}")
    return value


def _csv(raw: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in raw.split(",") if part.strip())


def _algorithms(raw: str) -> tuple[str, ...]:
    algorithms = _csv(raw)
    allowed = {"HS256", "HS384", "HS512", "RS256", "RS384", "RS512", "ES256", "ES384", "PS256"}
    unknown = [name for name in algorithms if name not in allowed]
    if unknown:
        raise ValueError(f"unsupported JWT algorithms {unknown}; use some of {sorted(allowed)}")
    return algorithms


def _secret_key(raw: str) -> str | None:
    if not raw.strip():
        return None  # set but empty, as compose passes an unset variable: the explorer stays off
    if len(raw) < 32:
        raise ValueError("expected at least 32 characters (for example `openssl rand -hex 32`)")
    return raw


def _log_level(raw: str) -> str:
    level = raw.strip().upper()
    if level not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
        raise ValueError(f"expected a logging level, got {raw!r}")
    return level


@dataclass(frozen=True)
class Config:
    """Settings of one Throughline process; field ``x`` comes from ``THROUGHLINE_X``."""

    database_url: str = field(
        default="sqlite:///throughline.db",
        metadata={"doc": "SQLAlchemy URL of the database; PostgreSQL as postgresql+psycopg://"},
    )
    max_body_bytes: int = field(
        default=1_048_576,
        metadata={
            "doc": "Largest request body accepted, in bytes (413 above)",
            "cast": _positive_int,
        },
    )
    max_import_bytes: int = field(
        default=268_435_456,
        metadata={"doc": "Largest bulk import body, in bytes", "cast": _positive_int},
    )
    system_actor: str = field(
        default="system",
        metadata={"doc": "Actor recorded in the audit trail for writes made without a caller"},
    )
    stale_after_days: int = field(
        default=14,
        metadata={
            "doc": "Days without a check-in after which a key result is stale",
            "cast": _positive_int,
        },
    )
    migrate_on_start: bool = field(
        default=True,
        metadata={"doc": "Apply pending migrations when the service starts", "cast": _bool},
    )
    auth_failures_per_minute: int = field(
        default=20,
        metadata={
            "doc": "Failed authentications allowed per client address and minute (429 above)",
            "cast": _positive_int,
        },
    )
    proxy_count: int = field(
        default=0,
        metadata={
            "doc": "Reverse proxies in front of the service whose X-Forwarded-For is trusted",
            "cast": _non_negative_int,
        },
    )
    cors_origins: tuple[str, ...] = field(
        default=(),
        metadata={
            "doc": "Comma-separated portal origins allowed to call the API from browsers "
            "(empty: CORS off)",
            "cast": _csv,
        },
    )
    jwt_secret: str | None = field(
        default=None,
        metadata={"doc": "Shared secret for HS256 identity-provider JWTs", "secret": True},
    )
    jwt_public_key: str | None = field(
        default=None,
        metadata={"doc": "PEM public key (or @path to a PEM file) for RS256/ES256 JWTs"},
    )
    jwt_algorithms: tuple[str, ...] = field(
        default=(),
        metadata={
            "doc": "Accepted JWT algorithms (default: HS256 with a secret, RS256 and ES256 "
            "with a public key)",
            "cast": _algorithms,
        },
    )
    jwt_issuer: str | None = field(
        default=None, metadata={"doc": "Required `iss` of JWTs (required when JWTs are on)"}
    )
    jwt_audience: str | None = field(
        default=None, metadata={"doc": "Required `aud` of JWTs (required when JWTs are on)"}
    )
    jwt_person_claim: str = field(
        default="email",
        metadata={"doc": "Claim naming the person: an email, a person id or a person ref"},
    )
    jwt_role_claim: str = field(
        default="throughline_role",
        metadata={"doc": "Claim holding the role (viewer, editor, admin); viewer if absent"},
    )
    client_header_timeout: float = field(
        default=10,
        metadata={
            "doc": "Seconds a client may take to send its request line and headers (408 after)",
            "cast": _positive_number,
        },
    )
    client_body_timeout: float = field(
        default=10,
        metadata={
            "doc": "Seconds a client may take to send its body, plus one per 64 KiB it has "
            "sent (408 after)",
            "cast": _positive_number,
        },
    )
    db_connect_timeout: int = field(
        default=5,
        metadata={
            "doc": "Seconds to wait for a new database connection (PostgreSQL; 2 at least)",
            "cast": _positive_int,
        },
    )
    db_network_timeout: int = field(
        default=10,
        metadata={
            "doc": "Seconds after which a PostgreSQL connection that gets no answer from the "
            "network is dropped (TCP user timeout and keepalives)",
            "cast": _positive_int,
        },
    )
    db_statement_timeout: int = field(
        default=20,
        metadata={
            "doc": "Seconds a database statement may run or wait for a lock (PostgreSQL "
            "statement_timeout, SQLite busy timeout)",
            "cast": _positive_int,
        },
    )
    db_pool_timeout: int = field(
        default=10,
        metadata={
            "doc": "Seconds a request waits for a free pooled database connection",
            "cast": _positive_int,
        },
    )
    secret_key: str | None = field(
        default=None,
        metadata={
            "doc": "Key (32+ characters, the same on every worker and instance) that signs and "
            "encrypts explorer sessions; the explorer at /ui/ is off while it is unset",
            "cast": _secret_key,
            "secret": True,
        },
    )
    session_minutes: int = field(
        default=480,
        metadata={
            "doc": "How long an explorer sign-in lasts (a token's or JWT's own expiry ends it "
            "sooner)",
            "cast": _positive_int,
        },
    )
    log_level: str = field(
        default="INFO", metadata={"doc": "Logging level of the service", "cast": _log_level}
    )

    graph_snapshot_dir: str | None = field(
        default=None,
        metadata={
            "doc": "Directory where workers keep a snapshot of the graph, to start in seconds "
            "instead of building it from the database (none: each worker builds it)"
        },
    )

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides) -> Config:
        """Read every setting from ``environ`` (default: the process environment)."""
        environ = os.environ if environ is None else environ
        values = {}
        for spec in fields(cls):
            name = PREFIX + spec.name.upper()
            if name not in environ:
                continue
            cast = spec.metadata.get("cast", str)
            try:
                values[spec.name] = cast(environ[name])
            except ValueError as exc:
                raise ConfigError(f"{name}: {exc}") from None
        values.update(overrides)
        config = cls(**values)
        config.check()
        return config

    def check(self) -> None:
        """Refuse combinations that cannot work, at start-up rather than at the first request."""
        if self.secret_key is not None and len(self.secret_key) < 32:
            raise ConfigError(f"{PREFIX}SECRET_KEY: expected at least 32 characters")
        if (self.jwt_secret or self.jwt_public_key) and not (self.jwt_issuer and self.jwt_audience):
            raise ConfigError(
                f"{PREFIX}JWT_ISSUER and {PREFIX}JWT_AUDIENCE are required when JWTs are on"
            )

    @property
    def jwt_key(self) -> str | None:
        """The key JWT signatures are checked with, read from a file when given as @path."""
        key = self.jwt_public_key or self.jwt_secret
        if key and key.startswith("@"):
            with open(key[1:], encoding="utf-8") as handle:
                return handle.read()
        return key

    @property
    def jwt_accepted_algorithms(self) -> list[str]:
        if self.jwt_algorithms:
            return list(self.jwt_algorithms)
        return ["RS256", "ES256"] if self.jwt_public_key else ["HS256"]

    @classmethod
    def documented(cls) -> list[tuple[str, str, str]]:
        """(variable, default, description) of every setting, for the README."""
        return [
            (PREFIX + spec.name.upper(), _shown(spec.default), spec.metadata.get("doc", ""))
            for spec in fields(cls)
        ]


def _shown(default) -> str:
    if default is None or default == ():
        return "(none)"
    return str(default)
