"""police.uk's published formats, exactly as data.police.uk gives them (one file per force and month).

British Transport Police publish in the same street-level format; the transport partner delivers those files.
"""

from dataclasses import replace

from loaders.contracts import Column, Contract

POLICE_UK_STREET = Contract(
    partner="police",
    feed="street_crime",
    table="police_street_crime",
    description="police.uk street-level crime and anti-social behaviour, one file per force and month.",
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
    period="month",
    delivery_scope=("period_month", "falls_within"),
    coordinates=("longitude", "latitude"),
)

BTP_STREET = replace(
    POLICE_UK_STREET, partner="transport", feed="btp_street_crime", table="transport_btp_street_crime",
    description="British Transport Police crime on the railway and Metrolink, in the police.uk street-level format.",
)

POLICE_UK_STOP_SEARCH = Contract(
    partner="police",
    feed="stop_search",
    table="police_stop_search",
    description="police.uk stop and search records, one file per force and month (no force column: one force's files).",
    columns=(
        Column("Type", "search_type", required=True,
               values=("Person search", "Person and Vehicle search", "Vehicle search")),
        Column("Date", "searched_at", "timestamp", required=True, formats=("%Y-%m-%dT%H:%M:%S%z",)),
        Column("Part of a policing operation", "part_of_policing_operation", "boolean"),
        Column("Policing operation", "policing_operation"),
        Column("Latitude", "latitude", "double"),
        Column("Longitude", "longitude", "double"),
        Column("Gender", "gender"),
        Column("Age range", "age_range", values=("under 10", "10-17", "18-24", "25-34", "over 34")),
        Column("Self-defined ethnicity", "self_defined_ethnicity"),
        Column("Officer-defined ethnicity", "officer_defined_ethnicity"),
        Column("Legislation", "legislation"),
        Column("Object of search", "object_of_search"),
        Column("Outcome", "outcome"),
        Column("Outcome linked to object of search", "outcome_linked_to_object", "boolean"),
        Column("Removal of more than just outer clothing", "removal_of_outer_clothing", "boolean"),
    ),
    period="searched_at",
    coordinates=("longitude", "latitude"),
)
