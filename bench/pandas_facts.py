"""The ward-month facts and one KPI (crime_rate by district and financial year) scripted in pandas, as an analyst
would without the hub: the raw tables read into data frames, and the categorising, placing, zero-filling and KPI
arithmetic done in pandas. The build benchmark's second alternative to dbt; the numbers are those of
marts.fct_ward_month and marts.kpi_results (the rules are explained in the dbt models). Which district-months the
deliveries cover is read from the hub's intermediate.int_feed_coverage, an input here like the seeds."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import shapely

from loaders.database import connect
from warehouse.paths import PROJECT_DIR

SEEDS = PROJECT_DIR / "seeds"
REFERENCE_TABLES = ("ward_districts", "lsoa21_wards", "oa11_lookup", "oa21_lookup", "lsoa11_lsoa21", "population_mid2016",
                    "population_mid2019", "population_mid2020", "census2021_residents", "census2021_households")
POLYGON_TABLES = ("gm_lsoa21_boundaries", "lsoa21_boundaries")  # Greater Manchester's file first: it wins a repeat

EVENT_COLUMNS = ["partner", "feed", "taxonomy", "source_category", "occurred_month", "lsoa_code", "longitude",
                 "latitude", "partner_ward_code"]
FACT_KEYS = ["ward_code", "month_start", "partner", "feed", "category_group"]


@dataclass(frozen=True)
class Feed:
    partner: str
    feed: str
    table: str                      # raw.<table>
    taxonomy: str                   # how the category column is mapped (category_map; HO codes for recorded crime)
    category: str                   # the partner's own category column
    month: str = "period_month"
    lsoa: str | None = "lsoa_code"
    partner_ward: str | None = None


FEEDS = (
    Feed("police", "street_crime", "police_street_crime", "police_uk", "crime_type", month="month"),
    Feed("police", "stop_search", "police_stop_search", "stop_search", "search_type", lsoa=None),
    Feed("police", "recorded_crime", "police_recorded_crime", "ho_offence_code", "ho_offence_code"),
    Feed("fire", "incidents", "fire_incidents", "fire_stop_code", "stop_code_description", lsoa="postcode_lsoa_code",
         partner_ward="ward_code"),
    Feed("ambulance", "callouts", "ambulance_callouts", "ambulance_istv", "category", lsoa="postcode_lsoa_code"),
    Feed("transport", "btp_street_crime", "transport_btp_street_crime", "police_uk", "crime_type", month="month"),
    Feed("transport", "stats19_collisions", "transport_stats19_collisions", "stats19_severity", "accident_severity"),
    Feed("transport", "tfgm_incidents", "transport_tfgm_incidents", "tfgm_incident", "category"),
)


def ward_month_and_kpi(database: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(fct_ward_month, crime_rate by district and financial year) from a hub working database's raw tables."""
    with connect(database, read_only=True) as con:
        events = pd.concat([read_feed(con, feed) for feed in FEEDS], ignore_index=True)
        polygons = pd.concat([con.sql(f"select lsoa21cd as lsoa_code, boundary_geojson from raw.reference_{table}").df()
                              for table in POLYGON_TABLES]).drop_duplicates("lsoa_code")
        coverage = con.sql("select partner, feed, month_start, district_code, coverage, is_covered "
                           "from intermediate.int_feed_coverage").df()
        reference = {table: con.sql(f"select * from raw.reference_{table}").df() for table in REFERENCE_TABLES}
    wards = reference["ward_districts"].rename(columns={"wd22cd": "ward_code", "lad22cd": "district_code"})[
        ["ward_code", "district_code"]]
    incidents = place(categorise(events), polygons, wards, lsoa_wards(reference))
    estimates = ward_estimates(reference)
    return (ward_month(incidents, wards, coverage, estimates),
            crime_rate_by_district_year(incidents, wards, coverage, estimates))


