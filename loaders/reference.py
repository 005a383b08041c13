"""The postcode directory the hub geocodes postcodes with, at the door, so that no full postcode is ever stored.

Its layout is the ONS Postcode Directory extract Trafford Data Lab publishes (postcode, 2021 LSOA, ward, district,
centroid); a partnership loads one file per district (a re-delivered district replaces that district's postcodes).
Load it before the feeds that carry postcodes: a postcode missing from the directory leaves its row unplaced.
"""

from loaders.contracts import Column, Contract

POSTCODE_DIRECTORY = Contract(
    partner="reference",
    feed="postcode_directory",
    table="reference_postcodes",
    description="Postcode -> 2021 LSOA, ward and district, with the postcode's centroid (ONSPD-derived).",
    columns=(
        Column("postcode", "postcode", required=True),
        Column("ward_code", "ward_code"),
        Column("ward_name", "ward_name"),
        Column("msoa_code", "msoa_code"),
        Column("msoa_hcl_name", "msoa_hcl_name"),
        Column("lsoa_code", "lsoa_code", required=True),
        Column("lsoa_name", "lsoa_name"),
        Column("locality", "locality"),
        Column("la_code", "la_code", required=True),
        Column("la_name", "la_name"),
        Column("lon", "longitude", "double"),
        Column("lat", "latitude", "double"),
    ),
    period=None,
    delivery_scope=("la_code",),
    natural_key=("postcode",),
    coordinates=("longitude", "latitude"),
)


def postcode_key_sql(expression: str) -> str:
    """A postcode as a join key: upper case, no spaces ('m15 4ab' and 'M154AB' are the same postcode)."""
    return f"nullif(upper(replace(trim({expression}), ' ', '')), '')"
