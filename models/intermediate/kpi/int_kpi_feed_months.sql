{#- One row per KPI, month and district its feed's deliveries cover (int_feed_coverage): what a period can be counted
    over, area by area. A month not delivered, or a district a delivery left out or only partly delivered, is not
    here, so it is never read as a month without events. A yearly feed (the road casualty table) is covered for all
    twelve months of each year it has. A KPI summing a measure (NI 49's casualties) has only the months whose
    deliveries recorded it. -#}
with definitions as (
    select * from {{ ref('kpi_definitions') }}
),

coverage as (
    select partner, feed, month_start, district_code
    from {{ ref('int_feed_coverage') }}
    where is_covered
),

measure_months as (
    select
        partner,
        feed,
        month_start,
        {%- for measure in incident_measure_names() %}
        count({{ measure }}) > 0 as records_{{ measure }}{{ ',' if not loop.last }}
        {%- endfor %}
    from {{ ref('int_incidents_placed') }}
    group by partner, feed, month_start
),

final as (
    select definitions.kpi_id, coverage.month_start, coverage.district_code
    from definitions
    inner join coverage
        on coverage.partner = definitions.partner
        and coverage.feed = definitions.feed
    left join measure_months
        on measure_months.partner = coverage.partner
        and measure_months.feed = coverage.feed
        and measure_months.month_start = coverage.month_start
    where definitions.measure is null or case definitions.measure
        {%- for measure in incident_measure_names() %}
        when '{{ measure }}' then measure_months.records_{{ measure }}
        {%- endfor %}
    end
)

select * from final
