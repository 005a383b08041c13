"""Measuring a step: run its command as a child process, time it, and take its peak memory from the kernel.

The peak is what wait4 reports for the child: the largest resident set of the child and of every process it waited
for (for `hub build`, the dbt process it starts), not their sum. Children run one at a time, so nothing else of the
benchmark's competes with them.
"""

from __future__ import annotations

import os
import shlex
import statistics
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

from warehouse.paths import PROJECT_DIR

OUTPUT_LINES_ON_FAILURE = 20


class StepFailed(Exception):
    pass


@dataclass(frozen=True)
class Run:
    seconds: float
    peak_rss: int       # bytes
    exit_code: int
    last_line: str      # the command's last line of output: what `hub build` says it rebuilt, say


@dataclass
class Step:
    """One command, run once per repeat; rows is what it processed, for its throughput."""
    command: str
    runs: list[Run] = field(default_factory=list)
    rows: int | None = None
    error: str | None = None

    @property
    def seconds(self) -> float | None:
        return statistics.median(run.seconds for run in self.runs) if self.runs else None

    @property
    def peak_rss(self) -> int | None:
        return max(run.peak_rss for run in self.runs) if self.runs else None

    @property
    def rows_per_second(self) -> float | None:
        return self.rows / self.seconds if self.rows and self.seconds else None


def run_child(argv: list[str | Path], env: dict[str, str], log: Path, accept: tuple[int, ...] = (0,)) -> Run:
    """Run argv from the project folder, its output appended to `log`; StepFailed unless it exits with a code in
    `accept`."""
    argv = [str(a) for a in argv]
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("a", encoding="utf-8") as out:
        out.write(f"\n$ {shlex.join(argv)}\n")
        out.flush()
        start = out.tell()
        started = time.perf_counter()
        process = subprocess.Popen(argv, cwd=PROJECT_DIR, env=env, stdout=out, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)  # reaped by wait4: Popen must not wait for it again
    with log.open(encoding="utf-8", errors="replace") as f:
        f.seek(start)
        lines = [line for line in f.read().splitlines() if line.strip()]
    if process.returncode not in accept:
        raise StepFailed(f"`{shlex.join(argv)}` exited with {process.returncode}:\n"
                         + "\n".join(lines[-OUTPUT_LINES_ON_FAILURE:]))
    return Run(seconds, usage.ru_maxrss * 1024, process.returncode, lines[-1] if lines else "")  # ru_maxrss is KiB
