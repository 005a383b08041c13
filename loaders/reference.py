"""The postcode directory the hub geocodes postcodes with, at the door, so that no full postcode is ever stored.

Its layout is the ONS Postcode Directory extract Trafford Data Lab publishes (postcode, 2021 LSOA, ward, district,
centroid); a partnership loads one file per district (a re-delivered district replaces that district's postcodes).
Load it before the feeds that carry postcodes: a postcode missing from the directory leaves its row unplaced.
"""

from loaders.contracts import GEOMETRY_FIELD, Column, Contract

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


def postcode_lsoas_sql(keys: str) -> str:
    """The 2021 LSOA (postcode_key, lsoa_code) of each postcode whose key `keys` (a query) selects: from a delivered
    directory (ONSPD's own assignment) where it has the postcode, else from the postcode's centroid placed in the LSOA
    polygons. Only those keys are grouped: a file names a few hundred of the directory's 120,000 postcodes."""
    return f"""
        select postcode_key, arg_min(lsoa_code, preference) as lsoa_code
        from (
            select {postcode_key_sql('postcode')} as postcode_key, lsoa_code, 1 as preference
            from raw.{POSTCODE_DIRECTORY.table}
            union all
            select {postcode_key_sql('postcode')}, lsoa_code, 2 from raw.{POSTCODE_CENTROIDS.table}
            where lsoa_code is not null
        )
        where postcode_key in ({keys})
        group by postcode_key
    """


# Public reference files (reference/manifest.toml) as the hub reads them, unchanged. Each replaces its earlier
# delivery whole (delivery_scope=()): a lookup or an estimate is one publication, not a month of one.
def _columns(*names: str, key: str = "") -> tuple[Column, ...]:
    return tuple(Column(name, name, required=name == key) for name in names)


def _ages(prefix: str = "") -> tuple[Column, ...]:
    """Single years of age as ONS publishes them: 0 to 89, then 90+."""
    return (*(Column(f"{prefix}{age}", f"age_{age}", "integer", required=True) for age in range(90)),
            Column(f"{prefix}90+", "age_90_plus", "integer", required=True))