def read_feed(con, feed: Feed) -> pd.DataFrame:
    columns = [feed.category, feed.month, "longitude", "latitude", *filter(None, [feed.lsoa, feed.partner_ward])]
    frame = con.sql(f"select {', '.join(columns)} from raw.{feed.table}").df()
    events = pd.DataFrame({
        "partner": feed.partner,
        "feed": feed.feed,
        "taxonomy": feed.taxonomy,
        "source_category": frame[feed.category],
        "occurred_month": frame[feed.month],
        "lsoa_code": frame[feed.lsoa] if feed.lsoa else None,
        "longitude": frame["longitude"],
        "latitude": frame["latitude"],
        "partner_ward_code": frame[feed.partner_ward] if feed.partner_ward else None,
    })
    if feed.feed == "stats19_collisions":
        # a collision is categorised by its severity's label; DfT writes '-1' for a missing LSOA
        severities = con.sql("select code, label from raw.reference_stats19_codes "
                             "where table_name = 'collision' and field_name = 'collision_severity'").df()
        events["source_category"] = events["source_category"].map(severities.set_index("code")["label"])
        events["lsoa_code"] = events["lsoa_code"].mask(events["lsoa_code"] == "-1")
    return events[EVENT_COLUMNS]


def categorise(events: pd.DataFrame) -> pd.DataFrame:
    """Each event's category group through the category_map seed, by its month (police recorded crime through its
    Home Office code); 'Unmapped' when nothing maps it."""
    category_map = _seed("category_map.csv", parse_dates=["valid_from", "valid_to"])
    offence_codes = _seed("police/ho_offence_codes.csv").assign(
        taxonomy="ho_offence_code", source_category=lambda codes: codes["ho_offence_code"])
    categories = pd.concat([category_map, offence_codes])[
        ["taxonomy", "source_category", "category_group", "valid_from", "valid_to"]]
    matched = events[["taxonomy", "source_category", "occurred_month"]].reset_index().merge(
        categories, on=["taxonomy", "source_category"]).set_index("index")
    month = matched["occurred_month"]
    in_force = ((matched["valid_from"].isna() | (month >= matched["valid_from"]))
                & (matched["valid_to"].isna() | (month <= matched["valid_to"])))
    categorised = events.join(matched.loc[in_force, ["category_group"]])
    categorised["category_group"] = categorised["category_group"].fillna("Unmapped")
    return categorised


def place(events: pd.DataFrame, polygons: pd.DataFrame, wards: pd.DataFrame, lsoa_ward: pd.Series) -> pd.DataFrame:
    """Each event's ward and district: by its own LSOA, else the LSOA polygon its point lies in, else the partner's
    ward code when that is a Greater Manchester ward; null when none of these places it in Greater Manchester."""
    unplaced_points = events.loc[events["lsoa_code"].isna(), ["longitude", "latitude"]].dropna().drop_duplicates()
    point_lsoas = polygon_lsoas(unplaced_points, polygons)
    lsoa = events["lsoa_code"].fillna(
        events[["longitude", "latitude"]].merge(point_lsoas, how="left")["lsoa_code"].set_axis(events.index))
    partner_ward = events["partner_ward_code"].where(
        lsoa.isna() & events["partner_ward_code"].isin(wards["ward_code"]))
    ward = lsoa.map(lsoa_ward).fillna(partner_ward)
    return events.assign(ward_code=ward, district_code=ward.map(wards.set_index("ward_code")["district_code"]))


def polygon_lsoas(points: pd.DataFrame, polygons: pd.DataFrame) -> pd.DataFrame:
    """(longitude, latitude, lsoa_code): the LSOA whose polygon contains the point or whose edge it lies on (on the
    edge between two, the lower code); a point in no polygon is left out. Polygons are made valid first."""
    shapes = shapely.make_valid(shapely.from_geojson(polygons["boundary_geojson"].to_numpy()))
    point_index, polygon_index = shapely.STRtree(shapes).query(
        shapely.points(points["longitude"].to_numpy(), points["latitude"].to_numpy()), predicate="intersects")
    hits = pd.DataFrame({"longitude": points["longitude"].to_numpy()[point_index],
                         "latitude": points["latitude"].to_numpy()[point_index],
                         "lsoa_code": polygons["lsoa_code"].to_numpy()[polygon_index]})
    return hits.groupby(["longitude", "latitude"], as_index=False)["lsoa_code"].min()


