"""`python -m bench.call MODULE:FUNCTION PATH...`: call a benchmark function on paths in a process of its own, so its
time and memory are measured as the hub's commands are (interpreter start-up and imports included, as theirs are)."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path


def main(argv: list[str]) -> None:
    target, *paths = argv
    module, function = target.split(":")
    getattr(importlib.import_module(module), function)(*(Path(p) for p in paths))


if __name__ == "__main__":
    main(sys.argv[1:])
