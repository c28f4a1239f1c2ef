"""`rba serve`: a production server (gunicorn workers) with security headers on every
response, and SIGTERM stopping everything it started (workers and the cache warmer)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from rba.store import connect, migrate, session_scope

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("path", ["/", "/login", "/indicators/grad_rate", "/_dash-layout",
                                  "/assets/rba.css", "/no-such-page"])
def test_every_response_carries_the_security_headers(client: FlaskClient, path: str) -> None:
    response = client.get(path)
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    policy = response.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy
    assert "'unsafe-inline'" not in policy.split("script-src", 1)[1].split(";", 1)[0]


def test_a_page_allows_exactly_its_own_inline_scripts(client: FlaskClient) -> None:
    import base64
    import hashlib
    import re

    response = client.get("/")
    scripts = re.findall(r"<script(?![^>]*src=)([^>]*)>(.*?)</script>", response.text, re.S)
    run = [body for attributes, body in scripts if "application/json" not in attributes]
    assert run  # Dash's renderer at least
    policy = response.headers["Content-Security-Policy"]
    for body in run:
        digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in policy


def test_embed_pages_may_be_framed(client: FlaskClient) -> None:
    response = client.get("/embed/scorecard")
    assert "X-Frame-Options" not in response.headers
    assert "frame-ancestors *" in response.headers["Content-Security-Policy"]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def descendants(pid: int) -> set[int]:
    """Every living process below ``pid`` (from /proc)."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    found, frontier = set(), {pid}
    while frontier:
        frontier = {child for child, parent in parents.items() if parent in frontier}
        found |= frontier
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
@pytest.mark.parametrize("mode", [["--workers", "2"], ["--debug"]])
def test_sigterm_stops_the_server_and_everything_it_started(tmp_path: Path,
                                                            mode: list[str]) -> None:
    from factories import seed_store

    url = f"sqlite:///{tmp_path / 'rba.db'}"
    migrate.upgrade(url)
    maker = connect(url)
    with session_scope(maker) as session:
        seed_store(session)
    maker.kw["bind"].dispose()
    port = free_port()
    env = {**os.environ, "RBA_DATABASE_URL": url, "RBA_WARM_SECONDS": "1",
           "RBA_CACHE_DIR": str(tmp_path / "cache")}
    server = subprocess.Popen([sys.executable, "-m", "rba", "serve", "--port", str(port),
                               *mode], env=env, cwd=ROOT, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    started: set[int] = set()
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as page:
                    assert page.status == 200
                    assert page.headers["X-Frame-Options"] == "DENY"
                    break
            except OSError:
                assert time.monotonic() < deadline, "the server did not start"
                time.sleep(0.5)
        time.sleep(2)  # the warmer is up
        started = descendants(server.pid)
        assert len(started) >= (3 if "--workers" in mode else 1)  # workers and the warmer
        server.send_signal(signal.SIGTERM)
        assert server.wait(timeout=60) == 0
        deadline = time.monotonic() + 15
        while any(alive(p) for p in started) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not [p for p in started if alive(p)]
    finally:
        for pid in [server.pid, *started]:
            if alive(pid):
                os.kill(pid, signal.SIGKILL)
        server.wait(timeout=10)


@pytest.mark.parametrize(("proxies", "expected"), [("0", "127.0.0.1"), ("1", "198.51.100.7")])
def test_sign_in_counts_the_visitors_address_behind_a_trusted_proxy(
        sqlite_url: str, monkeypatch: pytest.MonkeyPatch, proxies: str, expected: str) -> None:
    import sqlalchemy as sa
    from factories import seed_store, seed_users

    from dashboards.app import create_app
    from rba.models import SignInAttempt

    with session_scope(connect(sqlite_url)) as session:
        seed_store(session)
        seed_users(session)
    monkeypatch.setenv("RBA_PROXIES", proxies)
    client = create_app(sqlite_url).server.test_client()
    client.post("/login", data={"email": "x@example.org", "password": "nope"},
                headers={"X-Forwarded-For": "198.51.100.7"},
                environ_base={"REMOTE_ADDR": "127.0.0.1"})
    with connect(sqlite_url)() as session:
        assert session.scalar(sa.select(SignInAttempt.address)) == expected