def lsoa_wards(reference: dict[str, pd.DataFrame]) -> pd.Series:
    """LSOA code -> 2022 ward: the 2021 best fit, and a 2011 LSOA whose code did not survive through the 2021 LSOA
    holding most of its output areas (a tie goes to the lowest code)."""
    best_fit = reference["lsoa21_wards"].set_index("lsoa21cd")["wd22cd"]
    oa11 = reference["oa11_lookup"]
    oa21 = reference["oa21_lookup"]
    changed = oa11[~oa11["lsoa11cd"].isin(best_fit.index)]
    shared = changed.merge(oa21, left_on="oa11cd", right_on="oa21cd").groupby(["lsoa11cd", "lsoa21cd"]).size()
    successors = (shared.rename("output_areas").reset_index()
                  .sort_values(["lsoa11cd", "output_areas", "lsoa21cd"], ascending=[True, False, True])
                  .drop_duplicates("lsoa11cd").set_index("lsoa11cd")["lsoa21cd"])
    return pd.concat([best_fit, successors.map(best_fit)])


def ward_estimates(reference: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Each ward's ONS populations by estimate year: 2011-LSOA estimates through the ONS 2011 -> 2021 best fit and the
    2021 LSOA -> ward best fit (a vintage counts only if it covers every LSOA placed in the ward), and Census 2021
    residents; with the ward's census population and households, by which other years' households are scaled."""
    mid_2020 = reference["population_mid2020"].assign(
        population=lambda p: p["all_ages"].str.replace(",", "").astype("int64"))
    lsoa11_population = pd.concat([
        reference["population_mid2016"][["lsoa11cd", "population"]].assign(estimate_year=2016),
        reference["population_mid2019"][["lsoa11cd", "population"]].assign(estimate_year=2019),
        mid_2020[["lsoa11cd", "population"]].assign(estimate_year=2020),
    ])
    best_fit = reference["lsoa21_wards"][["lsoa21cd", "wd22cd"]]
    lsoa11_wards = reference["lsoa11_lsoa21"][["lsoa11cd", "lsoa21cd"]].merge(best_fit, on="lsoa21cd")
    grid = lsoa11_wards.merge(lsoa11_population[["estimate_year"]].drop_duplicates(), how="cross").merge(
        lsoa11_population, on=["lsoa11cd", "estimate_year"], how="left")
    per_ward = grid.groupby(["wd22cd", "estimate_year"]).agg(
        population=("population", "sum"), covered=("population", "count"), lsoas=("lsoa11cd", "size")).reset_index()
    per_ward = per_ward[per_ward["covered"] == per_ward["lsoas"]][["wd22cd", "estimate_year", "population"]]
    census = (best_fit.merge(reference["census2021_residents"][["lsoa21cd", "population"]], on="lsoa21cd", how="left")
              .merge(reference["census2021_households"][["lsoa21cd", "households"]], on="lsoa21cd", how="left")
              .groupby("wd22cd")[["population", "households"]].sum()
              .rename(columns={"population": "census_population", "households": "census_households"}).reset_index())
    estimates = pd.concat([per_ward, census.assign(estimate_year=2021, population=census["census_population"])[
        ["wd22cd", "estimate_year", "population"]]]).merge(census, on="wd22cd")
    return estimates.rename(columns={"wd22cd": "ward_code"})


def ward_years(estimates: pd.DataFrame, years: pd.Series) -> pd.DataFrame:
    """Each ward's population and households in each year: the nearest estimate, the earlier of two as near."""
    grid = estimates.merge(pd.DataFrame({"year": years.drop_duplicates()}), how="cross")
    grid["distance"] = (grid["estimate_year"] - grid["year"]).abs()
    nearest = grid.sort_values(["ward_code", "year", "distance", "estimate_year"]).drop_duplicates(["ward_code", "year"])
    return nearest.assign(
        population=nearest["population"].astype(float),
        households=nearest["census_households"] * nearest["population"] / nearest["census_population"],
    )[["ward_code", "year", "population", "households"]]


def ward_month(incidents: pd.DataFrame, wards: pd.DataFrame, coverage: pd.DataFrame,
               estimates: pd.DataFrame) -> pd.DataFrame:
    """fct_ward_month: counts per ward, month, feed and category group, over every group a feed has reported and
    every district-month of its coverage: zero-filled where the deliveries cover it, null where they do not."""
    incidents = incidents.rename(columns={"occurred_month": "month_start"})
    counts = incidents.dropna(subset=["ward_code"]).groupby(FACT_KEYS).size().rename("incident_count")
    feed_groups = incidents[["partner", "feed", "category_group"]].drop_duplicates()
    grid = feed_groups.merge(coverage, on=["partner", "feed"]).merge(wards, on="district_code")
    grid["year"] = grid["month_start"].dt.year
    grid = grid.merge(ward_years(estimates, grid["year"]), on=["ward_code", "year"])
    facts = grid.join(counts, on=FACT_KEYS)
    facts["incident_count"] = facts["incident_count"].fillna(0).astype("Int64").where(facts["is_covered"])
    facts["financial_year"] = financial_year(facts["month_start"])
    facts["population_is_estimate"] = False
    facts["rate_per_1000_population"] = (1000.0 * facts["incident_count"].astype(float) / facts["population"])
    return facts[[*FACT_KEYS, "district_code", "financial_year", "coverage", "is_covered", "incident_count",
                  "population", "households", "population_is_estimate", "rate_per_1000_population"]]


def crime_rate_by_district_year(incidents: pd.DataFrame, wards: pd.DataFrame, coverage: pd.DataFrame,
                                estimates: pd.DataFrame) -> pd.DataFrame:
    """KPI crime_rate: police recorded crimes per 1,000 people, by district and financial year, over the months the
    deliveries cover each district (a year with none has no row); the denominator is the district's population in
    the year the financial year begins in."""
    covered = coverage[coverage["is_covered"] & (coverage["partner"] == "police")
                       & (coverage["feed"] == "recorded_crime")]
    covered = covered.assign(period_label=financial_year(covered["month_start"]))
    years = (covered.groupby(["district_code", "period_label"])["month_start"].nunique().rename("months_with_data")
             .reset_index())
    crimes = incidents[(incidents["partner"] == "police") & (incidents["feed"] == "recorded_crime")]
    crimes = crimes.merge(covered[["district_code", "month_start"]], left_on=["district_code", "occurred_month"],
                          right_on=["district_code", "month_start"])
    crimes = crimes.assign(period_label=financial_year(crimes["occurred_month"]))
    counts = crimes.groupby(["district_code", "period_label"]).size()
    years["year"] = years["period_label"].str[:4].astype("int64")
    populations = ward_years(estimates, years["year"]).merge(wards, on="ward_code")
    districts = populations.groupby(["district_code", "year"])["population"].sum().rename("denominator").reset_index()
    kpi = years.merge(districts, on=["district_code", "year"]).join(counts.rename("measure_total"),
                                                                    on=["district_code", "period_label"])
    kpi["measure_total"] = kpi["measure_total"].fillna(0).astype("int64")
    kpi["rate"] = kpi["measure_total"] * 1000.0 / kpi["denominator"]
    return kpi.rename(columns={"district_code": "area_code"}).assign(
        kpi_id="crime_rate", level="district", period_type="financial_year")[
        ["kpi_id", "level", "area_code", "period_type", "period_label", "months_with_data", "measure_total",
         "denominator", "rate"]]


def financial_year(months: pd.Series) -> pd.Series:
    """A month's financial year (April - March) as published: '2016/17'."""
    start = months.dt.year - (months.dt.month < 4)
    return start.astype(str) + "/" + (start + 1).astype(str).str[-2:]


def _seed(name: str, **read_csv) -> pd.DataFrame:
    return pd.read_csv(SEEDS / name, **read_csv)
