"""The hub's probation contract: a monthly caseload snapshot, one row per offender under supervision.

The partner sends the home postcode ungeocoded; the hub turns it into the LSOA (and outward code) at the door and
keeps nothing finer. The offender reference becomes a pseudonym, the same one police victim or offender references
get, so repeat offending can be counted without identities. See docs/contracts.md.
"""

from loaders.ambulance import AGE_BANDS
from loaders.contracts import SPREADSHEET_ENCODINGS, Column, Contract

PROBATION_CASELOAD = Contract(
    partner="probation",
    feed="caseload",
    table="probation_caseload",
    description="Probation caseload snapshot, one file per month.",
    columns=(
        Column("Snapshot Month", "snapshot_month", "month", required=True),
        Column("Offender Reference", "offender_ref", required=True, personal="pseudonymise"),
        Column("Home Postcode", "home_postcode", personal="postcode"),
        Column("Age Band", "age_band", values=AGE_BANDS),
        Column("Tier", "tier", "integer", required=True, values=("1", "2", "3", "4")),
        Column("RoSH Level", "rosh_level", required=True, values=("Low", "Medium", "High", "Very High")),
        Column("Index Offence Group", "index_offence_group", required=True),
        Column("Sentence Type", "sentence_type", required=True,
               values=("Community Order", "Suspended Sentence Order", "Licence", "Post Sentence Supervision")),
        Column("Sentence Start Date", "sentence_start_date", "date", formats=("%Y-%m-%d", "%d/%m/%Y")),
        Column("PPO Flag", "is_ppo", "boolean", required=True),
        Column("Proven Reoffence Flag", "has_proven_reoffence", "boolean"),
    ),
    period="snapshot_month",
    encodings=SPREADSHEET_ENCODINGS,
    natural_key=("offender_ref",),
)
