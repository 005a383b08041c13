{#- The early-warning arithmetic of the tactical assessment (docs/analyst-guide.md), for every ward, partner feed and
    category group in the latest month each feed has delivered. Settings come from the tactical_config seed. Only
    ward-months the deliveries cover (fct_ward_month.is_covered) are assessed or used as a baseline: a ward in a
    district left out of, or only partly in, the month's delivery is skipped, not flagged as a fall. -#}
with ward_month as (
    select * from {{ ref('fct_ward_month') }}
    where is_covered
),

config as (
    select * from {{ ref('tactical_config') }}
),

-- The month under assessment: the latest month each feed has delivered (feeds arrive on different cadences).
latest_months as (
    select partner, feed, max(month_start) as month_start
    from ward_month
    group by partner, feed
),

current_counts as (
    select ward_month.*
    from ward_month
    inner join latest_months
        on latest_months.partner = ward_month.partner
        and latest_months.feed = ward_month.feed
        and latest_months.month_start = ward_month.month_start
),

-- Expected level: the mean of the same ward, feed and group over the baseline_months months before the month
-- under assessment. A month the deliveries did not cover in the ward's district is left out of the mean (not counted
-- as 0): with a gap or a short history the mean is over the months there are, and the baseline_months column says
-- how many.
baseline as (
    select
        current_counts.ward_code,
        current_counts.partner,
        current_counts.feed,
        current_counts.category_group,
        count(history.month_start) as baseline_months,
        avg(history.incident_count) as expected_count
    from current_counts
    cross join config
    left join ward_month as history
        on history.ward_code = current_counts.ward_code
        and history.partner = current_counts.partner
        and history.feed = current_counts.feed
        and history.category_group = current_counts.category_group
        and history.month_start < current_counts.month_start
        and history.month_start >= cast({{ dbt.dateadd('month', '-config.baseline_months', 'current_counts.month_start') }} as date)
    group by current_counts.ward_code, current_counts.partner, current_counts.feed, current_counts.category_group
),

compared as (
    select
        current_counts.ward_code,
        current_counts.partner,
        current_counts.feed,
        current_counts.category_group,
        current_counts.month_start,
        current_counts.district_code,
        current_counts.incident_count as current_count,
        baseline.baseline_months,
        baseline.expected_count,
        previous_month.incident_count as previous_month_count,
        same_month_last_year.incident_count as same_month_last_year_count,
        -- Poisson z: a count's square root has a variance of about 1/4 whatever its size, so twice the difference
        -- of the roots is roughly standard normal when nothing has changed (16 against 9: 2 x (4 - 3) = 2.0).
        -- Scored only on a long enough baseline (tactical_config.min_baseline_months); null otherwise.
        case
            when baseline.baseline_months >= config.min_baseline_months
                then 2 * (sqrt(current_counts.incident_count) - sqrt(baseline.expected_count))
        end as z_score,
        config.min_count_to_flag,
        config.warning_z,
        config.alarm_z
    from current_counts
    cross join config
    inner join baseline
        on baseline.ward_code = current_counts.ward_code
        and baseline.partner = current_counts.partner
        and baseline.feed = current_counts.feed
        and baseline.category_group = current_counts.category_group
    left join ward_month as previous_month
        on previous_month.ward_code = current_counts.ward_code
        and previous_month.partner = current_counts.partner
        and previous_month.feed = current_counts.feed
        and previous_month.category_group = current_counts.category_group
        and previous_month.month_start = cast({{ dbt.dateadd('month', -1, 'current_counts.month_start') }} as date)
    left join ward_month as same_month_last_year
        on same_month_last_year.ward_code = current_counts.ward_code
        and same_month_last_year.partner = current_counts.partner
        and same_month_last_year.feed = current_counts.feed
        and same_month_last_year.category_group = current_counts.category_group
        and same_month_last_year.month_start = cast({{ dbt.dateadd('month', -12, 'current_counts.month_start') }} as date)
),

-- c-chart (standard SPC for counts): centre line at the expected level, warning limits warning_z standard
-- deviations either side and control limits alarm_z either side, a Poisson count's standard deviation being the
-- square root of its mean. A count cannot fall below 0, so neither can a lower limit.
charted as (
    select
        compared.*,
        compared.expected_count + compared.warning_z * sqrt(compared.expected_count) as upper_warning_limit,
        compared.expected_count + compared.alarm_z * sqrt(compared.expected_count) as upper_control_limit,
        greatest(compared.expected_count - compared.warning_z * sqrt(compared.expected_count), 0) as lower_warning_limit,
        greatest(compared.expected_count - compared.alarm_z * sqrt(compared.expected_count), 0) as lower_control_limit
    from compared
),

final as (
    select
        -- keys
        ward_code,
        partner,
        feed,
        category_group,
        -- dimensions
        month_start,
        district_code,
        case
            when z_score > 0 then 'rise'
            when z_score < 0 then 'fall'
            when z_score = 0 then 'steady'
        end as direction,
        -- too few incidents either way to judge (tactical_config.min_count_to_flag): the square-root
        -- approximation fails there (0 against an expected 1 scores z = -2.0 though it happens 37% of the time)
        case
            when z_score is null then null
            when greatest(current_count, expected_count) < min_count_to_flag then 'too_few'
            when abs(z_score) >= alarm_z then 'alarm'
            when abs(z_score) >= warning_z then 'warning'
            else 'none'
        end as exception_level,
        case
            when z_score is null then null
            when current_count > upper_control_limit then 'above_control_limit'
            when current_count > upper_warning_limit then 'above_warning_limit'
            when current_count < lower_control_limit then 'below_control_limit'
            when current_count < lower_warning_limit then 'below_warning_limit'
            else 'within_warning_limits'
        end as c_chart_zone,
        -- measures: counts
        cast(current_count as bigint) as current_count,
        cast(previous_month_count as bigint) as previous_month_count,
        cast(same_month_last_year_count as bigint) as same_month_last_year_count,
        cast(baseline_months as bigint) as baseline_months,
        -- measures: against the expected level
        cast(expected_count as double) as expected_count,
        cast(current_count - expected_count as double) as difference_from_expected,
        cast(z_score as double) as z_score,
        cast(case when z_score is not null then lower_control_limit end as double) as lower_control_limit,
        cast(case when z_score is not null then lower_warning_limit end as double) as lower_warning_limit,
        cast(case when z_score is not null then upper_warning_limit end as double) as upper_warning_limit,
        cast(case when z_score is not null then upper_control_limit end as double) as upper_control_limit
    from charted
)

select * from final
