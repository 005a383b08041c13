"""The hub's contract for a police recorded-crime extract: the detail police.uk hides.

Occurrence date and time, the Home Office offence code (which NI 15, 16 and 20 and the VLI's dwelling burglary
need), the LSOA or a point, and victim, location and (optionally) suspect references that become pseudonyms at the
door: the suspect's is the same pseudonym the probation caseload gives the same person, so repeat offending can
be counted without identities. One file per
month of recording; a re-delivered month replaces that month. Documented in docs/contracts.md.
"""

from loaders.contracts import SPREADSHEET_ENCODINGS, Column, Contract

DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y")

POLICE_RECORDED_CRIME = Contract(
    partner="police",
    feed="recorded_crime",
    table="police_recorded_crime",
    description="Police recorded crime with Home Office offence codes, one file per month recorded.",
    columns=(
        Column("Crime Reference", "crime_ref", "id", required=True),
        Column("Recorded Date", "recorded_on", "date", required=True, formats=DATE_FORMATS),
        Column("Occurred Date", "occurred_on", "date", formats=DATE_FORMATS),
        Column("Occurred Time", "occurred_at", "time", formats=("%H:%M", "%H:%M:%S")),
        Column("HO Offence Code", "ho_offence_code", required=True),
        Column("Offence Description", "offence_description"),
        Column("LSOA Code", "lsoa_code"),
        Column("Longitude", "longitude", "double"),
        Column("Latitude", "latitude", "double"),
        Column("Victim Reference", "victim_ref", personal="pseudonymise"),
        Column("Location Reference", "location_ref", personal="pseudonymise"),
        Column("Domestic Abuse Flag", "is_domestic", "boolean"),
        Column("Alcohol Flag", "is_alcohol_related", "boolean"),
        Column("MO Text", "mo_text", personal="withhold"),
        Column("Suspect Reference", "suspect_ref", personal="pseudonymise", optional=True),
    ),
    period="recorded_on",
    encodings=SPREADSHEET_ENCODINGS,
    natural_key=("crime_ref",),
    coordinates=("longitude", "latitude"),
)
