"""A bounded load test on loopback: N anonymous viewers for S seconds, each loading public
pages the way a browser does (the page, Dash's layout and dependencies, then the
page-content callback), against `rba serve --workers W` started here on the database given.

Prints requests per second, p50 and p95 latency and errors: for all the viewers' requests,
for each page (its four requests) and for each kind of request, and for a floor measured
in the same run (the same viewers fetching a static file, which no page work stands
behind). On a shared machine latency says as much about the neighbours as about the
server, so it also prints the CPU time the server's processes (and, for comparison, this
client) spent per viewer request (from /proc, for a server it started): what a request
costs, whatever else runs. Requests carry ``Accept-Encoding: gzip`` as a browser's do; the time of a
request is until its last byte arrives. The load average (`uptime`) at the start and end is
printed too: the machine may be shared.

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


#: What a request is, in the figures: (the page it is for, which of the page's requests).
Step = tuple[str, str, str, bytes | None, str]
KINDS = ("page", "layout", "dependencies", "page content")


@dataclass
class Tally:
    """Latencies (seconds) and errors, by page and kind, shared by the viewer threads."""

    latencies: list[tuple[str, str, float]] = field(default_factory=list)
    errors: list[tuple[str, str, str]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, page: str, kind: str, seconds: float, error: str | None) -> None:
        with self.lock:
            self.latencies.append((page, kind, seconds))
            if error:
                self.errors.append((page, kind, error))

    def only(self, page: str | None = None, kind: str | None = None) -> Tally:
        """The requests of one page or of one kind."""
        def keep(p: str, k: str) -> bool:
            return (page is None or p == page) and (kind is None or k == kind)
        return Tally([x for x in self.latencies if keep(x[0], x[1])],
                     [x for x in self.errors if keep(x[0], x[1])])


def request(connection: http.client.HTTPConnection, method: str, path: str,
            body: bytes | None = None) -> tuple[int, bytes]:
    headers = {"Accept-Encoding": "gzip, deflate, br"}  # as a browser's requests say
    if body is not None:
        headers["Content-Type"] = "application/json"
    connection.request(method, path, body=body, headers=headers)
    response = connection.getresponse()
    return response.status, response.read()


def browse(paths: list[str]) -> Callable[[int], list[Step]]:
    """What viewer i asks for on its next page view (cycling through the pages)."""
    def visit(i: int) -> list[Step]:
        path = paths[i % len(paths)]
        return [(path, "page", "GET", None, path),
                (path, "layout", "GET", None, "/_dash-layout"),
                (path, "dependencies", "GET", None, "/_dash-dependencies"),
                (path, "page content", "POST", page_content_body(path),
                 "/_dash-update-component")]
    return visit


def static(i: int) -> list[Step]:
    return [("/assets/rba.css", "static", "GET", None, "/assets/rba.css")]


def viewer(host: str, port: int, start: int, visit: Callable[[int], list], until: float,
           tally: Tally) -> None:
    connection = http.client.HTTPConnection(host, port, timeout=60)
    i = start
    while time.monotonic() < until:
        for page, kind, method, body, path in visit(i):
            began = time.perf_counter()
            try:
                status, _ = request(connection, method, path, body)
                error = None if 200 <= status < 300 else f"{status} {method} {path}"
            except (OSError, http.client.HTTPException) as exc:
                error = f"{type(exc).__name__} {method} {path}"
                connection.close()
                connection = http.client.HTTPConnection(host, port, timeout=60)
            tally.add(page, kind, time.perf_counter() - began, error)
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
    latencies = [x[2] for x in tally.latencies]
    print(f"{label:<40}{n / seconds:8.1f} {percentile(latencies, 0.5) * 1000:8.0f} "
          f"{percentile(latencies, 0.95) * 1000:8.0f} {len(tally.errors):7d}  ({n:,} "
          f"requests)")
    for error in sorted({x[2] for x in tally.errors})[:5]:
        print(f"    e.g. {error}")


def load_average() -> str:
    try:
        with open("/proc/loadavg") as handle:
            return " ".join(handle.read().split()[:3])
    except OSError:
        return "unknown"


def start_server(database_url: str, workers: int, port: int, threads: int | None = None
                 ) -> subprocess.Popen:
    env = {**os.environ, "RBA_DATABASE_URL": database_url}
    server = subprocess.Popen([sys.executable, "-m", "rba", "serve", "--port", str(port),
                               "--workers", str(workers),
                               *(["--threads", str(threads)] if threads else [])], env=env)
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


def cpu_seconds(root: int) -> float:
    """User and system CPU seconds of process ``root`` and all its descendants (Linux)."""
    parents: dict[int, int] = {}
    times: dict[int, float] = {}
    tick = os.sysconf("SC_CLK_TCK")
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
        except OSError:  # ended meanwhile
            continue
        parents[int(entry)] = int(fields[1])
        times[int(entry)] = (int(fields[11]) + int(fields[12])) / tick
    total, family = 0.0, {root}
    for pid in sorted(parents):  # children have larger ids than their parents, mostly:
        ancestor = pid           # walk up instead of relying on it
        while ancestor not in family and ancestor in parents and ancestor > 1:
            ancestor = parents[ancestor]
        if ancestor in family:
            family.add(pid)
            total += times[pid]
    return total


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", help="a running server (default: start one)")
    parser.add_argument("--database-url", help="the store the started server reads")
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--threads", type=int, help="threads per worker (default: rba "
                        "serve's)")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--settle", type=float, default=0.0,
                        help="seconds to wait after warming up (the server's cache warmer "
                        "may still be drawing)")
    parser.add_argument("--pages", nargs="+", default=[
        "/", "/results/R2", "/indicators/grad_rate", "/equity", "/teams/academic-success"])
    args = parser.parse_args()
    server = None
    url = args.url
    if url is None:
        if not args.database_url:
            parser.error("give --url or --database-url")
        port = free_port()
        server = start_server(args.database_url, args.workers, port, args.threads)
        url = f"http://127.0.0.1:{port}"
    try:
        run(url, min(args.clients, 10), 5.0, browse(args.pages))  # warm every worker
        print(f"{args.clients} viewers for {args.seconds:g} s against {url} "
              f"({args.workers} workers); pages: {', '.join(args.pages)}")
        if args.settle:
            time.sleep(args.settle)
        print(f"load average before: {load_average()}")
        print(f"{'':<40}{'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'errors':>7}")
        cpu = (cpu_seconds(server.pid) if server else None, time.process_time())
        viewers = run(url, args.clients, args.seconds, browse(args.pages))
        cpu = (cpu_seconds(server.pid) - cpu[0] if server and cpu[0] is not None else None,
               time.process_time() - cpu[1])
        report("viewers (page, layout, deps, content)", viewers, args.seconds)
        for page in args.pages:
            report(f"  {page}", viewers.only(page=page), args.seconds)
        for kind in KINDS:
            report(f"  {kind}", viewers.only(kind=kind), args.seconds)
        report("floor: a static file", run(url, args.clients, min(args.seconds, 10.0),
                                            static), min(args.seconds, 10.0))
        print(f"load average after: {load_average()}")
        served = max(len(viewers.latencies), 1)
        if cpu[0] is not None:
            print(f"server CPU per viewer request: {cpu[0] / served * 1000:.2f} ms "
                  f"({cpu[0]:.1f} s for {served:,} requests)")
        print(f"client CPU per viewer request: {cpu[1] / served * 1000:.2f} ms")
    finally:
        if server is not None:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=60)


if __name__ == "__main__":
    main()
