"""Count what the real `annotator` writes to its terminal per key press, as an SSH link would carry it.

The app runs on a pseudo-terminal of a given size. A reader thread drains the terminal (as fast as it
can, or at a fixed rate to play a slow link), keeps every byte with the time it arrived, and feeds a
terminal emulator (pyte), so a test can also see what a person would see.
"""

from __future__ import annotations

import fcntl
import os
import pty
import select
import signal
import struct
import sys
import termios
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pyte

# What an xterm sends for each key (tmux and most terminals send the same).
KEYS: dict[str, bytes] = {
    "left": b"\x1b[D",
    "right": b"\x1b[C",
    "up": b"\x1b[A",
    "down": b"\x1b[B",
    "ctrl+left": b"\x1b[1;5D",
    "ctrl+right": b"\x1b[1;5C",
    "home": b"\x1b[H",
    "end": b"\x1b[F",
    "shift+left": b"\x1b[1;2D",
    "shift+right": b"\x1b[1;2C",
    "pageup": b"\x1b[5~",
    "pagedown": b"\x1b[6~",
    "tab": b"\t",
    "shift+tab": b"\x1b[Z",
    "space": b" ",
    "escape": b"\x1b",
    "ctrl+y": b"\x19",
    "ctrl+q": b"\x11",
}


class Screen(pyte.Screen):
    """pyte's screen, which also takes the private `CSI > ... m` (xterm's key-modifier setting, that vim
    sends) instead of failing on it: it sets no graphic rendition, so it is ignored."""

    def select_graphic_rendition(self, *attrs: int, private: bool = False) -> None:
        """Apply SGR attributes; a private sequence is not one."""
        if not private:
            super().select_graphic_rendition(*attrs)


QUIET = 0.5
"""Seconds without output after which the app is taken to be done with a key (its timers included)."""


class PtyApp:
    """`python -m annotator ARGS` on a pseudo-terminal of width x height, drained by a reader thread."""

    def __init__(
        self,
        args: list[str],
        *,
        width: int = 100,
        height: int = 30,
        cwd: Path | None = None,
        rate: float | None = None,
        env: dict[str, str] | None = None,
        command: list[str] | None = None,
        on_chunk: Callable[[float], None] | None = None,
    ) -> None:
        """Start the app; `command` replaces `python -m annotator` (to measure vim the same way); `on_chunk`
        is called with the arrival time after each chunk has reached the emulated screen."""
        self.width, self.height, self.rate = width, height, rate
        self.on_chunk = on_chunk
        self.output = bytearray()
        self.arrivals: list[tuple[float, int]] = []  # (time, length of output after this chunk)
        self.last_output = time.monotonic()
        self.terminal = Screen(width, height)
        self._stream = pyte.ByteStream(self.terminal)
        self._lock = threading.Condition()
        self._closed = False
        environment = {**os.environ, "TERM": "xterm-256color", "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", **(env or {})}
        environment.pop("COLUMNS", None)  # they would override the terminal's size in Textual
        environment.pop("LINES", None)
        pid, fd = pty.fork()
        if pid == 0:  # child: size the terminal before the app can ask for it
            try:
                fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", height, width, 0, 0))
                if cwd is not None:
                    os.chdir(cwd)
                argv = command or [sys.executable, "-m", "annotator"]
                os.execve(argv[0], [*argv, *args], environment)
            finally:
                os._exit(127)
        self.pid, self.fd = pid, fd
        self._reader = threading.Thread(target=self._drain, name="pty-reader", daemon=True)
        self._reader.start()

    # -- the link ----------------------------------------------------------------------

    def _drain(self) -> None:
        """Read the terminal; with a rate, no faster than `rate` bytes a second (a slow link)."""
        chunk_size = 65536 if self.rate is None else max(256, int(self.rate / 100))
        next_read = time.monotonic()
        while not self._closed:
            if self.rate is not None:
                pause = next_read - time.monotonic()
                if pause > 0:
                    time.sleep(pause)  # the link is busy sending the previous chunk
            try:
                ready, _, _ = select.select([self.fd], [], [], 0.05)
                if not ready:
                    continue
                chunk = os.read(self.fd, chunk_size)
            except OSError:
                break
            if not chunk:
                break
            now = time.monotonic()
            with self._lock:
                self.output.extend(chunk)
                self.arrivals.append((now, len(self.output)))
                self.last_output = now
                self._stream.feed(chunk)
                if self.on_chunk is not None:
                    self.on_chunk(now)
                self._lock.notify_all()
            if self.rate is not None:
                next_read = max(next_read, now) + len(chunk) / self.rate
        with self._lock:
            self._closed = True
            self._lock.notify_all()

    # -- driving -------------------------------------------------------------------------

    def send(self, key: str | bytes) -> None:
        """Type a key (a name from KEYS, or the bytes themselves)."""
        os.write(
            self.fd,
            KEYS[key] if isinstance(key, str) and key in KEYS else key if isinstance(key, bytes) else key.encode(),
        )

    def screen(self) -> list[str]:
        """What the terminal shows, one string a row."""
        with self._lock:
            return list(self.terminal.display)

    def wait(self, condition: Callable[[], bool], timeout: float = 20.0, what: str = "") -> None:
        """Wait until condition() holds (checked after every chunk of output)."""
        deadline = time.monotonic() + timeout
        with self._lock:
            while not condition():
                left = deadline - time.monotonic()
                if left <= 0 or self._closed:
                    screen = "\n".join(self.terminal.display)
                    raise AssertionError(f"timed out waiting for {what or condition}; screen:\n{screen}")
                self._lock.wait(min(left, 0.1))

    def wait_for(self, text: str, timeout: float = 20.0) -> None:
        """Wait until text is on the terminal."""
        self.wait(lambda: any(text in row for row in self.terminal.display), timeout, repr(text))

    def wait_quiet(self, quiet: float = QUIET, timeout: float = 30.0) -> None:
        """Wait until the app has written nothing for `quiet` seconds."""
        deadline = time.monotonic() + timeout
        with self._lock:
            while True:
                now = time.monotonic()
                if now - self.last_output >= quiet:
                    return
                if now > deadline:
                    raise AssertionError("the app never went quiet")
                self._lock.wait(quiet - (now - self.last_output))

    def press(self, key: str | bytes, *, until: str | None = None, expect_output: bool = True) -> int:
        """Type one key once the app is quiet; the bytes it wrote in answer, up to the next quiet spell."""
        self.wait_quiet()
        with self._lock:
            before = len(self.output)
        self.send(key)
        if expect_output:
            self.wait(lambda: len(self.output) > before, what=f"output after {key!r}")
        if until is not None:
            self.wait_for(until)
        self.wait_quiet()
        with self._lock:
            return len(self.output) - before

    def written_since(self, mark: int) -> bytes:
        """The bytes written after output had `mark` bytes."""
        with self._lock:
            return bytes(self.output[mark:])

    def close(self) -> None:
        """End the app (SIGTERM, then SIGKILL) and close the terminal."""
        try:
            os.kill(self.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            done, _ = os.waitpid(self.pid, os.WNOHANG)
            if done:
                break
            time.sleep(0.05)
        else:
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
        self._closed = True
        self._reader.join(timeout=5)
        os.close(self.fd)

    def __enter__(self) -> PtyApp:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


def status_offset(screen: list[str]) -> int | None:
    """The cursor offset the status line shows."""
    for row in screen:
        if "offset " in row:
            word = row.split("offset ", 1)[1].split("/", 1)[0]
            if word.isdigit():
                return int(word)
    return None
