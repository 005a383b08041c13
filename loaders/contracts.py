"""Feed contracts: what a partner sends, as data. One engine (loaders.engine) reads any of them."""

from __future__ import annotations

from dataclasses import dataclass

COLUMN_TYPES = ("varchar", "double", "month")


@dataclass(frozen=True)
class Column:
    source: str                 # header exactly as the partner sends it
    name: str                   # canonical snake_case name in raw.*
    type: str = "varchar"       # varchar | double | month ('YYYY-MM', stored as the first day of the month)
    required: bool = False      # a blank here quarantines the row, with the reason

    def __post_init__(self) -> None:
        if self.type not in COLUMN_TYPES:
            raise ValueError(f"column {self.source!r}: type {self.type!r} is not one of {COLUMN_TYPES}")


@dataclass(frozen=True)
class Contract:
    partner: str                        # police | fire | ambulance | probation | transport
    feed: str                           # e.g. street_crime
    table: str                          # raw.<table>
    columns: tuple[Column, ...]
    delivery_scope: tuple[str, ...]     # the columns that say which slice a delivery covers (replaced on re-delivery)
    period: str                         # the column that says which month a row belongs to
    coordinates: tuple[str, str] | None = None  # (longitude, latitude): both or neither, within range

    @property
    def headers(self) -> tuple[str, ...]:
        return tuple(c.source for c in self.columns)

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)
