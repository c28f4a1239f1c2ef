"""A bounded load test on loopback: N anonymous viewers for S seconds, each loading public
pages the way a browser does (the page, Dash's layout and dependencies, then the
page-content callback), against `rba serve --workers W` started here on the database given.

Prints requests per second, p50 and p95 latency and errors: for the viewers' requests, and
for a floor measured in the same run (the same viewers fetching a static file, which no
page work stands behind).

    RBA_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1/loadtest rba db upgrade
    RBA_DATABASE_URL=... rba demo
    python benchmarks/load_test.py --database-url postgresql+psycopg://postgres@127.0.0.1/loadtest

or against a server already running: python benchmarks/load_test.py --url http://127.0.0.1:8050
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

PAGES_CALLBACK = ".._pages_content.children..._pages_store.data.."


def page_content_body(path: str) -> bytes:
    """The request the browser sends for a page's content (Dash Pages' routing callback)."""
    return json.dumps({
        "output": PAGES_CALLBACK,
        "outputs": [{"id": "_pages_content", "property": "children"},
                    {"id": "_pages_store", "property": "data"}],
        "inputs": [{"id": "_pages_location", "property": "pathname", "value": path},
                   {"id": "_pages_location", "property": "search", "value": ""}],
        "changedPropIds": ["_pages_location.pathname"], "state": [],
    }).encode()


@dataclass
class Tally:
    """Latencies (seconds) and errors, shared by the viewer threads."""

    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, seconds: float, error: str | None) -> None:
        with self.lock:
            self.latencies.append(seconds)
            if error:
                self.errors.append(error)


def request(connection: http.client.HTTPConnection, method: str, path: str,
            body: bytes | None = None) -> tuple[int, bytes]:
    headers = {"Content-Type": "application/json"} if body is not None else {}
    connection.request(method, path, body=body, headers=headers)
    response = connection.getresponse()
    return response.status, response.read()


def browse(paths: list[str]) -> Callable[[int], list[tuple[str, str, bytes | None]]]:
    """What viewer i asks for on its next page view (cycling through the pages)."""
    def visit(i: int) -> list[tuple[str, str, bytes | None]]:
        path = paths[i % len(paths)]
        return [("GET", path, None), ("GET", "/_dash-layout", None),
                ("GET", "/_dash-dependencies", None),
                ("POST", "/_dash-update-component", page_content_body(path))]
    return visit


def static(i: int) -> list[tuple[str, str, bytes | None]]:
    return [("GET", "/assets/rba.css", None)]


def viewer(host: str, port: int, start: int, visit: Callable[[int], list], until: float,
           tally: Tally) -> None:
    connection = http.client.HTTPConnection(host, port, timeout=60)
    i = start
    while time.monotonic() < until:
        for method, path, body in visit(i):
            began = time.perf_counter()
            try:
                status, _ = request(connection, method, path, body)
                error = None if 200 <= status < 300 else f"{status} {method} {path}"
            except (OSError, http.client.HTTPException) as exc:
                error = f"{type(exc).__name__} {method} {path}"
                connection.close()
                connection = http.client.HTTPConnection(host, port, timeout=60)
            tally.add(time.perf_counter() - began, error)
        i += 1
    connection.close()


def run(url: str, clients: int, seconds: float, visit: Callable[[int], list]) -> Tally:
    parts = urlsplit(url)
    tally = Tally()
    until = time.monotonic() + seconds
    threads = [threading.Thread(target=viewer, args=(parts.hostname, parts.port, i, visit,
                                                     until, tally)) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return tally


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


def report(label: str, tally: Tally, seconds: float) -> None:
    n = len(tally.latencies)
    print(f"{label:<34}{n / seconds:8.1f} {percentile(tally.latencies, 0.5) * 1000:8.0f} "
          f"{percentile(tally.latencies, 0.95) * 1000:8.0f} {len(tally.errors):7d}  ({n:,} "
          f"requests)")
    for error in sorted(set(tally.errors))[:5]:
        print(f"    e.g. {error}")


def start_server(database_url: str, workers: int, port: int) -> subprocess.Popen:
    env = {**os.environ, "RBA_DATABASE_URL": database_url}
    server = subprocess.Popen([sys.executable, "-m", "rba", "serve", "--port", str(port),
                               "--workers", str(workers)], env=env)
    deadline = time.monotonic() + 120
    while True:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5):
                return server
        except OSError:
            if time.monotonic() > deadline or server.poll() is not None:
                server.send_signal(signal.SIGTERM)
                raise SystemExit("the server did not start") from None
            time.sleep(0.5)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", help="a running server (default: start one)")
    parser.add_argument("--database-url", help="the store the started server reads")
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--pages", nargs="+", default=[
        "/", "/results/R2", "/indicators/grad_rate", "/equity", "/teams/academic-success"])
    args = parser.parse_args()
    server = None
    url = args.url
    if url is None:
        if not args.database_url:
            parser.error("give --url or --database-url")
        port = free_port()
        server = start_server(args.database_url, args.workers, port)
        url = f"http://127.0.0.1:{port}"
    try:
        run(url, min(args.clients, 10), 5.0, browse(args.pages))  # warm every worker
        print(f"{args.clients} viewers for {args.seconds:g} s against {url} "
              f"({args.workers} workers); pages: {', '.join(args.pages)}")
        print(f"{'':<34}{'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'errors':>7}")
        report("viewers (page, layout, deps, content)", run(
            url, args.clients, args.seconds, browse(args.pages)), args.seconds)
        report("floor: a static file", run(url, args.clients, min(args.seconds, 10.0),
                                            static), min(args.seconds, 10.0))
    finally:
        if server is not None:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=60)


if __name__ == "__main__":
    main()
