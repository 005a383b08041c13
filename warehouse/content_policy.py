"""Content-Security-Policy for the HTML files the hub writes (Data Docs, the performance pack, the catalogue).

Every page is opened from disk (file://) and escapes the partner values it shows; the policy is the second wall: a
page may run only the inline scripts and event handlers named by their SHA-256 (the ones its own template wrote),
load scripts, styles, images and fonts only from files beside it, and reach no network. A value that somehow
became markup would still not run.
"""

from __future__ import annotations

import base64
import hashlib
import re
from html.parser import HTMLParser

HEAD = re.compile(r"<head\b[^>]*>", re.IGNORECASE)


def source_hash(code: str) -> str:
    """A CSP hash source for an inline script or event handler, exactly as the browser hashes its text."""
    return "'sha256-" + base64.b64encode(hashlib.sha256(code.encode("utf-8")).digest()).decode("ascii") + "'"


def policy(scripts: tuple[str, ...] | list[str] = (), handlers: tuple[str, ...] | list[str] = (),
           local_files: bool = False) -> str:
    """The policy for a page whose own inline scripts are `scripts` and own event handlers `handlers`; with
    `local_files`, scripts, styles, images and fonts may load from file:// beside it."""
    hashes = sorted({source_hash(code) for code in [*scripts, *handlers]})
    local = ["file:"] if local_files else []
    script_sources = [*local, *(["'unsafe-hashes'"] if handlers else []), *hashes]
    return "; ".join([
        "default-src 'none'",
        "script-src " + (" ".join(script_sources) or "'none'"),
        " ".join(["style-src", *local, "'unsafe-inline'"]),
        " ".join(["img-src", *local, "data:"]),
        " ".join(["font-src", *local, "data:"]),
        "base-uri 'none'",
        "form-action 'none'",
    ])


def with_policy(html: str, content_policy: str) -> str:
    """The page with its policy as the first thing in <head>, so it governs every script the page loads."""
    meta = f'<meta http-equiv="Content-Security-Policy" content="{content_policy}">'
    page, found = HEAD.subn(lambda m: m.group(0) + meta, html, count=1)
    if not found:
        raise ValueError("the page has no <head> to carry its Content-Security-Policy")
    return page


def inline_code(html: str) -> InlineCode:
    code = InlineCode()
    code.feed(html)
    code.close()
    return code


class InlineCode(HTMLParser):
    """The page's inline scripts and event-handler attributes, as the browser reads (and hashes) them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.scripts: list[str] = []
        self.handlers: list[str] = []
        self._in_inline_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handlers += [value or "" for name, value in attrs if name.startswith("on")]
        if tag == "script" and not any(name == "src" for name, _ in attrs):
            self._in_inline_script = True
            self.scripts.append("")

    def handle_data(self, data: str) -> None:
        if self._in_inline_script:
            self.scripts[-1] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_inline_script = False
