"""police.uk street-level crime, exactly as data.police.uk publishes it (one file per force and month)."""

from loaders.contracts import Column, Contract

POLICE_UK_STREET = Contract(
    partner="police",
    feed="street_crime",
    table="police_street_crime",
    columns=(
        Column("Crime ID", "crime_ref"),
        Column("Month", "month", "month", required=True),
        Column("Reported by", "reported_by", required=True),
        Column("Falls within", "falls_within", required=True),
        Column("Longitude", "longitude", "double"),
        Column("Latitude", "latitude", "double"),
        Column("Location", "location"),
        Column("LSOA code", "lsoa_code"),
        Column("LSOA name", "lsoa_name"),
        Column("Crime type", "crime_type", required=True),
        Column("Last outcome category", "last_outcome_category"),
        Column("Context", "context"),
    ),
    delivery_scope=("falls_within", "month"),
    period="month",
    coordinates=("longitude", "latitude"),
)
