{#- The Vulnerable Localities Index per 2022 ward, as scored in int_vli_scored; see _vli__models.yml. -#}
with scored as (
    select * from {{ ref('int_vli_scored') }}
    where area_level = 'ward'
),

wards as (
    select * from {{ ref('dim_ward') }}
),

final as (
    select
        -- keys
        scored.area_code as ward_code,
        -- dimensions
        wards.ward_name,
        wards.district_code,
        scored.reference_area_code,
        scored.crime_period,
        cast(scored.crime_months as bigint) as crime_months,
        cast(scored.lsoa_count as bigint) as lsoa_count,
        cast(scored.lsoas_population_estimated as bigint) as lsoas_population_estimated,
        scored.lsoas_population_estimated > 0 as population_is_estimate,
        {{ vli_scored_columns('scored') }}
    from scored
    inner join wards on wards.ward_code = scored.area_code
)

select * from final
