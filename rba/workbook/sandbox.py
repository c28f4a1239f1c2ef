"""Parse a file in a child process held to a CPU-time, memory and wall-clock limit.

A file's shape can make a parser slow or greedy in ways no pre-check foresees; parsed in a
child, a stuck parse is stopped and the server (or the CLI) answers with a message instead
of hanging. The child is forked (Linux and other POSIX systems), so it starts in a
millisecond with everything already imported; it only parses, sends its result back through
a pipe and exits without running the parent's clean-up (it never touches the database).
Where fork is not available the parse runs in-process, bounded only by the pre-checks.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import resource
import signal
import time
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any, TypeVar

from rba import config
from rba.messages import N_, Message
from rba.problems import InputRejected, Problem

T = TypeVar("T")


def run_limited(func: Callable[..., T], file: str, *args: Any, **kwargs: Any) -> T:
    """``func(*args, **kwargs)`` run in a child process under rba.config.FILE_LIMITS; its
    InputRejected is raised here. Past a limit, InputRejected naming ``file`` and the limit."""
    if "fork" not in multiprocessing.get_all_start_methods():
        return func(*args, **kwargs)  # pragma: no cover - Windows
    limits = config.FILE_LIMITS
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_child, args=(sender, func, args, kwargs), daemon=True)
    child.start()
    sender.close()
    started = time.monotonic()
    try:
        if not receiver.poll(limits.parse_wall_seconds):
            raise _refusal(file, Message(N_(
                "reading the file took longer than {seconds:g} seconds and was stopped"),
                seconds=limits.parse_wall_seconds))
        try:
            kind, payload = receiver.recv()
        except (EOFError, OSError, pickle.UnpicklingError):
            child.join(max(0.0, limits.parse_wall_seconds - (time.monotonic() - started)))
            raise _refusal(file, _death(child.exitcode)) from None
    finally:
        if child.is_alive():
            child.kill()
        child.join()
        receiver.close()
    if kind == "ok":
        return payload  # type: ignore[no-any-return]
    if kind == "memory":
        raise _refusal(file, Message(N_(
            "reading the file needs more than {megabytes:,} MB of memory and was stopped"),
            megabytes=limits.parse_memory_bytes // (1024 * 1024)))
    if isinstance(payload, InputRejected):
        raise payload
    raise _refusal(file, Message(N_("cannot read the file: {error}"), error=str(payload)))


def _refusal(file: str, message: Message) -> InputRejected:
    return InputRejected([Problem(file, "", None, None, None, message)])


def _death(exitcode: int | None) -> Message:
    limits = config.FILE_LIMITS
    if exitcode == -signal.SIGXCPU or exitcode == -signal.SIGKILL:
        return Message(N_("reading the file took more than {seconds:,} seconds of processor "
                          "time and was stopped"), seconds=limits.parse_cpu_seconds)
    return Message(N_("reading the file needs more than {megabytes:,} MB of memory and was "
                      "stopped"), megabytes=limits.parse_memory_bytes // (1024 * 1024))


def _child(sender: Connection, func: Callable[..., Any], args: tuple, kwargs: dict) -> None:
    limits = config.FILE_LIMITS
    cpu = limits.parse_cpu_seconds
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 5))
    # The child shares the parent's address space as it was: allow that much more.
    mapped = _address_space()
    if mapped:
        resource.setrlimit(resource.RLIMIT_AS, (mapped + limits.parse_memory_bytes,
                                                resource.RLIM_INFINITY))
    try:
        sender.send(("ok", func(*args, **kwargs)))
    except MemoryError:
        _send(sender, ("memory", None))
    except InputRejected as exc:
        _send(sender, ("error", exc))
    except BaseException as exc:  # noqa: BLE001 - the parent must learn of every failure
        _send(sender, ("error", f"{type(exc).__name__}: {exc}"))
    finally:
        sender.close()


def _send(sender: Connection, message: tuple[str, Any]) -> None:
    try:
        sender.send(message)
    except MemoryError:
        sender.send(("memory", None))


def _address_space() -> int:
    """Bytes of virtual memory this process maps now (0 where /proc is not there)."""
    try:
        with open(f"/proc/{os.getpid()}/statm") as statm:
            return int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):  # pragma: no cover - no /proc
        return 0
