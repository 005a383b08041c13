"""Feed contracts: what a partner sends, as data. One engine (loaders.engine) reads any of them."""

from __future__ import annotations

from dataclasses import dataclass, field

COLUMN_TYPES = ("varchar", "id", "double", "integer", "boolean", "month", "year", "date", "time", "timestamp", "polygon")
# What a partner's file is: a CSV (a header row, then records) or a GeoJSON FeatureCollection (each feature a record:
# its properties the fields, its geometry the 'geometry' field, kept as GeoJSON text when it is a polygon).
FORMATS = ("csv", "geojson")
GEOMETRY_FIELD = "geometry"
# What happens to personal data at the door. None: kept as sent (after typing).
#   pseudonymise: replaced by its keyed HMAC-SHA256 pseudonym, so repeats can be counted without identities;
#   postcode: replaced by the LSOA it lies in (via the loaded postcode directory) and its outward code;
#   withhold: read (so the file's shape is checked) but never stored, logged or exported (names, free text).
PERSONAL = (None, "pseudonymise", "postcode", "withhold")
WITHHELD = "[withheld]"
# Extracts saved from Excel on Windows arrive in cp1252; the hub's own contracts accept them.
SPREADSHEET_ENCODINGS = ("utf-8", "cp1252")
# No partner's record comes near a megabyte; a longer line is a broken extract (a field run on, a binary pasted in).
# DuckDB's reader errs on lines from 2 MB and silently drops a final one of 32 MB, so the hub refuses them first.
MAX_LINE_BYTES = 1 << 20
# In a delivery scope, the row's own period (its month, or its year for a contract whose period is a year).
PERIOD_MONTH = "period_month"
# A period's grain, and how a period of it is written (audit.load_periods.period_label).
PERIOD_LABELS = {"month": "%Y-%m", "year": "%Y"}


@dataclass(frozen=True)
class Column:
    source: str                 # header exactly as the partner sends it
    name: str                   # canonical snake_case name in raw.*
    type: str = "varchar"       # one of COLUMN_TYPES; 'id' is text with float formatting undone ('1091.0' -> '1091');
                                # 'polygon' is a GeoJSON (multi)polygon, kept as its GeoJSON text
    required: bool = False      # a blank here quarantines the row, with the reason
    formats: tuple[str, ...] = ()   # strptime formats for date, time and timestamp, tried in order
    values: tuple[str, ...] = ()    # a closed code list: any other value quarantines the row
    personal: str | None = None     # see PERSONAL
    optional: bool = False          # the partner may leave the column out of the file altogether

    def __post_init__(self) -> None:
        if self.type not in COLUMN_TYPES:
            raise ValueError(f"column {self.source!r}: type {self.type!r} is not one of {COLUMN_TYPES}")
        if self.personal not in PERSONAL:
            raise ValueError(f"column {self.source!r}: personal {self.personal!r} is not one of {PERSONAL}")
        if self.type in ("date", "time", "timestamp") and not self.formats:
            raise ValueError(f"column {self.source!r}: a {self.type} column needs its formats")
        if self.personal and (self.values or self.type not in ("varchar", "id")):
            raise ValueError(f"column {self.source!r}: personal data is kept as text and never checked against values, "
                             "so that no error message can quote it")

    @property
    def stored(self) -> tuple[tuple[str, str], ...]:
        """The raw.* columns this source column becomes: (name, DuckDB type)."""
        if self.personal == "withhold":
            return ()
        if self.personal == "postcode":
            return ((f"{self.name}_lsoa_code", "varchar"), (f"{self.name}_outward_code", "varchar"))
        types = {"varchar": "varchar", "id": "varchar", "polygon": "varchar", "double": "double", "integer": "bigint",
                 "boolean": "boolean",
                 "month": "date", "year": "integer", "date": "date", "time": "time", "timestamp": "timestamp"}
        return ((self.name, types[self.type]),)


