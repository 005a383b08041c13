{#- Every 2021 LSOA of the partnership area with the ward and district it best fits (ONS): Greater Manchester's
    2022 wards from its own lookup, or for any other area (`hub area`) the 2024 wards of the national lookup, for
    the area's districts. -#}
-- Both lookups, whichever the area takes, so unit tests of each run on any hub:
-- depends_on: {{ ref('stg_reference__lsoa21_wards') }} {{ ref('stg_reference__lsoa21_ward24') }}
{%- if area_uses_gm_lookups() %}
with lookup as (
    select
        lsoa21cd as lsoa21_code,
        wd22cd as ward_code,
        lad22cd as district_code
    from {{ ref('stg_reference__lsoa21_wards') }}
)
{%- else %}
with lookup as (
    select
        lsoa21_code,
        ward_code,
        district_code
    from {{ ref('stg_reference__lsoa21_ward24') }}
    where district_code in ({{ area_district_codes() }})
)
{%- endif %}

select * from lookup
