"""What a benchmark ran on: the machine from /proc, the versions from package metadata, and the commit from .git's
files (read directly: the benchmark runs no git command)."""

from __future__ import annotations

import os
import platform
from importlib.metadata import version
from pathlib import Path

from warehouse.paths import PROJECT_DIR

PACKAGES = ("duckdb", "dbt-core", "dbt-duckdb", "great-expectations", "pandas", "numpy")


def machine() -> dict[str, str]:
    cpu = next((line.split(":", 1)[1].strip() for line in _lines("/proc/cpuinfo") if line.startswith("model name")),
               platform.processor() or "unknown")
    memory_kb = next((int(line.split()[1]) for line in _lines("/proc/meminfo") if line.startswith("MemTotal:")), 0)
    return {"CPU": cpu, "cores": str(os.cpu_count()), "RAM": f"{memory_kb / 1024 ** 2:.1f} GiB",
            "OS": platform.platform()}


def load_average() -> str:
    """The 1, 5 and 15 minute load averages: other work on the machine shows here, and in the times."""
    return " ".join(Path("/proc/loadavg").read_text().split()[:3]) if Path("/proc/loadavg").exists() else "unknown"


def versions() -> dict[str, str]:
    return {"Python": platform.python_version(), **{name: version(name) for name in PACKAGES}}


def commit(git_dir: Path = PROJECT_DIR / ".git") -> str:
    """HEAD's commit and branch, from .git/HEAD and the ref it names (loose, or in packed-refs)."""
    head = _read(git_dir / "HEAD")
    if not head.startswith("ref: "):
        return head or "unknown"
    ref = head.removeprefix("ref: ")
    sha = _read(git_dir / ref) or next((line.split()[0] for line in _lines(git_dir / "packed-refs")
                                        if line.endswith(" " + ref)), "unknown")
    return f"{sha} ({ref.removeprefix('refs/heads/')})"


def _read(path: Path) -> str:
    return Path(path).read_text().strip() if Path(path).exists() else ""


def _lines(path) -> list[str]:
    return _read(path).splitlines()
