"""`hub reference fetch` against a loopback HTTP server serving a copy of the reference files (never the internet).

The server can cut a download short (it promises the whole file and closes the connection half-way) or corrupt a
byte, so resuming, retrying and refusing a file that is not the manifest's are exercised for real.
"""

from __future__ import annotations

import shutil
import socket
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from loaders.reference_data import manifest
from tests.helpers import hub_cli, make_hub
from warehouse.reference_fetch import FetchError, ReferenceUnreachable, fetch_reference

SMALL = ("geography/gm_ward22_to_lad22_lookup.csv", "geography/gm_lsoa21_to_ward22_to_lad22_bestfit.csv")


class ReferenceServer(SimpleHTTPRequestHandler):
    """Serves its directory with Range support; `mode` cuts the first response short or corrupts every one."""

    mode = "whole"
    requests: list[tuple[str, str | None]] = []

    def log_message(self, *args) -> None:
        pass

    def do_GET(self) -> None:
        type(self).requests.append((self.path, self.headers.get("Range")))
        data = (Path(self.directory) / self.path.lstrip("/")).read_bytes()
        start = int(self.headers["Range"].removeprefix("bytes=").rstrip("-")) if self.headers.get("Range") else 0
        body = data[start:]
        if self.mode == "corrupt":
            body = bytes([body[0] ^ 0xFF]) + body[1:]
        self.send_response(206 if start else 200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.mode == "cut" and len(type(self).requests) == 1:
            self.wfile.write(body[: len(body) // 2])
            self.close_connection = True
            return
        self.wfile.write(body)


@pytest.fixture
def server(real_dir, tmp_path):
    copy = tmp_path / "mirror"
    for path in SMALL:
        (copy / path).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(real_dir / path, copy / path)
    handler = type("Handler", (ReferenceServer,), {"requests": []})
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), lambda *a: handler(*a, directory=str(copy)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}", handler
    httpd.shutdown()
    httpd.server_close()


def _entry(path: str):
    return next(e for e in manifest() if e.path == path)


def test_files_are_downloaded_verified_and_stored_under_the_hub_home(server, tmp_path, real_dir):
    url, handler = server
    hub = make_hub(tmp_path / "home")
    fetched = fetch_reference(hub.paths, mirror=url, only=SMALL)
    assert [(f.status, f.attempts) for f in fetched] == [("downloaded", 1)] * 2
    for path in SMALL:
        assert (hub.paths.home / "reference" / path).read_bytes() == (real_dir / path).read_bytes()
    again = fetch_reference(hub.paths, mirror=url, only=SMALL)
    assert [f.status for f in again] == ["already present"] * 2 and len(handler.requests) == 2


def test_a_download_cut_short_is_resumed_from_where_it_stopped(server, tmp_path, real_dir):
    url, handler = server
    handler.mode = "cut"
    hub = make_hub(tmp_path / "home")
    (fetched,) = fetch_reference(hub.paths, mirror=url, only=SMALL[1:])
    assert fetched.attempts == 2
    first, second = handler.requests
    assert first[1] is None and second[1] == f"bytes={_entry(SMALL[1]).bytes // 2}-"
    assert fetched.path.read_bytes() == (real_dir / SMALL[1]).read_bytes()


def test_a_file_whose_checksum_differs_is_refused_and_not_stored(server, tmp_path):
    url, handler = server
    handler.mode = "corrupt"
    hub = make_hub(tmp_path / "home")
    with pytest.raises(FetchError, match="gm_ward22_to_lad22_lookup.csv .* SHA-256 .* refused, nothing stored"):
        fetch_reference(hub.paths, mirror=url, only=SMALL[:1])
    assert not any((hub.paths.home / "reference").rglob("*.csv*"))


def test_offline_is_refused_with_a_clear_message(tmp_path):
    with socket.socket() as probe:  # a loopback port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    hub = make_hub(tmp_path / "home")
    with pytest.raises(ReferenceUnreachable, match="cannot reach .* offline"):
        fetch_reference(hub.paths, mirror=f"http://127.0.0.1:{port}", only=SMALL[:1])
    result = hub_cli(tmp_path / "home", "reference", "fetch", "--mirror", f"http://127.0.0.1:{port}", SMALL[0])
    assert result.returncode == 2 and "cannot reach" in result.stdout


def test_a_file_converted_from_its_published_form_needs_a_mirror(tmp_path):
    converted = next(e for e in manifest() if e.converted)
    with pytest.raises(FetchError, match="--mirror"):
        fetch_reference(make_hub(tmp_path / "home").paths, only=(converted.path,))


def test_the_reference_directory_is_the_one_configured_and_a_missing_file_says_how_to_get_it(tmp_path, monkeypatch):
    from loaders.reference_data import ReferenceDataMissing, reference_dir, reference_file

    monkeypatch.setenv("HUB_REFERENCE_DIR", str(tmp_path / "elsewhere"))
    assert reference_dir() == tmp_path / "elsewhere"
    with pytest.raises(ReferenceDataMissing, match="set HUB_REFERENCE_DIR .* or run `hub reference fetch`"):
        reference_file(SMALL[0])