WARD_DISTRICTS = Contract(
    partner="reference", period=None, feed="ward_districts", table="reference_ward_districts", delivery_scope=(),
    description="2022 wards and their districts (Trafford Data Lab's administrative lookup, ONS).",
    columns=_columns("wd22cd", "wd22nm", "lad22cd", "lad22nm", key="wd22cd"), natural_key=("wd22cd",),
)
LSOA21_WARDS = Contract(
    partner="reference", period=None, feed="lsoa21_wards", table="reference_lsoa21_wards", delivery_scope=(),
    description="ONS best fit of 2021 LSOAs to 2022 wards and districts.",
    columns=_columns("lsoa21cd", "lsoa21nm", "wd22cd", "wd22nm", "lad22cd", "lad22nm", key="lsoa21cd"),
    natural_key=("lsoa21cd",),
)
OA11_LOOKUP = Contract(
    partner="reference", period=None, feed="oa11_lookup", table="reference_oa11_lookup", delivery_scope=(),
    description="2011 output areas to their LSOA, MSOA and district.",
    columns=_columns("oa11cd", "lsoa11cd", "lsoa11nm", "msoa11cd", "msoa11nm", "lad11cd", "lad11nm", key="oa11cd"),
    natural_key=("oa11cd",),
)
OA21_LOOKUP = Contract(
    partner="reference", period=None, feed="oa21_lookup", table="reference_oa21_lookup", delivery_scope=(),
    description="2021 output areas to their LSOA, MSOA and district.",
    columns=_columns("oa21cd", "lsoa21cd", "lsoa21nm", "msoa21cd", "msoa21nm", "lad22cd", "lad22nm", key="oa21cd"),
    natural_key=("oa21cd",),
)
LSOA11_LSOA21 = Contract(
    partner="reference", period=None, feed="lsoa11_lsoa21", table="reference_lsoa11_lsoa21", delivery_scope=(),
    description="ONS best fit of each 2011 LSOA to one 2021 LSOA (England and Wales), with the 2022 district.",
    columns=(Column("LSOA11CD", "lsoa11cd", required=True), Column("LSOA11NM", "lsoa11nm"),
             Column("LSOA21CD", "lsoa21cd", required=True), Column("LSOA21NM", "lsoa21nm"),
             Column("LAD22CD", "lad22cd"), Column("LAD22NM", "lad22nm"), Column("LAD22NMW", "lad22nmw"),
             Column("ObjectId", "object_id", "integer")),
    natural_key=("lsoa11cd",),
)
# The national lookups an area outside Greater Manchester takes its wards and districts from (warehouse.area).
LSOA21_WARD24 = Contract(
    partner="reference", period=None, feed="lsoa21_ward24", table="reference_lsoa21_ward24", delivery_scope=(),
    description="ONS best fit of every 2021 LSOA in England and Wales to a 2024 ward and district.",
    columns=_columns("lsoa21_name", "lsoa21_code", "ward24_name", "ward24_code", "ltla24_name", "ltla24_code",
                     key="lsoa21_code"),
    natural_key=("lsoa21_code",),
)
DISTRICT_CSP_PFA = Contract(
    partner="reference", period=None, feed="district_csp_pfa", table="reference_district_csp_pfa", delivery_scope=(),
    description="Every 2024 district in England and Wales with its community safety partnerships (a district formed "
                "from several keeps a row for each) and police force area.",
    columns=(Column("ltla24_code", "ltla24_code", required=True), Column("ltla24_name", "ltla24_name"),
             Column("csp24_code", "csp24_code", required=True), Column("csp24_name", "csp24_name"),
             Column("pfa24_code", "pfa24_code"), Column("pfa24_name", "pfa24_name")),
    natural_key=("ltla24_code", "csp24_code"),
)
IMD2015_DOMAINS = Contract(
    partner="reference", period=None, feed="imd2015_domains", table="reference_imd2015_domains", delivery_scope=(),
    description="English Indices of Deprivation 2015 per 2011 LSOA, one row per index or domain (MHCLG).",
    columns=(Column("lsoa11cd", "lsoa11cd", required=True), Column("index_domain", "index_domain", required=True),
             Column("decile", "decile", "integer"), Column("rank", "rank", "integer"),
             Column("score", "score", "double", required=True)),
    natural_key=("lsoa11cd", "index_domain"),
)
POPULATION_MID2016 = Contract(
    partner="reference", period=None, feed="population_mid2016", table="reference_population_mid2016", delivery_scope=(),
    description="ONS mid-2016 population estimates per 2011 LSOA by single year of age (Trafford Data Lab's GM file).",
    columns=(Column("lsoa11cd", "lsoa11cd", required=True), Column("lsoa11nm", "lsoa11nm"),
             Column("lad16nm", "lad16nm"), Column("total_pop", "population", "integer", required=True), *_ages()),
    natural_key=("lsoa11cd",),
)
POPULATION_MID2019 = Contract(
    partner="reference", period=None, feed="population_mid2019", table="reference_population_mid2019", delivery_scope=(),
    description="ONS mid-2019 population estimates (SAPE22DT2) per 2011 LSOA by single year of age.",
    columns=(Column("lsoa_name", "lsoa11nm"), Column("lsoa_code", "lsoa11cd", required=True),
             Column("total_population", "population", "integer", required=True), *_ages()),
    natural_key=("lsoa11cd",),
)
# Counts carry thousands separators ("1,944"), so they arrive as text; staging reads them as numbers.
POPULATION_MID2020 = Contract(
    partner="reference", period=None, feed="population_mid2020", table="reference_population_mid2020", delivery_scope=(),
    description="ONS mid-2020 population estimates per 2011 LSOA in broad age bands.",
    columns=(Column("LSOA Code", "lsoa11cd", required=True), Column("LSOA Name", "lsoa11nm"),
             Column("LA Code (2018 boundaries)", "lad18cd"), Column("LA name (2018 boundaries)", "lad18nm"),
             Column("LA Code (2021 boundaries)", "lad21cd"), Column("LA name (2021 boundaries)", "lad21nm"),
             Column("All Ages", "all_ages", required=True), Column("0-15", "aged_0_to_15"),
             Column("16-29", "aged_16_to_29"), Column("30-44", "aged_30_to_44"), Column("45-64", "aged_45_to_64"),
             Column("65+", "aged_65_plus")),
    natural_key=("lsoa11cd",),
)
CENSUS2021_RESIDENTS = Contract(
    partner="reference", period=None, feed="census2021_residents", table="reference_census2021_residents", delivery_scope=(),
    description="Census 2021 usual residents per 2021 LSOA (the ONS footnote lines at the end are refused rows).",
    columns=(Column("2021 super output area - lower layer", "lsoa21nm"),
             Column("LSOA21CD", "lsoa21cd", required=True),
             Column("Population", "population", "integer", required=True)),
    natural_key=("lsoa21cd",),
)
CENSUS2021_HOUSEHOLDS = Contract(
    partner="reference", period=None, feed="census2021_households", table="reference_census2021_households", delivery_scope=(),
    description="Census 2021 households (TS011) per 2021 LSOA.",
    columns=(Column("lsoa21_code", "lsoa21cd", required=True),
             Column("households", "households", "integer", required=True)),
    natural_key=("lsoa21cd",),
)
# Built at load time from the DfT guide's workbook (loaders.stats19_guide), which is not a CSV.
STATS19_CODES = Contract(
    partner="reference", period=None, feed="stats19_codes", table="reference_stats19_codes", delivery_scope=(),
    description="Every coded value of the DfT road safety data guide: table, field, code and label.",
    columns=(Column("table_name", "table_name", required=True), Column("field_name", "field_name", required=True),
             Column("code", "code", "integer", required=True), Column("label", "label")),
    natural_key=("table_name", "field_name", "code"),
)

