{{ config(materialized='incremental', incremental_strategy='append') }}
{#- Placing points is the costliest step of placement: a table, to which a later build adds only the new points of
    the months new loads touched (new reference data, such as polygons, rebuilds it whole: warehouse/transform.py). -#}
{#- Each point of an event that came without an LSOA is placed in the loaded 2021 LSOA polygons, by the rule the
    loaders place postcode centroids with (loaders/placement.py): in the polygon that contains it or whose edge it is
    on; on the edge between two LSOAs, in the lower-coded one (is_on_boundary); in none, outside the area. -#}

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

hits as (
    {{ lsoa_hits('points', ref('stg_reference__lsoa21_boundaries')) }}
)

select
    points.longitude,
    points.latitude,
    min(hits.lsoa_code) as lsoa_code,
    count(hits.lsoa_code) > 1 as is_on_boundary,
    -- With no polygon loaded nothing can be said of a point, so it is not called outside.
    case when exists (select 1 from {{ ref('stg_reference__lsoa21_boundaries') }}) then count(hits.lsoa_code) > 0 end as is_in_area
from points
left join hits on hits.longitude = points.longitude and hits.latitude = points.latitude
group by points.longitude, points.latitude
