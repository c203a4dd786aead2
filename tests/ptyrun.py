"""Run the real `annotator` command on a pseudo-terminal, as a person's terminal would."""

from __future__ import annotations

import fcntl
import os
import pty
import select
import struct
import sys
import termios
import time
from collections.abc import Sequence


def run_on_pty(args: list[str], keys_after: Sequence[bytes] = (), seconds: float = 6.0) -> tuple[bytes, int]:
    """Run `annotator ARGS` on a 100x30 pty; type keys_after once the status line shows; (every byte written, exit code)."""
    pid, fd = pty.fork()
    if pid == 0:  # child
        os.environ.update({"TERM": "xterm-256color", "LANG": "C.UTF-8", "COLUMNS": "100", "LINES": "30"})
        os.execv(sys.executable, [sys.executable, "-m", "annotator", *args])
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
    output = bytearray()
    deadline = time.monotonic() + seconds
    sent = False
    while True:
        if not sent and b"offset" in output:
            time.sleep(0.5)
            for key in keys_after:
                os.write(fd, key)
                time.sleep(0.3)
            sent = True
            deadline = time.monotonic() + 5
        ready, _, _ = select.select([fd], [], [], 0.1)
        if ready:
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                break
            if not chunk:
                break
            output.extend(chunk)
        if time.monotonic() > deadline:
            os.kill(pid, 9)
            break
    _, status = os.waitpid(pid, 0)
    os.close(fd)
    return bytes(output), os.waitstatus_to_exitcode(status)