# Boundaries are GeoJSON: a feature's polygon is kept as its GeoJSON text, which DuckDB's spatial extension reads
# (ST_GeomFromGeoJSON) in a few milliseconds per thousand polygons, so nothing else needs storing; a file is one
# line per feature or all on one, so no line-length limit applies.
def _boundaries(feed: str, description: str, *columns: Column, scope: tuple[str, ...] = ()) -> Contract:
    return Contract(partner="reference", period=None, feed=feed, table=f"reference_{feed}", delivery_scope=scope,
                    description=description, format="geojson", max_line_bytes=1 << 30,
                    columns=(*columns, Column(GEOMETRY_FIELD, "boundary_geojson", "polygon", required=True)),
                    natural_key=(columns[0].name,))


GM_LSOA21_BOUNDARIES = _boundaries(
    "gm_lsoa21_boundaries", "2021 LSOA polygons of Greater Manchester (ONS generalised, WGS84; Trafford Data Lab).",
    Column("area_code", "lsoa21cd", required=True), Column("area_name", "lsoa21nm"))
GM_WARD22_BOUNDARIES = _boundaries(
    "gm_ward22_boundaries", "2022 ward polygons of Greater Manchester (ONS generalised, WGS84; Trafford Data Lab).",
    Column("area_code", "wd22cd", required=True), Column("area_name", "wd22nm"),
    Column("lat", "label_latitude", "double"), Column("lon", "label_longitude", "double"))
# ONS's own layout, one file per district (a district's later file replaces its polygons): any area's LSOAs.
LSOA21_BOUNDARIES = _boundaries(
    "lsoa21_boundaries", "2021 LSOA polygons in the ONS layout, one file per district (WGS84).",
    Column("FID", "fid"), Column("LSOA21CD", "lsoa21cd", required=True), Column("LSOA21NM", "lsoa21nm"),
    Column("GlobalID", "global_id"), Column("LADCD_ACTIVE", "lad_code", required=True), Column("UTLACD", "utla_code"),
    Column("CAUTHCD", "combined_authority_code"), Column("RGNCD", "region_code"), scope=("lad_code",))
LSOA21_BOUNDARY_CONTRACTS = (GM_LSOA21_BOUNDARIES, LSOA21_BOUNDARIES)

# ONSPD's postcodes with their centroid only: each is placed in the loaded 2021 LSOA polygons as it loads
# (loaders.placement), once per delivery, and is then a postcode directory like the one above.
POSTCODE_CENTROIDS = Contract(
    partner="reference", period=None, feed="postcode_centroids", table="reference_postcode_centroids",
    delivery_scope=(), description="Postcodes and their centroids (ONSPD), placed in 2021 LSOAs by polygon at load.",
    columns=(Column("postcode", "postcode", required=True), Column("lat", "latitude", "double", required=True),
             Column("long", "longitude", "double", required=True)),
    natural_key=("postcode",), coordinates=("longitude", "latitude"), placed_in_lsoas=True,
)


# The public files of reference/manifest.toml, loaded from the reference directory rather than delivered by a partner.
PUBLIC_REFERENCE_CONTRACTS = (WARD_DISTRICTS, LSOA21_WARDS, OA11_LOOKUP, OA21_LOOKUP, LSOA11_LSOA21,
                              LSOA21_WARD24, DISTRICT_CSP_PFA,
                              IMD2015_DOMAINS, POPULATION_MID2016, POPULATION_MID2019, POPULATION_MID2020,
                              CENSUS2021_RESIDENTS, CENSUS2021_HOUSEHOLDS, STATS19_CODES, GM_LSOA21_BOUNDARIES,
                              GM_WARD22_BOUNDARIES, LSOA21_BOUNDARIES, POSTCODE_CENTROIDS)
REFERENCE_CONTRACTS = (POSTCODE_DIRECTORY, *PUBLIC_REFERENCE_CONTRACTS)
