{#- The annual strategic assessment's volumes (docs/analyst-guide.md): for each district, the last three financial
    years the data has in full, per partner feed and category group: count, rate per 1,000 residents, change on the
    year before, the district's share of and rank within Greater Manchester, its three busiest wards and its VLI
    priority wards. -#}
with district_month as (
    select * from {{ ref('fct_district_month') }}
),

ward_month as (
    select * from {{ ref('fct_ward_month') }}
),

-- A financial year counts for a feed when the feed has all twelve of its months and its deliveries cover every
-- district in each (a partial month would make its districts' totals, shares and ranks wrong); the assessment
-- takes the latest three such years of each feed.
feed_years as (
    select partner, feed, financial_year, count(distinct month_start) as months,
           min(case when is_covered then 1 else 0 end) = 1 as is_covered
    from district_month
    group by partner, feed, financial_year
),

assessed_years as (
    select partner, feed, financial_year,
           row_number() over (partition by partner, feed order by financial_year desc) as years_back
    from feed_years
    where months = 12 and is_covered
),

district_years as (
    select
        district_month.district_code,
        district_month.financial_year,
        district_month.partner,
        district_month.feed,
        district_month.category_group,
        sum(district_month.incident_count) as incident_count
    from district_month
    inner join assessed_years
        on assessed_years.partner = district_month.partner
        and assessed_years.feed = district_month.feed
        and assessed_years.financial_year = district_month.financial_year
        and assessed_years.years_back <= 3
    group by district_month.district_code, district_month.financial_year, district_month.partner,
             district_month.feed, district_month.category_group
),

population as (
    select district_code, year, sum(population) as population, max(case when population_is_estimate then 1 else 0 end) = 1 as population_is_estimate
    from {{ ref('int_population_ward_year') }}
    group by district_code, year
),

ward_ranked as (
    select
        ward_month.district_code,
        ward_month.financial_year,
        ward_month.partner,
        ward_month.feed,
        ward_month.category_group,
        dim_ward.ward_name,
        sum(ward_month.incident_count) as incident_count,
        row_number() over (
            partition by ward_month.district_code, ward_month.financial_year, ward_month.partner, ward_month.feed,
                         ward_month.category_group
            order by sum(ward_month.incident_count) desc, dim_ward.ward_name
        ) as ward_rank
    from ward_month
    inner join {{ ref('dim_ward') }} as dim_ward on dim_ward.ward_code = ward_month.ward_code
    group by ward_month.district_code, ward_month.financial_year, ward_month.partner, ward_month.feed,
             ward_month.category_group, dim_ward.ward_name
),

top_wards as (
    select
        district_code, financial_year, partner, feed, category_group,
        {{ dbt.listagg(dbt.concat(['ward_name', "' ('", "cast(incident_count as " ~ dbt.type_string() ~ ")", "')'"]),
                       "', '", 'order by ward_rank') }} as top_wards
    from ward_ranked
    where ward_rank <= 3 and incident_count > 0
    group by district_code, financial_year, partner, feed, category_group
),

vli_priority as (
    select
        district_code,
        {{ dbt.listagg(dbt.concat(['ward_name', "' (VLI '", "cast(cast(round(vli, 0) as " ~ dbt.type_int() ~ ") as " ~ dbt.type_string() ~ ")", "')'"]),
                       "', '", 'order by vli desc') }} as vli_priority_wards
    from {{ ref('vli_ward') }}
    where is_priority
    group by district_code
),

measured as (
    select
        district_years.*,
        sum(district_years.incident_count) over (
            partition by district_years.financial_year, district_years.partner, district_years.feed, district_years.category_group
        ) as gm_count,
        rank() over (
            partition by district_years.financial_year, district_years.partner, district_years.feed, district_years.category_group
            order by district_years.incident_count desc
        ) as gm_rank,
        lag(district_years.incident_count) over (
            partition by district_years.district_code, district_years.partner, district_years.feed, district_years.category_group
            order by district_years.financial_year
        ) as previous_year_incident_count,
        population.population,
        population.population_is_estimate
    from district_years
    left join population
        on population.district_code = district_years.district_code
        and population.year = cast({{ dbt.split_part('district_years.financial_year', "'/'", 1) }} as {{ dbt.type_int() }})
),

final as (
    select
        -- keys
        measured.district_code,
        measured.financial_year,
        measured.partner,
        measured.feed,
        measured.category_group,
        -- dimensions
        dim_district.district_name,
        -- measures
        cast(measured.incident_count as bigint) as incident_count,
        cast(1000.0 * measured.incident_count / measured.population as double) as rate_per_1000_population,
        measured.population_is_estimate,
        cast(measured.previous_year_incident_count as bigint) as previous_year_incident_count,
        cast(measured.incident_count - measured.previous_year_incident_count as bigint) as change_abs,
        cast({{ change_pct('measured.incident_count', 'measured.previous_year_incident_count') }} as double) as change_pct,
        cast(100.0 * measured.incident_count / nullif(measured.gm_count, 0) as double) as share_of_gm_pct,
        cast(measured.gm_rank as bigint) as rank_in_gm,
        top_wards.top_wards,
        vli_priority.vli_priority_wards
    from measured
    inner join {{ ref('dim_district') }} as dim_district on dim_district.district_code = measured.district_code
    left join top_wards
        on top_wards.district_code = measured.district_code
        and top_wards.financial_year = measured.financial_year
        and top_wards.partner = measured.partner
        and top_wards.feed = measured.feed
        and top_wards.category_group = measured.category_group
    left join vli_priority on vli_priority.district_code = measured.district_code
)

select * from final
