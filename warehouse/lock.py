"""One writer per hub: every command that writes takes the hub's lock, and a second one is refused at once, told
which command holds it. The lock is the kernel's (flock), so it goes with the process that held it, however that
process ended: a killed command never leaves a hub locked."""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime

from warehouse.paths import HubPaths


class HubBusy(Exception):
    """Another command is writing to this hub."""


@contextmanager
def writer_lock(paths: HubPaths, command: str) -> Iterator[None]:
    descriptor = os.open(paths.lock_file, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(descriptor, 1024, 0).decode("utf-8", errors="replace").strip() or "another command"
            raise HubBusy(f"{holder} is writing to this hub ({paths.home}); nothing was done. "
                          "Run this again when it has finished.") from None
        os.ftruncate(descriptor, 0)
        os.pwrite(descriptor, f"`{command}` (pid {os.getpid()}, started {datetime.now():%Y-%m-%d %H:%M:%S})".encode(), 0)
        yield
    finally:
        os.close(descriptor)
