"""Fire and rescue incidents in the London Fire Brigade open-data layout, as the London Datastore publishes it.

The real layout has no motive and no casualties, so a service that records them (as the Home Office's Incident
Recording System does) appends `FatalCasualties`, `NonFatalCasualties` and `Motive` columns; the same contract reads
files with or without them. Non-fatal casualties exclude precautionary checks, as NI 49 (iii) and the Home Office's
fire statistics count them; a file without the columns says nothing about casualties (null), never zero. UPRN (the property) becomes a location pseudonym and the full postcode
becomes its LSOA and outward code at the door. One file per service (FRS) and month.
"""

from loaders.contracts import SPREADSHEET_ENCODINGS, Column, Contract

FIRE_INCIDENTS = Contract(
    partner="fire",
    feed="incidents",
    table="fire_incidents",
    description="Fire and rescue incidents (LFB open-data layout, optionally with casualty and Motive columns).",
    columns=(
        Column("IncidentNumber", "incident_number", "id", required=True),
        Column("DateOfCall", "date_of_call", "date", required=True, formats=("%d %b %Y", "%d/%m/%Y", "%Y-%m-%d")),
        Column("CalYear", "cal_year", "integer"),
        Column("TimeOfCall", "time_of_call", "time", formats=("%H:%M:%S", "%H:%M")),
        Column("HourOfCall", "hour_of_call", "integer"),
        Column("IncidentGroup", "incident_group", required=True, values=("Fire", "False Alarm", "Special Service")),
        Column("StopCodeDescription", "stop_code_description", required=True),
        Column("SpecialServiceType", "special_service_type"),
        Column("PropertyCategory", "property_category"),
        Column("PropertyType", "property_type"),
        Column("AddressQualifier", "address_qualifier"),
        Column("Postcode_full", "postcode", personal="postcode"),
        Column("Postcode_district", "postcode_district"),
        Column("UPRN", "uprn", "id", personal="pseudonymise"),
        Column("USRN", "usrn", "id"),
        Column("IncGeo_BoroughCode", "borough_code"),
        Column("IncGeo_BoroughName", "borough_name"),
        Column("ProperCase", "borough_name_proper_case"),
        Column("IncGeo_WardCode", "ward_code"),
        Column("IncGeo_WardName", "ward_name"),
        Column("IncGeo_WardNameNew", "ward_name_new"),
        Column("Easting_m", "easting_m", "double"),
        Column("Northing_m", "northing_m", "double"),
        Column("Easting_rounded", "easting_rounded", "integer"),
        Column("Northing_rounded", "northing_rounded", "integer"),
        Column("Latitude", "latitude", "double"),
        Column("Longitude", "longitude", "double"),
        Column("FRS", "frs", required=True),
        Column("IncidentStationGround", "station_ground"),
        Column("FirstPumpArriving_AttendanceTime", "first_pump_attendance_seconds", "integer"),
        Column("FirstPumpArriving_DeployedFromStation", "first_pump_station"),
        Column("SecondPumpArriving_AttendanceTime", "second_pump_attendance_seconds", "integer"),
        Column("SecondPumpArriving_DeployedFromStation", "second_pump_station"),
        Column("NumStationsWithPumpsAttending", "stations_with_pumps_attending", "integer"),
        Column("NumPumpsAttending", "pumps_attending", "integer"),
        Column("PumpCount", "pump_count", "integer"),
        Column("PumpMinutesRounded", "pump_minutes_rounded", "integer"),
        Column("Notional Cost (£)", "notional_cost_gbp", "integer"),
        Column("NumCalls", "num_calls", "integer"),
        Column("FatalCasualties", "fatal_casualties", "integer", optional=True),
        Column("NonFatalCasualties", "non_fatal_casualties", "integer", optional=True),
        Column("Motive", "motive", values=("Accidental", "Deliberate", "Doubtful", "Not known"), optional=True),
    ),
    period="date_of_call",
    delivery_scope=("period_month", "frs"),
    encodings=SPREADSHEET_ENCODINGS,
    natural_key=("incident_number",),
    coordinates=("longitude", "latitude"),
)
