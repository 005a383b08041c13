{%- set lookup_version = "'lsoa21-ward22-bestfit'" if area_uses_gm_lookups() else "'lsoa21-ward24-bestfit'" -%}
{#- Every LSOA code a partner may give (2021, and 2011 where the code did not survive) with the ward and district of
    the partnership area it best fits. A 2011 LSOA whose code changed reaches a 2021 LSOA by its output areas in
    Greater Manchester (its OA lookups), by the ONS LSOA 2011 -> 2021 best fit elsewhere (`hub area`). -#}
-- Both ways of following a changed 2011 LSOA, whichever the area takes, so unit tests of each run on any hub:
-- depends_on: {{ ref('stg_reference__oa11_lookup') }} {{ ref('stg_reference__oa21_lookup') }}
-- depends_on: {{ ref('stg_reference__lsoa11_lsoa21') }}
with lsoa21_best_fit as (
    select
        lsoa21_code as lsoa_code,
        ward_code,
        district_code
    from {{ ref('int_area_lsoa21_wards') }}
),
{%- if area_uses_gm_lookups() %}

oa11 as (
    select oa11cd as oa_code, lsoa11cd as lsoa11_code
    from {{ ref('stg_reference__oa11_lookup') }}
),

oa21 as (
    select oa21cd as oa_code, lsoa21cd as lsoa21_code
    from {{ ref('stg_reference__oa21_lookup') }}
),

lsoa11_codes as (
    select distinct lsoa11_code from oa11
),

-- 2011 LSOAs whose code did not survive into 2021 (split or merged): follow their output areas, whose codes did.
changed_lsoa11 as (
    select lsoa11_code from lsoa11_codes
    where lsoa11_code not in (select lsoa_code from lsoa21_best_fit)
),

shared_output_areas as (
    select
        oa11.lsoa11_code,
        oa21.lsoa21_code,
        count(*) as output_areas
    from oa11
    inner join oa21 on oa21.oa_code = oa11.oa_code
    where oa11.lsoa11_code in (select lsoa11_code from changed_lsoa11)
    group by oa11.lsoa11_code, oa21.lsoa21_code
),

-- The 2021 LSOA holding most of the old LSOA's output areas; a tie goes to the lowest code, so the choice is stable.
successor as (
    select
        lsoa11_code,
        lsoa21_code,
        row_number() over (partition by lsoa11_code order by output_areas desc, lsoa21_code) as preference
    from shared_output_areas
),

-- 2021 LSOAs whose code is new (split or merged) go the other way for 2011-LSOA products (the VLI, IMD 2015): to the
-- 2011 LSOA holding most of their output areas, a tie going to the lowest code.
predecessor as (
    select
        oa21.lsoa21_code,
        oa11.lsoa11_code,
        row_number() over (partition by oa21.lsoa21_code order by count(*) desc, oa11.lsoa11_code) as preference
    from oa21
    inner join oa11 on oa11.oa_code = oa21.oa_code
    where oa21.lsoa21_code not in (select lsoa11_code from lsoa11_codes)
    group by oa21.lsoa21_code, oa11.lsoa11_code
),
{%- else %}

-- The ONS best fit of each 2011 LSOA to one 2021 LSOA, for the 2011 LSOAs that best fit one of the area's.
best_fit_2011 as (
    select lsoa11cd as lsoa11_code, lsoa21cd as lsoa21_code
    from {{ ref('stg_reference__lsoa11_lsoa21') }}
    where lsoa21cd in (select lsoa_code from lsoa21_best_fit)
),

lsoa11_codes as (
    select distinct lsoa11_code from best_fit_2011
),

successor as (
    select lsoa11_code, lsoa21_code, 1 as preference
    from best_fit_2011
    where lsoa11_code not in (select lsoa_code from lsoa21_best_fit)
),

-- A 2021 LSOA whose code is new takes, for 2011-LSOA products, the lowest-coded 2011 LSOA that best fits it.
predecessor as (
    select
        lsoa21_code,
        lsoa11_code,
        row_number() over (partition by lsoa21_code order by lsoa11_code) as preference
    from best_fit_2011
    where lsoa21_code not in (select lsoa11_code from lsoa11_codes)
),
{%- endif %}

lsoa21_rows as (
    select
        lsoa_code,
        case when lsoa_code in (select lsoa11_code from lsoa11_codes) then '2011 and 2021' else '2021' end as lsoa_vintage,
        lsoa_code as lsoa21_code,
        case when lsoa_code in (select lsoa11_code from lsoa11_codes) then lsoa_code
             else predecessor.lsoa11_code end as lsoa11_code,
        ward_code,
        district_code,
        'best_fit' as fit_method
    from lsoa21_best_fit
    left join predecessor
        on predecessor.lsoa21_code = lsoa21_best_fit.lsoa_code
        and predecessor.preference = 1
),

changed_lsoa11_rows as (
    select
        successor.lsoa11_code as lsoa_code,
        '2011' as lsoa_vintage,
        successor.lsoa21_code,
        successor.lsoa11_code,
        lsoa21_best_fit.ward_code,
        lsoa21_best_fit.district_code,
        {{ "'best_fit_via_oa'" if area_uses_gm_lookups() else "'best_fit_lsoa11'" }} as fit_method
    from successor
    inner join lsoa21_best_fit on lsoa21_best_fit.lsoa_code = successor.lsoa21_code
    where successor.preference = 1
),

final as (
    select *, {{ lookup_version }} as lookup_version from lsoa21_rows
    union all
    select *, {{ lookup_version }} as lookup_version from changed_lsoa11_rows
)

select * from final
