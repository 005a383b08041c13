{#- The Vulnerable Localities Index per 2011 LSOA, as scored in int_vli_scored; see _vli__models.yml. -#}
with scored as (
    select * from {{ ref('int_vli_scored') }}
    where area_level = 'lsoa'
),

lsoas as (
    select * from {{ ref('int_vli_inputs_lsoa') }}
),

final as (
    select
        -- keys
        scored.area_code as lsoa_code,
        -- dimensions
        lsoas.ward_code,
        lsoas.district_code,
        scored.reference_area_code,
        scored.crime_period,
        cast(scored.crime_months as bigint) as crime_months,
        lsoas.population_is_estimate,
        {{ vli_scored_columns('scored') }}
    from scored
    inner join lsoas on lsoas.lsoa_code = scored.area_code
)

select * from final
