"""A cache of computed figures shared by every server process, invalidated by any write.

Reads from the store (`cached`) are keyed by (function name, arguments, database, *data
version*). The data version is the id of the newest audit event: every write to the store
(import, form, grid, CLI, undo, baseline freeze, story save) records audit events in the
same transaction, so any write changes the version and later reads miss the old entries;
nothing has to be deleted.

What is computed from such a read (`memo`) is keyed by a fingerprint of what was read
instead (`read_with_fingerprint`): after a write, an indicator's figures are read again,
but its curves and charts are computed again only if its figures changed.

Every key also carries a fingerprint of the code (`code_version`), so a deploy starts
afresh.

Entries are pickle files in one folder (``RBA_CACHE_DIR``, default ``rba-cache`` in the
system's temp folder), written to a temporary file and renamed into place, so several
dashboard processes share the cache safely and no state lives in module globals. Reads
of one database at one data version share a subfolder; the first entry of a new version
deletes the folders of versions before the previous one (at a million observations a
version's scorecard alone is tens of megabytes, so keeping them would fill the disk).
Computed entries (``memo``) live in ``memo/`` and, like anything else not written for a
week, are deleted by ``prune``, which the cache warmer runs after each round.

Whole responses sent to visitors who see published data only are kept here too, by data
version (dashboards.page_cache).
"""

from __future__ import annotations

import functools
import hashlib
import importlib
import os
import pickle
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar, cast

from sqlalchemy.orm import Session

from dashboards.data import request_data_version
from rba.config import get_settings
from rba.services.database import data_version, database_name

T = TypeVar("T")


def cache_dir() -> Path:
    """The cache folder (created on first use): RBA_CACHE_DIR or <tmp>/rba-cache."""
    folder = get_settings().cache_dir
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@functools.cache
def code_version() -> str:
    """A fingerprint of the code that computes the cached values (rba and dashboards).

    Part of every key, so after a deploy nothing computed by the old code is served,
    even at the same data version.
    """
    digest = hashlib.sha256()
    for package in ("rba", "dashboards"):
        root = Path(importlib.import_module(package).__file__ or "").resolve().parent
        # The code, and the translations it draws pages with.
        for path in sorted(p for pattern in ("*.py", "*.po") for p in root.rglob(pattern)):
            digest.update(str(path.relative_to(root)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def cache_key(name: str, args: tuple[Any, ...], database: str, version: int) -> str:
    """A file-name-safe key of a computation on one database at one data version, by this
    code (`code_version`)."""
    text = repr((name, args, database, version, code_version())).encode()
    return hashlib.sha256(text).hexdigest()


def load(path: Path) -> tuple[bool, Any]:
    """(True, the entry) from a cache file, or (False, None) when there is none."""
    try:
        with path.open("rb") as handle:
            return True, pickle.load(handle)
    except (FileNotFoundError, EOFError, pickle.UnpicklingError):
        return False, None


def store(path: Path, value: Any) -> None:
    """Write a cache file atomically (nothing when its folder has gone meanwhile)."""
    try:  # the folder may have been dropped meanwhile (a newer version): then keep nothing
        handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    except OSError:
        return
    try:
        with os.fdopen(handle, "wb") as out:
            pickle.dump(value, out, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, path)  # atomic: readers see the whole entry or none
    except OSError:
        Path(temporary).unlink(missing_ok=True)


def _through(path: Path, compute: Callable[[], T]) -> T:
    found, value = load(path)
    if found:
        return cast(T, value)
    value = compute()
    store(path, value)
    return value


def cached(session: Session, name: str, args: tuple[Any, ...], compute: Callable[[], T]
           ) -> T:
    """``compute()``'s value for (name, args) at the store's current data version.

    Read from the shared cache when present; otherwise computed, stored and returned.
    ``args`` must have a stable ``repr`` (strings, numbers, tuples, sorted items).
    """
    version = request_data_version()  # a shared response's request: read once already
    if version is None:
        version = data_version(session=session)
    database = database_name(session=session)
    key = cache_key(name, args, database, version)
    return _through(version_folder(database, version) / f"{key}.pkl", compute)


def version_folder(database: str, version: int) -> Path:
    """The folder of one database's entries at one data version (made on first use, when
    the folders of versions before the previous one are deleted)."""
    stem = hashlib.sha256(database.encode()).hexdigest()[:12]
    folder = cache_dir() / f"{stem}-v{version}"
    if not folder.is_dir():
        folder.mkdir(parents=True, exist_ok=True)
        older = {int(n): old for old in cache_dir().glob(f"{stem}-v*")
                 if (n := old.name.rpartition("-v")[2]).isdigit() and int(n) < version}
        # The previous version (the newest before this one: a write may move the version
        # by more than one) stays: requests that read it may still be writing.
        for number, old in older.items():
            if number < max(older):
                shutil.rmtree(old, ignore_errors=True)
    return folder


def fingerprint(value: Any) -> str:
    """A digest of ``value``'s pickled bytes: equal for the same figures read twice.

    Two equal values could in principle pickle differently (which costs only a miss); two
    different values never share a fingerprint (short of a SHA-256 collision).
    """
    return hashlib.sha256(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)).hexdigest()


def read_with_fingerprint(session: Session, name: str, args: tuple[Any, ...],
                          read: Callable[[], T], of: Callable[[T], Any] | None = None
                          ) -> tuple[T, str]:
    """``read()``'s value at the current data version (as `cached`) and the fingerprint
    of ``of(value)``: the part of it what is computed from it reads (default: all)."""
    def both() -> tuple[T, str]:
        value = read()
        return value, fingerprint(value if of is None else of(value))
    return cached(session, name, args, both)


def memo(name: str, args: tuple[Any, ...], compute: Callable[[], T]) -> T:
    """``compute()``'s value for (name, args), whatever the data version.

    Only for computations that read nothing but ``args``: include the fingerprint of
    everything read from the store (`read_with_fingerprint`) among them.
    """
    key = cache_key(name, args, "", 0)
    folder = cache_dir() / "memo"
    folder.mkdir(exist_ok=True)
    return _through(folder / f"{key}.pkl", compute)


def prune(max_age_seconds: float = 7 * 24 * 3600) -> int:
    """Delete version folders, cache entries and the warmer's claims not written for
    ``max_age_seconds``; returns how many."""
    cutoff, removed = time.time() - max_age_seconds, 0
    root = cache_dir()
    folders = [p for p in root.glob("*-v*") if p.is_dir()]
    # Folders first: deleting the files inside one would make it look new again.
    for path in [*folders, *root.rglob("*.pkl"), *root.glob("warm-*.lock")]:
        try:
            if path.stat().st_mtime >= cutoff:
                continue
            if path.is_dir():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink()
            removed += 1
        except FileNotFoundError:
            continue
    return removed