@dataclass(frozen=True)
class Contract:
    partner: str                        # police | fire | ambulance | probation | transport | reference
    feed: str                           # e.g. street_crime
    table: str                          # raw.<table>
    columns: tuple[Column, ...]
    period: str | None                  # the column that says which month (or year) a row belongs to; None for reference data
    # The raw columns whose values say what a delivery is for: at most one period (PERIOD_MONTH, or a month or year
    # column) and one other column (a force, a service, a district); a later delivery for the same values replaces
    # the earlier one whole. Empty: each delivery is the whole table.
    delivery_scope: tuple[str, ...] = (PERIOD_MONTH,)
    natural_key: tuple[str, ...] = ()   # columns unique within a delivery; a repeat is quarantined
    coordinates: tuple[str, str] | None = None  # (longitude, latitude): both or neither, within range
    description: str = ""
    encodings: tuple[str, ...] = field(default=("utf-8",))  # accepted text encodings, tried in order
    max_line_bytes: int = MAX_LINE_BYTES  # a file with a longer line is refused, naming it
    format: str = "csv"                   # one of FORMATS
    # Each row's point is placed in the loaded 2021 LSOA polygons as the delivery loads (loaders.placement), adding
    # lsoa_code and is_on_boundary to its raw table: for reference points placed once, not on every build.
    placed_in_lsoas: bool = False

    def __post_init__(self) -> None:
        if self.format not in FORMATS:
            raise ValueError(f"{self.feed}: format {self.format!r} is not one of {FORMATS}")
        if self.placed_in_lsoas and not self.coordinates:
            raise ValueError(f"{self.feed}: only a contract with coordinates can place its points")
        names = {c.name for c in self.columns}
        for name in ((self.period or self.columns[0].name), *self.delivery_scope, *self.natural_key, *(self.coordinates or ())):
            if name not in names and name != PERIOD_MONTH:
                raise ValueError(f"{self.feed}: {name!r} is not one of its columns")
        periods = [name for name in self.delivery_scope if self._names_a_period(name)]
        if len(periods) > 1 or len(self.delivery_scope) - len(periods) > 1 or (PERIOD_MONTH in periods and not self.period):
            raise ValueError(f"{self.feed}: a delivery scope is at most one period (of a contract with a period) and "
                             "one other column, e.g. the month and the force")
        if self.period is None:
            return
        period = self.column(self.period)
        if period.type not in ("month", "year", "date", "timestamp") or not period.required:
            raise ValueError(f"{self.feed}: the period column must be a required month, year, date or timestamp")

    @property
    def headers(self) -> tuple[str, ...]:
        return tuple(c.source for c in self.columns)

    def present_columns(self, header: tuple[str, ...] | list[str]) -> tuple[Column, ...] | None:
        """The columns a file with this header holds, in order, if the header is this contract's (with or without
        its optional columns); else None."""
        present = tuple(c for c in self.columns if c.source in header)
        if tuple(header) != tuple(c.source for c in present):
            return None
        return present if all(c in present for c in self.columns if not c.optional) else None

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)

    @property
    def period_grain(self) -> str:
        """'year' when the period column is a year, else 'month' (a date or timestamp falls in its month)."""
        return "year" if self.column(self.period).type == "year" else "month"

    @property
    def slice_period(self) -> str | None:
        """The part of the delivery scope saying which period a delivery is for (PERIOD_MONTH or a month or year
        column, e.g. STATS19's accident_year), if it has one."""
        return next((name for name in self.delivery_scope if self._names_a_period(name)), None)

    @property
    def slice_period_grain(self) -> str | None:
        if self.slice_period is None:
            return None
        return self.period_grain if self.slice_period == PERIOD_MONTH else self.column(self.slice_period).type

    @property
    def slice_scope(self) -> str | None:
        """The part of the delivery scope saying whom or where a delivery is for (police.uk's force, fire's
        service, the postcode directory's district), if it has one."""
        return next((name for name in self.delivery_scope if not self._names_a_period(name)), None)

    def _names_a_period(self, name: str) -> bool:
        return name == PERIOD_MONTH or self.column(name).type in PERIOD_LABELS
