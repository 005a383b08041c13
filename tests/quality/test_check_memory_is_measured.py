"""The memory a check's GX child uses counts in its process's peak as the process's parent reads it (wait4, as the
benchmark measures each step: bench/measure.py): the server the child is forked from is stopped and waited for
when the process exits (warehouse.quality.validation_process)."""

from __future__ import annotations

import os
import sys

from bench.measure import run_child

HELD = 600 * 1024 * 1024
PAGE = 4096


def hold_memory() -> int:
    """Run in a check's child process: 600 MB made resident, every page touched."""
    block = bytearray(HELD)
    for offset in range(0, HELD, PAGE):
        block[offset] = 1
    return len(block)


def test_a_process_that_checks_is_measured_with_its_check_childs_memory(tmp_path):
    script = ("from tests.quality.test_check_memory_is_measured import hold_memory\n"
              "from warehouse.quality import validation_process\n"
              "with validation_process() as child:\n"
              "    assert child.submit(hold_memory).result() > 0\n")
    run = run_child([sys.executable, "-c", script], dict(os.environ), tmp_path / "steps.log")
    assert run.exit_code == 0 and run.peak_rss >= HELD, run
