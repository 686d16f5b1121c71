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
    log_level: str = field(
        default="INFO", metadata={"doc": "Logging level of the service", "cast": _log_level}
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
        return cls(**values)

    @classmethod
    def documented(cls) -> list[tuple[str, str, str]]:
        """(variable, default, description) of every setting, for the README."""
        return [
            (PREFIX + spec.name.upper(), str(spec.default), spec.metadata.get("doc", ""))
            for spec in fields(cls)
        ]
