with casualties as (
    select * from {{ ref('stg_transport__road_casualties') }}
),

final as (
    select
        -- keys
        casualty_year,
        casualty_severity,
        casualty_class,
        is_child,
        -- measures
        cast(count(*) as bigint) as casualties,
        cast(sum(case when is_ksi then 1 else 0 end) as bigint) as ksi_casualties
    from casualties
    group by casualty_year, casualty_severity, casualty_class, is_child
)

select * from final
