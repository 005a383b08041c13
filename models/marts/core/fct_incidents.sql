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
    incidents.*,
    lsoa_lookup.lsoa_vintage,
    lsoa_lookup.lsoa21_code,
    lsoa_lookup.lsoa11_code
from incidents
left join lsoa_lookup on lsoa_lookup.lsoa_code = incidents.lsoa_code
