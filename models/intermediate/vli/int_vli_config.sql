{#- The VLI settings (seed vli_config, one row per setting) as one typed row. A value that does not convert is
    null, and the not-null test on this model (not_null_columns) stops the build rather than let a VLI be scored
    without it. The average household size is the project's one setting (var average_household_size), shared with
    every rate. -#}
with settings as (
    select setting, value from {{ ref('vli_config') }}
),

pivoted as (
    select
        max(case when setting = 'reference_area_code' then value end) as reference_area_code,
        max(case when setting = 'crime_period' then value end) as crime_period,
        max(case when setting = 'priority_threshold' then value end) as priority_threshold,
        max(case when setting = 'crime_weight' then value end) as crime_weight,
        max(case when setting = 'deprivation_weight' then value end) as deprivation_weight,
        max(case when setting = 'young_people_weight' then value end) as young_people_weight,
        max(case when setting = 'education_weight' then value end) as education_weight
    from settings
),

final as (
    select
        reference_area_code,
        crime_period,
        {{ dbt.safe_cast('priority_threshold', 'double') }} as priority_threshold,
        {{ dbt.safe_cast('crime_weight', 'double') }} as crime_weight,
        {{ dbt.safe_cast('deprivation_weight', 'double') }} as deprivation_weight,
        {{ dbt.safe_cast('young_people_weight', 'double') }} as young_people_weight,
        {{ dbt.safe_cast('education_weight', 'double') }} as education_weight,
        cast({{ var('average_household_size') }} as double) as average_household_size
    from pivoted
)

select * from final
