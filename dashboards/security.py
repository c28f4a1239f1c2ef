"""Security headers on every response: a Content-Security-Policy, no framing but of /embed/
pages, no content-type sniffing, and no referrer sent to other sites.

Dash writes a few scripts into each page itself (its renderer and the clientside callbacks'
functions): the policy allows exactly those, by the SHA-256 of each one found in the page,
and no other inline script, so an injected script never runs even if one got into a page.
A page sent from the shared responses (dashboards.page_cache) carries the policy worked out
when it was kept.
"""

from __future__ import annotations

import base64
import hashlib
import re

import flask

#: Pages meant to be shown inside other sites' pages.
EMBED_PREFIX = "/embed/"
_INLINE_SCRIPT = re.compile(rb"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", re.S | re.I)
#: Scripts Dash writes as data, never run: no hash needed.
_DATA_SCRIPT = re.compile(rb'type="application/json"', re.I)


def content_security_policy(html: bytes | None, *, embed: bool) -> str:
    """The policy for a response (``html``: the page, whose own inline scripts it allows)."""
    hashes = []
    for match in _INLINE_SCRIPT.finditer(html or b""):
        opening = html[match.start():match.start(1)] if html else b""
        if _DATA_SCRIPT.search(opening):
            continue
        digest = base64.b64encode(hashlib.sha256(match.group(1)).digest()).decode()
        hashes.append(f"'sha256-{digest}'")
    scripts = " ".join(["'self'", *dict.fromkeys(hashes)])
    return "; ".join([
        "default-src 'self'",
        f"script-src {scripts}",
        # Plotly and Dash's components set style attributes as they draw.
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors *" if embed else "frame-ancestors 'none'",
    ])


def add_security_headers(response: flask.Response) -> flask.Response:
    """Set the headers on a response (Flask's after_request)."""
    embed = flask.request.path.startswith(EMBED_PREFIX)
    if "Content-Security-Policy" not in response.headers:  # else: a kept page's own
        html = None
        if response.mimetype == "text/html" and not response.direct_passthrough:
            html = response.get_data()
        response.headers["Content-Security-Policy"] = content_security_policy(html,
                                                                             embed=embed)
    if not embed:
        response.headers["X-Frame-Options"] = "DENY"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "same-origin"
    return response


def install_security_headers(server: flask.Flask) -> None:
    """Add the headers to every response of ``server``."""
    server.after_request(add_security_headers)
