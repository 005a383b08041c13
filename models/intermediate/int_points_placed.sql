{{ config(materialized='incremental', incremental_strategy='append') }}
{#- The nearest-postcode search is the costliest step of placement: a table, to which a later build adds only the
    new points of the months new loads touched (a new postcode directory rebuilds it whole: warehouse/transform.py). -#}
{#- Points without an LSOA are placed at the nearest postcode centroid of the loaded postcode directory, within
    MAX_METRES. Candidates are found in a grid of 0.005-degree cells (about 330 m east-west and 555 m north-south
    here), searching the point's cell and its eight neighbours, which covers every postcode within MAX_METRES.
    Distances use a flat-earth approximation at Greater Manchester's latitude (53.5 N): good to a metre or so at
    these ranges. A point further than MAX_METRES from every postcode stays unplaced. -#}
{%- set max_metres = 200 -%}
{%- set cell_degrees = 0.005 -%}
{%- set metres_per_degree_longitude = 66215 -%}
{%- set metres_per_degree_latitude = 111250 -%}

-- depends_on: {{ ref('int_changed_months') }}
with points as (
    select distinct stacked.longitude, stacked.latitude
    from {{ ref('int_incidents_stacked') }} as stacked
    {{ only_changed_months('stacked', 'occurred_month') }}
    where stacked.lsoa_code is null and stacked.longitude is not null and stacked.latitude is not null
    {%- if is_incremental() %}
        and not exists (
            select 1 from {{ this }} as placed
            where placed.longitude = stacked.longitude and placed.latitude = stacked.latitude
        )
    {%- endif %}
),

postcodes as (
    select
        postcode,
        lsoa_code,
        longitude,
        latitude,
        floor(longitude / {{ cell_degrees }}) as cell_x,
        floor(latitude / {{ cell_degrees }}) as cell_y
    from {{ ref('stg_reference__postcodes') }}
    where longitude is not null and latitude is not null
),

offsets as (
    select -1 as step union all select 0 union all select 1
),

searched_cells as (
    select
        points.longitude,
        points.latitude,
        floor(points.longitude / {{ cell_degrees }}) + dx.step as cell_x,
        floor(points.latitude / {{ cell_degrees }}) + dy.step as cell_y
    from points
    cross join offsets as dx
    cross join offsets as dy
),

candidates as (
    select
        searched_cells.longitude,
        searched_cells.latitude,
        postcodes.postcode,
        postcodes.lsoa_code,
        sqrt(
            power((postcodes.longitude - searched_cells.longitude) * {{ metres_per_degree_longitude }}, 2)
            + power((postcodes.latitude - searched_cells.latitude) * {{ metres_per_degree_latitude }}, 2)
        ) as distance_metres
    from searched_cells
    inner join postcodes
        on postcodes.cell_x = searched_cells.cell_x
        and postcodes.cell_y = searched_cells.cell_y
),

nearest as (
    select
        longitude,
        latitude,
        lsoa_code,
        distance_metres,
        row_number() over (partition by longitude, latitude order by distance_metres, postcode) as nearness
    from candidates
    where distance_metres <= {{ max_metres }}
)

select
    longitude,
    latitude,
    lsoa_code,
    cast(distance_metres as double) as distance_metres
from nearest
where nearness = 1
