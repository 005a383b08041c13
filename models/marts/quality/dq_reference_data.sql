{#- The reference data the hub holds, beside the partners' scorecard: one row per reference feed currently loaded
    (the postcode directory has its own scorecard rows), with its file, vintage, rows, and how much of Greater
    Manchester it covers: the share of GM's LSOAs (2011 or 2021, as the feed is keyed) it has a row for. -#}
with live_loads as (
    select * from {{ source('audit', 'loads') }}
    where partner = 'reference' and status = 'loaded' and feed <> 'postcode_directory'
),

-- A feed delivered a district at a time (ONS's LSOA polygons) is live in several files: one row for them all.
loads as (
    select
        feed,
        string_agg(file_name, ', ' order by file_name) as file_name,
        case when count(*) = 1 then any_value(sha256) end as sha256,
        max(finished_at) as finished_at,
        sum(rows_read) as rows_read,
        sum(rows_loaded) as rows_loaded,
        sum(rows_rejected) as rows_rejected
    from live_loads
    group by feed
),

gm_lsoa11 as (
    select distinct lsoa11cd as lsoa_code from {{ ref('stg_reference__oa11_lookup') }}
),

gm_lsoa21 as (
    select distinct lsoa21cd as lsoa_code from {{ ref('stg_reference__lsoa21_wards') }}
),

keyed as (
    select 'population_mid' || cast(mid_year as varchar) as feed, 'ONS mid-' || cast(mid_year as varchar) as vintage,
           '2011' as lsoa_vintage, lsoa11cd as lsoa_code
    from {{ ref('stg_reference__lsoa11_population') }}
    union all
    select 'census2021_residents', 'Census 2021', '2021', lsoa21cd
    from {{ ref('stg_reference__lsoa21_census2021') }}
    union all
    select 'census2021_households', 'Census 2021', '2021', lsoa21cd
    from {{ ref('stg_reference__lsoa21_census2021') }}
    where households is not null
    union all
    select distinct 'imd2015_domains', 'IMD 2015', '2011', lsoa11cd
    from {{ ref('stg_reference__imd2015_domains') }}
    union all
    select 'lsoa11_lsoa21', 'LSOA 2011 -> 2021', '2011', lsoa11cd
    from {{ ref('stg_reference__lsoa11_lsoa21') }}
    union all
    select 'gm_lsoa21_boundaries', 'ONS LSOA 2021 boundaries', '2021', lsoa_code
    from {{ ref('stg_reference__lsoa21_boundaries') }}
    union all
    -- a ward's polygon covers the LSOAs the best fit puts in the ward
    select 'gm_ward22_boundaries', 'ONS ward 2022 boundaries', '2021', lsoa21cd
    from {{ ref('stg_reference__lsoa21_wards') }}
    where wd22cd in (select ward_code from {{ ref('stg_reference__ward_boundaries') }})
    union all
    -- an LSOA is covered when at least one postcode centroid was placed in it
    select distinct 'postcode_centroids', 'ONSPD August 2018', '2021', lsoa_code
    from {{ ref('stg_reference__postcode_centroids') }}
),

coverage as (
    select
        keyed.feed,
        any_value(keyed.vintage) as vintage,
        count(distinct coalesce(gm_lsoa11.lsoa_code, gm_lsoa21.lsoa_code)) as gm_lsoas_covered,
        case any_value(keyed.lsoa_vintage)
            when '2011' then (select count(*) from gm_lsoa11)
            else (select count(*) from gm_lsoa21)
        end as gm_lsoas
    from keyed
    left join gm_lsoa11 on keyed.lsoa_vintage = '2011' and gm_lsoa11.lsoa_code = keyed.lsoa_code
    left join gm_lsoa21 on keyed.lsoa_vintage = '2021' and gm_lsoa21.lsoa_code = keyed.lsoa_code
    group by keyed.feed
),

final as (
    select
        -- keys
        loads.feed,
        -- dimensions
        loads.file_name,
        loads.sha256,
        coverage.vintage,
        cast(loads.finished_at as date) as loaded_on,
        -- measures
        loads.rows_read,
        loads.rows_loaded,
        loads.rows_rejected,
        cast(coverage.gm_lsoas_covered as bigint) as gm_lsoas_covered,
        cast(coverage.gm_lsoas as bigint) as gm_lsoas,
        100.0 * coverage.gm_lsoas_covered / nullif(coverage.gm_lsoas, 0) as gm_coverage_pct
    from loads
    left join coverage on coverage.feed = loads.feed
)

select * from final
