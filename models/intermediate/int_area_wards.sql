{#- Every ward of the partnership area with its district: Greater Manchester's 2022 ward lookup, or for any other
    area (`hub area`) each 2024 ward the national LSOA best fit places an LSOA of the area's districts in. -#}
-- Both lookups, whichever the area takes, so unit tests of each run on any hub:
-- depends_on: {{ ref('stg_reference__ward_districts') }} {{ ref('stg_reference__lsoa21_ward24') }}
{%- if area_uses_gm_lookups() %}
with wards as (
    select
        wd22cd as ward_code,
        wd22nm as ward_name,
        lad22cd as district_code,
        lad22nm as district_name,
        '2022' as boundary_version
    from {{ ref('stg_reference__ward_districts') }}
)
{%- else %}
with wards as (
    select distinct
        ward_code,
        ward_name,
        district_code,
        district_name,
        '2024' as boundary_version
    from {{ ref('stg_reference__lsoa21_ward24') }}
    where district_code in ({{ area_district_codes() }})
)
{%- endif %}

select * from wards
