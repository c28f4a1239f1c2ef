"""Settings: every environment variable rba and its dashboard read, declared once here with
its default and help text, and read when asked for (never at import time).

Nothing else reads the environment: code asks `get_settings()`. `rba --help` and the
README's configuration table list the same settings.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
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
    "password": Setting(
        "RBA_PASSWORD",
        "",
        "Password for `rba users add` and for commands signed as a user (`rba unlock "
        "--admin`, `rba targets ... --as`), for scripts; empty: prompt for it.",
    ),
    "demo_password": Setting(
        "RBA_DEMO_PASSWORD",
        "",
        "Password `rba demo` gives its demo users (default: rba-demo-<role>).",
    ),
    "progress": Setting(
        "RBA_PROGRESS",
        "",
        "1 prints an import's stages as lines on stderr (on a terminal they always show).",
    ),
    "cache_dir": Setting(
        "RBA_CACHE_DIR",
        "",
        "Folder of the dashboard's cache, shared by every server process (default: "
        "rba-cache in the system's temporary folder); empty it after restoring the "
        "database from a backup.",
    ),
    "proxies": Setting(
        "RBA_PROXIES",
        "0",
        "How many reverse proxies (nginx, Caddy) stand in front of `rba serve`: their "
        "X-Forwarded-For and X-Forwarded-Proto headers are then trusted, so sign-in limits "
        "count the visitor's address. 0: none (the headers are ignored).",
    ),
    "warm_seconds": Setting(
        "RBA_WARM_SECONDS",
        "3",
        "How often (seconds) `rba serve`'s warmer looks for new writes to draw into the "
        "cache; 0 turns the warmer off.",
    ),
}

TRUE = ("1", "true", "yes", "on")


@dataclass(frozen=True)
class FileLimits:
    """The most work one imported file may cause, whatever its shape (rba.workbook.guard).

    A file past a limit is refused with a message saying which, before (or instead of)
    being parsed; parsing runs in a child process held to the CPU, memory and time below.
    """

    #: Bytes of a file as uploaded or read.
    file_bytes: int = 50 * 1024 * 1024
    #: Unpacked bytes of one part of a workbook (a sheet's XML, shared strings...). A
    #: 100,000-row observations sheet unpacks to about 12 MB.
    part_bytes: int = 64 * 1024 * 1024
    #: Unpacked bytes of every part of a workbook together.
    workbook_bytes: int = 160 * 1024 * 1024
    #: Bytes of one XML token (a text run, tag, comment...): Excel's longest cell, 32,767
    #: characters, is at most about 131 KB escaped. Python's expat re-parses a token from
    #: its start at every buffer it spans, so one huge token costs quadratic time.
    xml_token_bytes: int = 160 * 1024
    #: Data rows of one sheet.
    rows: int = 1_000_000
    #: Columns of one sheet (header cells, and cells of any row of a CSV).
    columns: int = 200
    #: Characters of one CSV line.
    line_chars: int = 1024 * 1024
    #: CPU seconds, wall-clock seconds and memory (address space added to the parent's)
    #: of the child process that parses a file; past them the parse is stopped.
    parse_cpu_seconds: int = 60
    parse_wall_seconds: float = 90.0
    parse_memory_bytes: int = 2 * 1024 * 1024 * 1024


FILE_LIMITS = FileLimits()


@dataclass(frozen=True)
class Settings:
    """The settings in force, read from the environment by :func:`get_settings`."""

    database_url: str
    sample_dir: Path
    secret_key: str
    cookie_secure: bool
    actor: str
    #: None when not set (the CLI then prompts).
    password: str | None
    #: None when not set (each demo user gets rba-demo-<role>).
    demo_password: str | None
    progress: bool
    cache_dir: Path
    warm_seconds: float
    proxies: int


def get_settings(environ: Mapping[str, str] | None = None) -> Settings:
    """Read every setting from ``environ`` (default ``os.environ``), falling back to defaults."""
    env = os.environ if environ is None else environ
    values = {name: env.get(s.env, "") or s.default for name, s in SETTINGS.items()}
    return Settings(
        database_url=values["database_url"],
        sample_dir=Path(values["sample_dir"]),
        secret_key=values["secret_key"],
        cookie_secure=values["cookie_secure"].strip().lower() in TRUE,
        actor=values["actor"] or _os_user(),
        password=values["password"] or None,
        demo_password=values["demo_password"] or None,
        progress=values["progress"].strip().lower() in TRUE,
        cache_dir=Path(values["cache_dir"] or Path(tempfile.gettempdir()) / "rba-cache"),
        warm_seconds=float(values["warm_seconds"]),
        proxies=int(values["proxies"]),
    )


def _os_user() -> str:
    try:
        import getpass

        return f"cli:{getpass.getuser()}"
    except Exception:  # pragma: no cover - no user name on some containers
        return "cli:unknown"
