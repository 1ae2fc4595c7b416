"""`mkdocs serve` as an editor uses it: an edit to data/ or a template shows up in the served
pages, and the server settles instead of rebuilding in a loop (the hook writes only what changed)."""

from __future__ import annotations

import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest

WAIT = 180  # seconds: a limit for a busy 2-core machine; every wait ends when its condition holds


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, project: Path) -> None:
        self.port = free_port()
        self.log: list[str] = []
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{self.port}"],
            cwd=project,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.proc.stdout:
            self.log.append(line.rstrip())

    def count(self, text: str) -> int:
        return sum(text in line for line in list(self.log))

    # MkDocs drops a build log message it has logged before ("Documentation built in 1.96
    # seconds" after an earlier build of the same length), so builds are counted by the dev
    # server's own timestamped lines: one "Detected file changes" before each rebuild, one
    # "Reloading browsers" after each one that succeeds.
    def builds(self) -> int:
        """Rebuilds started so far (a failed one counts too: it is still a rebuild)."""
        return self.count("Detected file changes")

    def busy(self) -> bool:
        """A rebuild has started and not finished (or failed) yet."""
        done = self.count("Reloading browsers") + self.count("An error happened during the rebuild")
        return self.builds() > done

    def full_log(self) -> str:
        return "server log:\n" + "\n".join(self.log)

    def get(self, path: str) -> str | None:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.port}{path}", timeout=5) as r:
                return r.read().decode("utf-8")
        except OSError:
            return None

    def wait_for(self, path: str, text: str) -> str:
        deadline = time.monotonic() + WAIT
        while time.monotonic() < deadline:
            body = self.get(path)
            if body and text in body:
                return body
            time.sleep(0.3)
        raise AssertionError(f"{text!r} never appeared at {path}; " + self.full_log())

    def settle(self, quiet: float = 4.0) -> int:
        """Wait until no build is running and none has started for `quiet` seconds; return the
        number of builds started so far."""
        deadline = time.monotonic() + WAIT
        lines, since = len(self.log), time.monotonic()
        while time.monotonic() < deadline:
            time.sleep(0.3)
            if len(self.log) != lines or self.busy():
                lines, since = len(self.log), time.monotonic()
            elif time.monotonic() - since >= quiet:
                return self.builds()
        raise AssertionError("serve kept rebuilding; " + self.full_log())

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()


@pytest.fixture
def server(mini_project: Path):
    srv = Server(mini_project)
    try:
        yield srv
    finally:
        srv.stop()


def test_edits_to_data_and_templates_reach_the_served_pages(server: Server, mini_project: Path):
    server.wait_for("/actors/land-a.html", "Land A")
    first = server.settle()

    data = mini_project / "data/actors/actors.yaml"
    data.write_text(data.read_text().replace("name: Land A", "name: Land Alpha"))
    body = server.wait_for("/actors/land-a.html", "Land Alpha")
    assert "<h1" in body
    after_data = server.settle()
    # The edit costs a rebuild or two (the regenerated pages are themselves a change), never a loop.
    # (At least one rebuild is implied by the new text being served.)
    assert after_data - first <= 3, server.full_log()

    template = mini_project / "scripts/kb/templates/place.md.j2"
    template.write_text(template.read_text().replace("| Coordinates basis |", "| Where the coordinates come from |"))
    server.wait_for("/places/port-b.html", "Where the coordinates come from")
    after_template = server.settle()
    assert after_template - after_data <= 3, server.full_log()
    assert not server.count("An error happened during the rebuild"), server.full_log()
    assert not server.count("Traceback"), server.full_log()


def test_a_data_error_is_reported_and_fixing_it_recovers(server: Server, mini_project: Path):
    """MkDocs holds requests while a rebuild is broken; the generated pages must stay as they were."""
    server.wait_for("/actors/land-a.html", "Land A")
    server.settle()
    page = mini_project / "docs/actors/land-a.md"
    before = page.read_bytes()
    data = mini_project / "data/actors/actors.yaml"
    good = data.read_text()
    data.write_text(good.replace("name: Land A", "name: Land Alpha\n  name: twice"))
    deadline = time.monotonic() + WAIT
    while not any("duplicate key 'name'" in line for line in server.log):
        assert time.monotonic() < deadline, server.full_log()
        time.sleep(0.3)
    assert any(
        line.startswith("data/actors/actors.yaml:7:3: record 'land-a', field 'name'") for line in server.log
    ), server.log
    assert not any("Traceback" in line for line in server.log)
    assert page.read_bytes() == before
    data.write_text(good.replace("name: Land A", "name: Land Beta"))
    server.wait_for("/actors/land-a.html", "Land Beta")
