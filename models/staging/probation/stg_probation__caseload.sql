with source as (
    select * from {{ source('probation', 'caseload') }}
),

renamed as (
    select
        -- keys
        source.load_id,
        source.source_row,
        source.offender_ref as offender_key,
        source.snapshot_month,
        -- where they live: only the LSOA (and outward code) of the home postcode ever reaches the hub
        source.home_postcode_lsoa_code as home_lsoa_code,
        source.home_postcode_outward_code as home_outward_code,
        -- who
        source.age_band,
        source.tier,
        source.rosh_level,
        source.rosh_level in ('High', 'Very High') as is_high_rosh,
        source.index_offence_group,
        source.sentence_type,
        source.sentence_start_date,
        coalesce(source.is_ppo, false) as is_ppo,
        source.has_proven_reoffence
    from source
)

select * from renamed
