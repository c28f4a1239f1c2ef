"""Compressed responses and long-lived caching of files that never change at their address.

Dash's component scripts (``/_dash-component-suites/...``, their version in the file
name) and the app's assets (``/assets/...?m=<modified>``) never change at one address:
browsers may keep them a year, and each is compressed once per process and kept (plotly's
script alone is 4.8 MB, 1.5 MB compressed). Other text responses of a kilobyte or more
are compressed as they are sent, when the browser accepts gzip. Responses already
compressed (the shared ones, dashboards.cache) are left as they are.

A reverse proxy in front may compress instead (nginx ``gzip on``, Caddy ``encode``): it
then sees the ``Content-Encoding`` and leaves these alone.
"""

from __future__ import annotations

import functools
import gzip

import flask

#: Media types worth compressing (text: HTML, CSS, scripts, JSON, SVG).
COMPRESSIBLE = ("text/", "application/json", "application/javascript", "image/svg+xml")
MIN_BYTES = 1024
#: Larger responses are sent as they are (not read whole into memory to compress them).
MAX_BYTES = 16 * 1024 * 1024
YEAR = 365 * 24 * 3600
#: Compressed files kept per process at most (Dash's scripts and the assets: a few dozen).
KEPT = 256


def immutable(request: flask.Request, response: flask.Response, prefix: str) -> bool:
    """Whether the response is a file that never changes at its address: one of Dash's
    scripts with its version in its name, or an asset asked for with its time (``?m=``)."""
    if request.path.startswith(f"{prefix}_dash-component-suites/"):
        return response.cache_control.max_age == YEAR  # Dash: a fingerprinted file name
    return request.path.startswith(f"{prefix}assets/") and "m" in request.args


def compress(response: flask.Response, prefix: str = "/") -> flask.Response:
    """Flask's after_request: long caching for unchanging files, gzip where accepted."""
    request = flask.request
    if response.status_code != 200 or not (response.mimetype or "").startswith(COMPRESSIBLE):
        return response
    server = flask.current_app
    unchanging = immutable(request, response, prefix)
    if unchanging:
        response.cache_control.public = True
        response.cache_control.max_age = YEAR
        response.cache_control.immutable = True
    if "Content-Encoding" in response.headers:
        return response
    response.vary.add("Accept-Encoding")
    if request.accept_encodings["gzip"] <= 0 or (response.content_length or 0) > MAX_BYTES \
            or not (response.is_sequence or response.direct_passthrough):  # a stream: as is
        return response
    response.direct_passthrough = False  # a static file: read it to compress it
    plain = response.get_data()
    if len(plain) < MIN_BYTES:
        return response
    kept: dict[str, bytes] = server.extensions.setdefault("rba_compressed", {})
    body = kept.get(request.full_path) if unchanging else None
    if body is None:
        body = gzip.compress(plain, compresslevel=6 if unchanging else 5, mtime=0)
        if unchanging:
            if len(kept) >= KEPT:
                kept.clear()
            kept[request.full_path] = body
    response.set_data(body)
    response.headers["Content-Encoding"] = "gzip"
    response.headers.pop("Accept-Ranges", None)  # ranges of the compressed bytes: none
    etag, weak = response.get_etag()
    if etag and not weak:  # the same file, another encoding: no longer byte-identical
        response.set_etag(etag, weak=True)
    return response


def install_compression(server: flask.Flask, prefix: str = "/") -> None:
    """Compress ``server``'s responses (the Dash app's routes start with ``prefix``).

    Install it before every other after_request hook: Flask runs them last-installed
    first, so this one sees the final body."""
    server.after_request(functools.partial(compress, prefix=prefix))
