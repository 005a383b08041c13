"""One expectation's result, as the GX child process (warehouse.validation) hands it back to `hub check`
(warehouse.quality) and as audit.dq_results keeps it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ExpectationResult:
    suite: str
    table: str
    expectation_type: str
    column: str | None
    severity: str
    meaning: str | None
    success: bool
    element_count: int | None
    unexpected_count: int | None
    unexpected_percent: float | None
    observed_value: str | None
    partner: str | None
