{#- Greater Manchester's file and ONS's per-district files hold different properties: one shape, one row per LSOA. -#}
with gm as (
    select * from {{ source('reference', 'gm_lsoa21_boundaries') }}
),

ons as (
    select * from {{ source('reference', 'lsoa21_boundaries') }}
),

unioned as (
    select gm.lsoa21cd as lsoa_code, gm.lsoa21nm as lsoa_name, gm.boundary_geojson, gm.load_id from gm
    union all
    select ons.lsoa21cd, ons.lsoa21nm, ons.boundary_geojson, ons.load_id from ons
    where ons.lsoa21cd not in (select gm.lsoa21cd from gm)
)

select * from unioned
