with source as (
    select * from {{ source('transport', 'stats19_casualties') }}
),

codes as (
    select field_name, cast(code as {{ dbt.type_int() }}) as code, label
    from {{ ref('stg_reference__stats19_codes') }}
    where table_name = 'casualty'
),

decoded as (
    select
        -- keys
        source.load_id,
        source.source_row,
        source.accident_index,
        source.vehicle_reference,
        source.casualty_number,
        -- when: TfGM's table gives the year only
        source.year as casualty_year,
        -- who (codes decoded with the DfT guide)
        source.casualty_severity as severity_code,
        severity.label as casualty_severity,
        casualty_class.label as casualty_class,
        sex.label as sex,
        age_band.label as age_band,
        source.casualty_type as casualty_type_code,
        coalesce(casualty_type.label, 'code not in the DfT 2024 guide') as casualty_type,
        -- flags
        source.casualty_severity in (1, 2) as is_ksi,
        source.casualty_severity = 1 as is_fatal,
        source.age_band between 1 and 3 as is_child
    from source
    left join codes as severity
        on severity.field_name = 'casualty_severity' and severity.code = source.casualty_severity
    left join codes as casualty_class
        on casualty_class.field_name = 'casualty_class' and casualty_class.code = source.casualty_class
    left join codes as sex
        on sex.field_name = 'sex_of_casualty' and sex.code = source.sex
    left join codes as age_band
        on age_band.field_name = 'age_band_of_casualty' and age_band.code = source.age_band
    left join codes as casualty_type
        on casualty_type.field_name = 'casualty_type' and casualty_type.code = source.casualty_type
)

select * from decoded
