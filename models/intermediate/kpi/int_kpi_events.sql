{#- One row per event counted by a KPI: each incident (or road casualty) matched to every KPI whose partner, feed,
    flag and category it meets (seed kpi_definitions), with the month and place it counts in and the amount it adds:
    1, or for a KPI summing a measure (NI 49's casualties) the incident's measure. The flag and measure are named in
    the seed, so adding a KPI over an existing flag or measure is a row, not code. -#}
with definitions as (
    select * from {{ ref('kpi_definitions') }}
),

incidents as (
    select * from {{ ref('int_incidents_placed') }}
    where is_in_gm
),

casualties as (
    select * from {{ ref('stg_transport__road_casualties') }}
),

incident_events as (
    select
        definitions.kpi_id,
        incidents.month_start,
        incidents.ward_code,
        incidents.district_code,
        case
            when definitions.measure is null then 1
            {%- for measure in incident_measure_names() %}
            when definitions.measure = '{{ measure }}' then incidents.{{ measure }}
            {%- endfor %}
        end as amount
    from incidents
    inner join definitions
        on definitions.partner = incidents.partner
        and definitions.feed = incidents.feed
        and (definitions.category is null or definitions.category = incidents.category)
        and (definitions.flag is null or case definitions.flag
            {%- for flag in incident_flag_names() %}
            when '{{ flag }}' then incidents.{{ flag }}
            {%- endfor %}
        end)
),

-- TfGM's casualty table gives the year only and no place: each casualty counts in January of its year, for
-- Greater Manchester as a whole (kpi_definitions gives casualty KPIs the gm level only).
casualty_events as (
    select
        definitions.kpi_id,
        cast({{ dbt.concat(["cast(casualties.casualty_year as " ~ dbt.type_string() ~ ")", "'-01-01'"]) }} as date) as month_start,
        cast(null as {{ dbt.type_string() }}) as ward_code,
        cast(null as {{ dbt.type_string() }}) as district_code,
        1 as amount
    from casualties
    inner join definitions
        on definitions.partner = 'transport'
        and definitions.feed = 'stats19_casualties'
        and (definitions.flag is null or case definitions.flag
            when 'is_ksi' then casualties.is_ksi
            when 'is_fatal' then casualties.is_fatal
            when 'is_child' then casualties.is_child
        end)
),

-- An incident whose feed did not record the KPI's measure adds nothing known: it is left out, not counted as 0.
final as (
    select * from incident_events
    where amount is not null
    union all
    select * from casualty_events
)

select * from final
