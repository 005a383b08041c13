"""Transport: STATS19 road casualties and collisions as TfGM and DfT publish them, and the TfGM incident contract.

Codes are checked against the DfT road safety data guide (read from the workbook in the reference directory by
loaders.stats19_guide) where a wrong code would change a count (severity, casualty class); the rest are kept and
decoded in staging.
"""

from loaders.contracts import SPREADSHEET_ENCODINGS, Column, Contract
from loaders.stats19_guide import stats19_codes


def _coded(source: str, name: str, table: str, field: str, required: bool = True) -> Column:
    return Column(source, name, "integer", required=required, values=stats19_codes(table, field))


TFGM_STATS19_CASUALTIES = Contract(
    partner="transport",
    feed="stats19_casualties",
    table="transport_stats19_casualties",
    description="TfGM's STATS19 casualty table for Greater Manchester: one row per casualty, numeric DfT codes.",
    columns=(
        Column("Accident Index", "accident_index", "id", required=True),
        Column("Year", "year", "year", required=True),
        Column("VehicleReferenceNumber", "vehicle_reference", "integer", required=True),
        Column("CasualtyNumber", "casualty_number", "integer", required=True),
        _coded("CasualtyClass", "casualty_class", "casualty", "casualty_class"),
        _coded("Sex", "sex", "casualty", "sex_of_casualty"),
        _coded("AgeBandOfCasualty", "age_band", "casualty", "age_band_of_casualty"),
        _coded("CasualtySeverity", "casualty_severity", "casualty", "casualty_severity"),
        Column("PedLocation", "pedestrian_location", "integer"),
        Column("PedMovement", "pedestrian_movement", "integer"),
        Column("CarPassenger", "car_passenger", "integer"),
        Column("BusPassenger", "bus_passenger", "integer"),
        Column("PedInjWork", "pedestrian_road_worker", "integer"),
        Column("CasTypeCode", "casualty_type", "integer"),
    ),
    period="year",
    natural_key=("accident_index", "vehicle_reference", "casualty_number"),
)

_ROAD_AND_CONDITION_CODES = (
    "first_road_class", "first_road_number", "road_type", "speed_limit", "junction_detail", "junction_control",
    "second_road_class", "second_road_number", "pedestrian_crossing_human_control",
    "pedestrian_crossing_physical_facilities", "light_conditions", "weather_conditions", "road_surface_conditions",
    "special_conditions_at_site", "carriageway_hazards", "urban_or_rural_area",
    "did_police_officer_attend_scene_of_accident", "trunk_road_flag",
)

DFT_COLLISIONS = Contract(
    partner="transport",
    feed="stats19_collisions",
    table="transport_stats19_collisions",
    description="DfT road casualty statistics, collision table (national layout, accident_* names).",
    columns=(
        Column("accident_index", "accident_index", "id", required=True),
        Column("accident_year", "accident_year", "year", required=True),
        Column("accident_reference", "accident_reference", "id"),
        Column("location_easting_osgr", "easting", "integer"),
        Column("location_northing_osgr", "northing", "integer"),
        Column("longitude", "longitude", "double"),
        Column("latitude", "latitude", "double"),
        _coded("police_force", "police_force", "collision", "police_force"),
        _coded("accident_severity", "accident_severity", "collision", "collision_severity"),
        Column("number_of_vehicles", "number_of_vehicles", "integer"),
        Column("number_of_casualties", "number_of_casualties", "integer"),
        Column("date", "collision_date", "date", required=True, formats=("%d/%m/%Y",)),
        Column("day_of_week", "day_of_week", "integer"),
        Column("time", "collision_time", "time", formats=("%H:%M",)),
        Column("local_authority_district", "local_authority_district", "integer"),
        Column("local_authority_ons_district", "local_authority_ons_district"),
        Column("local_authority_highway", "local_authority_highway"),
        *(Column(name, name, "integer") for name in _ROAD_AND_CONDITION_CODES),
        Column("lsoa_of_accident_location", "lsoa_code"),
    ),
    period="collision_date",
    delivery_scope=("accident_year", "police_force"),
    natural_key=("accident_index",),
    coordinates=("longitude", "latitude"),
)

TFGM_INCIDENTS = Contract(
    partner="transport",
    feed="tfgm_incidents",
    table="transport_tfgm_incidents",
    description="Passenger-transport crime and anti-social behaviour reported on TfGM's network (TravelSafe-style).",
    columns=(
        Column("Incident ID", "incident_ref", "id", required=True),
        Column("Incident Date", "incident_date", "date", required=True, formats=("%Y-%m-%d", "%d/%m/%Y")),
        Column("Incident Time", "incident_time", "time", formats=("%H:%M", "%H:%M:%S")),
        Column("Mode", "mode", required=True, values=("Bus", "Metrolink", "Rail", "Interchange")),
        Column("Stop or Route", "stop_or_route"),
        Column("Category", "category", required=True, values=("Crime", "ASB", "Substance misuse", "Other")),
        Column("Sub-category", "sub_category"),
        Column("Reporting Body", "reporting_body", values=("TfGM", "GMP", "BTP", "Operator")),
        Column("LSOA Code", "lsoa_code"),
        Column("Longitude", "longitude", "double"),
        Column("Latitude", "latitude", "double"),
        Column("Description", "description", personal="withhold"),
    ),
    period="incident_date",
    encodings=SPREADSHEET_ENCODINGS,
    natural_key=("incident_ref",),
    coordinates=("longitude", "latitude"),
)
