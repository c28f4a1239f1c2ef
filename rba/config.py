"""Settings read from the environment when asked for, never at import time."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

#: The repository checkout this package lives in (rba/ is installed editable).
PROJECT_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Setting:
    """One environment setting: its variable name, default and help text."""

    env: str
    default: str
    help: str


SETTINGS: dict[str, Setting] = {
    "database_url": Setting(
        "RBA_DATABASE_URL",
        "sqlite:///rba.db",
        "SQLAlchemy URL of the store, e.g. postgresql+psycopg://user@host/db. "
        "Default: the SQLite file rba.db in the working directory.",
    ),
    "sample_dir": Setting(
        "RBA_SAMPLE_DIR",
        str(PROJECT_ROOT / "data" / "sample"),
        "Folder of the bundled sample data loaded by `rba demo`.",
    ),
    "secret_key": Setting(
        "RBA_SECRET_KEY",
        "",
        "Secret used to sign dashboard session cookies. Set it in production; "
        "when empty a random one is made at start-up.",
    ),
    "cookie_secure": Setting(
        "RBA_COOKIE_SECURE",
        "",
        "Send dashboard cookies over HTTPS only (1, true, yes or on); set it behind HTTPS.",
    ),
    "actor": Setting(
        "RBA_ACTOR",
        "",
        "Who CLI writes are recorded as in the audit trail (default: the OS user name).",
    ),
}


@dataclass(frozen=True)
class Settings:
    """The settings in force, read from the environment by :func:`get_settings`."""

    database_url: str
    sample_dir: Path
    secret_key: str
    cookie_secure: bool
    actor: str
    extra: dict[str, str] = field(default_factory=dict)


def get_settings(environ: dict[str, str] | None = None) -> Settings:
    """Read every setting from ``environ`` (default ``os.environ``), falling back to defaults."""
    env = os.environ if environ is None else environ
    values = {name: env.get(s.env, "") or s.default for name, s in SETTINGS.items()}
    actor = values["actor"] or _os_user()
    return Settings(
        database_url=values["database_url"],
        sample_dir=Path(values["sample_dir"]),
        secret_key=values["secret_key"],
        cookie_secure=values["cookie_secure"].strip().lower() in ("1", "true", "yes", "on"),
        actor=actor,
    )


def _os_user() -> str:
    try:
        import getpass

        return f"cli:{getpass.getuser()}"
    except Exception:  # pragma: no cover - no user name on some containers
        return "cli:unknown"
