with expected as (
    select * from {{ ref('int_ward_month_expected') }}
),

config as (
    select exception_list_size from {{ ref('tactical_config') }}
),

wards as (
    select ward_code, ward_name, district_name from {{ ref('dim_ward') }}
),

exceptions as (
    select * from expected where exception_level in ('warning', 'alarm')
),

-- The exception list: within each district and partner feed, rises ranked by z (largest first) and falls by -z
-- (most negative first); equal z-scores go to the larger difference from expected, then by ward and group code so
-- the order is reproducible.
ranked as (
    select
        exceptions.*,
        row_number() over (
            partition by exceptions.district_code, exceptions.partner, exceptions.feed, exceptions.direction
            order by
                case when exceptions.direction = 'rise' then exceptions.z_score else -exceptions.z_score end desc,
                abs(exceptions.difference_from_expected) desc,
                exceptions.ward_code,
                exceptions.category_group
        ) as exception_rank
    from exceptions
),

final as (
    select
        -- keys
        ranked.ward_code,
        ranked.partner,
        ranked.feed,
        ranked.category_group,
        -- dimensions
        ranked.month_start,
        ranked.district_code,
        wards.ward_name,
        wards.district_name,
        ranked.direction,
        ranked.exception_level,
        ranked.c_chart_zone,
        cast(ranked.exception_rank as bigint) as exception_rank,
        ranked.exception_rank <= config.exception_list_size as is_on_exception_list,
        -- measures
        ranked.current_count,
        ranked.previous_month_count,
        ranked.same_month_last_year_count,
        ranked.baseline_months,
        ranked.expected_count,
        ranked.difference_from_expected,
        ranked.z_score,
        ranked.lower_control_limit,
        ranked.lower_warning_limit,
        ranked.upper_warning_limit,
        ranked.upper_control_limit
    from ranked
    cross join config
    inner join wards on wards.ward_code = ranked.ward_code
)

select * from final
