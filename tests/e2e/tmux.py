"""Drive the real `annotator` command in a tmux pane, as a person would."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

ANNOTATOR = [sys.executable, "-m", "annotator"]


def require_tmux() -> str:
    """The tmux binary; fail (not skip) when missing: .ci/run installs it."""
    found = shutil.which("tmux")
    assert found, "tmux is required for end-to-end tests: apt-get install tmux (.ci/run does this)"
    return found


class Pane:
    """One detached tmux session on a private server socket running a command."""

    def __init__(
        self,
        command: list[str],
        *,
        width: int = 100,
        height: int = 30,
        cwd: Path | None = None,
        env: dict[str, str] | None = None,
        term: str = "xterm-256color",
    ) -> None:
        require_tmux()
        self.socket = f"annotator-test-{uuid.uuid4().hex[:10]}"
        environment = {"LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "TERM": term, **(env or {})}
        exports = " ".join(f"{k}={_quote(v)}" for k, v in environment.items())
        # COLUMNS/LINES from the test runner would override the pane's size in Textual
        shell = f"cd {_quote(str(cwd or os.getcwd()))} && exec env -u COLUMNS -u LINES {exports} " + " ".join(
            _quote(c) for c in command
        )
        self._tmux("-f", "/dev/null", "new-session", "-d", "-s", "t", "-x", str(width), "-y", str(height), shell)
        self._tmux("set-option", "-t", "t", "remain-on-exit", "on")
        # a detached session may start at tmux's default size whatever -x/-y said: size it explicitly
        self._tmux("set-option", "-t", "t", "window-size", "manual")
        self._tmux("resize-window", "-t", "t", "-x", str(width), "-y", str(height))

    def _tmux(self, *args: str) -> str:
        out = subprocess.run(["tmux", "-L", self.socket, *args], capture_output=True, text=True, timeout=20)
        return out.stdout

    def send(self, *keys: str, literal: bool = False) -> None:
        """Type keys (tmux key names, or literal text)."""
        if literal:
            self._tmux("send-keys", "-t", "t", "-l", *keys)
        else:
            self._tmux("send-keys", "-t", "t", *keys)

    def screen(self) -> list[str]:
        """The pane's text, one string a row."""
        return self._tmux("capture-pane", "-p", "-t", "t").split("\n")

    def raw_screen(self) -> str:
        """The pane with escape sequences for attributes (-e)."""
        return self._tmux("capture-pane", "-p", "-e", "-t", "t")

    def wait_for(self, text: str, timeout: float = 15.0) -> list[str]:
        """Wait until text is on screen; returns the screen."""
        deadline = time.monotonic() + timeout
        while True:
            rows = self.screen()
            if any(text in row for row in rows):
                return rows
            if time.monotonic() > deadline:
                raise AssertionError(f"{text!r} did not appear; screen:\n" + "\n".join(rows))
            time.sleep(0.1)

    def settled(self, timeout: float = 10.0) -> list[str]:
        """The screen once two captures 0.3 s apart are equal."""
        deadline = time.monotonic() + timeout
        previous = self.screen()
        while True:
            time.sleep(0.3)
            current = self.screen()
            if current == previous or time.monotonic() > deadline:
                return current
            previous = current

    def pid(self) -> int:
        """The pid of the command in the pane."""
        return int(self._tmux("display-message", "-p", "-t", "t", "#{pane_pid}").strip())

    def dead(self) -> bool:
        """Whether the command has exited."""
        return self._tmux("display-message", "-p", "-t", "t", "#{pane_dead}").strip() == "1"

    def wait_dead(self, timeout: float = 15.0) -> None:
        """Wait for the command to exit."""
        deadline = time.monotonic() + timeout
        while not self.dead():
            if time.monotonic() > deadline:
                raise AssertionError("the command did not exit; screen:\n" + "\n".join(self.screen()))
            time.sleep(0.1)

    def close(self) -> None:
        """Kill the tmux server."""
        subprocess.run(["tmux", "-L", self.socket, "kill-server"], capture_output=True)


def _quote(value: str) -> str:
    return "'" + value.replace("'", "'\\''") + "'"
