"""The hub's ambulance contract: assault and alcohol-related call-outs, after the ISTV (Cardiff Model) data set.

One row per patient attended. Date and time, location (postcode, or the point attended), category, assault method
and location type (ISTV mandatory items), age band, sex and a patient reference that becomes a pseudonym at the
door; the free-text location description is read but never stored. One file per month. See docs/contracts.md.
"""

from loaders.contracts import SPREADSHEET_ENCODINGS, Column, Contract

AGE_BANDS = ("0-9", "10-17", "18-24", "25-34", "35-44", "45-54", "55-64", "65+", "Unknown")

AMBULANCE_CALLOUTS = Contract(
    partner="ambulance",
    feed="callouts",
    table="ambulance_callouts",
    description="Ambulance call-outs to assaults and alcohol-related incidents (ISTV-based), one file per month.",
    columns=(
        Column("Attendance Reference", "attendance_ref", "id", required=True),
        Column("Call Date", "call_date", "date", required=True, formats=("%Y-%m-%d", "%d/%m/%Y")),
        Column("Call Time", "call_time", "time", formats=("%H:%M", "%H:%M:%S")),
        Column("Category", "category", required=True,
               values=("Assault", "Assault - domestic", "Assault - sexual", "Alcohol related")),
        Column("Assault Method", "assault_method",
               values=("Body part", "Blunt object", "Sharp object", "Firearm", "Other", "Unknown")),
        Column("Location Type", "location_type",
               values=("Street", "Licensed premises", "Home", "Workplace", "Public transport", "Other", "Unknown")),
        Column("Location Description", "location_description", personal="withhold"),
        Column("Postcode", "postcode", personal="postcode"),
        Column("Longitude", "longitude", "double"),
        Column("Latitude", "latitude", "double"),
        Column("Alcohol Involved", "is_alcohol_related", "boolean"),
        Column("Age Band", "age_band", values=AGE_BANDS),
        Column("Sex", "sex", values=("Male", "Female", "Other", "Unknown")),
        Column("Patient Reference", "patient_ref", personal="pseudonymise"),
    ),
    period="call_date",
    encodings=SPREADSHEET_ENCODINGS,
    natural_key=("attendance_ref",),
    coordinates=("longitude", "latitude"),
)
