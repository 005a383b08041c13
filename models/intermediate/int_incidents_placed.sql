{{ config(materialized='incremental', incremental_strategy='append',
          pre_hook="{{ delete_changed_months('month_start') }}",
          post_hook="{{ comment_carried_incident_columns() }}") }}
{#- Many marts read the placed incidents: a table, so the union and its placement are computed once, and only the
    months new loads touched are recomputed on a later build (macros/incremental.sql). -#}
{#- Every partner event in the canonical shape, placed in its 2022 ward and district. The finest place wins: the
    LSOA the partner gave or its postcode's LSOA, else the LSOA polygon its point lies in, else the partner's own
    ward code (which gives a ward only when it is a current Greater Manchester ward; another area's ward code says
    the event is outside Greater Manchester when its district code says so), else a point in no loaded polygon,
    which is outside the area. Nothing is dropped. -#}
-- depends_on: {{ ref('int_changed_months') }}
{%- set placement_inputs = ['lsoa_source', 'partner_ward_code', 'partner_district_code'] %}
with incidents as (
    select stacked.*
    from {{ ref('int_incidents_stacked') }} as stacked
    {{ only_changed_months('stacked', 'occurred_month') }}
),

lsoa_lookup as (
    select * from {{ ref('int_lsoa_ward_lookup') }}
),

points as (
    select * from {{ ref('int_points_placed') }}
),

wards as (
    select ward_code, district_code from {{ ref('int_area_wards') }}
),

districts as (
    select distinct district_code from wards
),

located as (
    select
        incidents.*,
        coalesce(incidents.lsoa_code, points.lsoa_code) as resolved_lsoa_code,
        case
            when incidents.lsoa_code is not null then incidents.lsoa_source
            when points.lsoa_code is not null then 'polygon'
            when incidents.partner_ward_code is not null then 'partner_ward'
            when points.is_in_area = false then 'polygon'
            else 'unresolved'
        end as geo_method,
        partner_ward.ward_code as partner_ward_in_gm,
        partner_ward.district_code as partner_ward_district
    from incidents
    -- equality only, so the join hashes; a point's LSOA is used only when the incident came without one (above)
    left join points
        on points.longitude = incidents.longitude
        and points.latitude = incidents.latitude
    left join wards as partner_ward on partner_ward.ward_code = incidents.partner_ward_code
),

placed as (
    select
        {#- Every declared column carried on in its place, but for the month (counted as month_start, with its
            financial year) and the LSOA (the placed one, with the ward, district and how it was placed); the
            partner's own place codes and the LSOA's source were only inputs to placement. -#}
        {%- for column in incident_declaration() if column.name not in placement_inputs %}
        {%- if column.name == 'occurred_month' %}
        located.occurred_month as month_start,
        {{ financial_year('located.occurred_month') }} as financial_year,
        {%- elif column.name == 'lsoa_code' %}
        located.resolved_lsoa_code as lsoa_code,
        coalesce(lsoa_lookup.ward_code, case when located.geo_method = 'partner_ward' then located.partner_ward_in_gm end) as ward_code,
        coalesce(lsoa_lookup.district_code, case when located.geo_method = 'partner_ward' then located.partner_ward_district end) as district_code,
        located.geo_method,
        case
            when located.resolved_lsoa_code is not null then lsoa_lookup.lsoa_code is not null
            when located.partner_ward_in_gm is not null then true
            when located.partner_district_code is not null
                then located.partner_district_code in (select district_code from districts)
            when located.geo_method = 'polygon' then false
        end as is_in_gm,
        {%- else %}
        located.{{ column.name }}{{ ',' if not loop.last }}
        {%- endif %}
        {%- endfor %}
    from located
    left join lsoa_lookup on lsoa_lookup.lsoa_code = located.resolved_lsoa_code
)

select * from placed
