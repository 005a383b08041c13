{#- A view: the incidents are already a table (int_incidents_placed); a second copy would double the file and the
    build for nothing. Published to Parquet like the marts' tables. Beside the LSOA code as delivered (2011 codes from
    police.uk and STATS19, 2021 codes from postcodes) it carries the code's vintage and its 2021 and 2011 LSOAs (best
    fit), so a join to a table of either vintage (vli_lsoa is 2011) drops nobody. -#}
{{ config(materialized='view', post_hook="{{ comment_carried_incident_columns() }}") }}

with incidents as (
    select * from {{ ref('int_incidents_placed') }}
),

lsoa_lookup as (
    select lsoa_code, lsoa_vintage, lsoa21_code, lsoa11_code from {{ ref('int_lsoa_ward_lookup') }}
)

select
    -- computed here, not stored in int_incidents_placed: a unique 32-character string a row was a fifth of that table
    -- (0.18 of 0.82 GB at 10M incidents) and 2 s of writing it, and only readers of this view ask for it
    {{ dbt.hash(dbt.concat(["incidents.partner", "'|'", "incidents.feed", "'|'",
                            "cast(incidents.load_id as " ~ dbt.type_string() ~ ")", "'|'",
                            "cast(incidents.source_row as " ~ dbt.type_string() ~ ")"])) }} as incident_key,
    incidents.*,
    lsoa_lookup.lsoa_vintage,
    lsoa_lookup.lsoa21_code,
    lsoa_lookup.lsoa11_code
from incidents
left join lsoa_lookup on lsoa_lookup.lsoa_code = incidents.lsoa_code
