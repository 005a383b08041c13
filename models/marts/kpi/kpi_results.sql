{#- Judgements (README: The analysts' marts) rest on whole periods only. A period the data covers only part of is shown
    projected by simple annualisation (value x months in period / months with data), but no direction of travel,
    z-score, on-track test or RAG is drawn from a projected value or against one: those are null, and
    is_complete, comparison_is_projected and baseline_is_projected say why.
    - Direction of travel: 'stable' when the change is within the stable band (var kpi_stable_band_pct) AND not
      significant (|z| < var kpi_significance_z); otherwise improving or worsening by the change's sign, polarity-aware.
      So a significant change is never 'stable'.
    - RAG: G = on track (the outturn meets the target level, polarity-aware); A = not on track but the outturn moved
      towards the target against the same period a year earlier, by any amount; R = not on track and did not. -#}
{%- set stable_band = var('kpi_stable_band_pct') -%}
{%- set significance_z = var('kpi_significance_z') -%}

with kpi_values as (
    select * from {{ ref('int_kpi_values') }}
),

definitions as (
    select kpi_id, name as kpi_name, polarity from {{ ref('kpi_definitions') }}
),

targets as (
    select * from {{ ref('kpi_targets') }}
),

projected as (
    select
        kpi_values.*,
        kpi_values.months_with_data = kpi_values.months_in_period as is_complete,
        kpi_values.value * kpi_values.months_in_period / kpi_values.months_with_data as projected_value,
        kpi_values.rate * kpi_values.months_in_period / kpi_values.months_with_data as projected_rate
    from kpi_values
),

-- The same period a year earlier, projected the same way: the comparison for direction of travel and significance.
compared as (
    select
        projected.*,
        earlier.period_label as comparison_label,
        earlier.projected_value as comparison_value,
        earlier.measure_total as comparison_total,
        earlier.projected_rate as comparison_rate,
        not earlier.is_complete as comparison_is_projected,
        -- both periods whole: the only changes judged (false, not null, when there is no period a year earlier)
        coalesce(projected.is_complete and earlier.is_complete, false) as is_comparable
    from projected
    left join projected as earlier
        on earlier.kpi_id = projected.kpi_id
        and earlier.level = projected.level
        and earlier.area_code = projected.area_code
        and earlier.period_type = projected.period_type
        and earlier.period_start = projected.comparison_start
),

-- The most specific target row: a named area beats '*', a named period beats '*'.
target_candidates as (
    select
        compared.kpi_id,
        compared.level,
        compared.area_code,
        compared.period_type,
        compared.period_label,
        targets.baseline_period,
        targets.target_type,
        cast(targets.target_value as double) as target_value,
        targets.source as target_source,
        row_number() over (
            partition by compared.kpi_id, compared.level, compared.area_code, compared.period_type, compared.period_label
            order by case when targets.area_code = '*' then 1 else 0 end, case when targets.period_label = '*' then 1 else 0 end
        ) as specificity
    from compared
    inner join targets
        on targets.kpi_id = compared.kpi_id
        and targets.period_type = compared.period_type
        and targets.area_code in (compared.area_code, '*')
        and targets.period_label in (compared.period_label, '*')
),

targeted as (
    select
        compared.*,
        case when target_candidates.baseline_period = 'previous' then compared.comparison_label
             else target_candidates.baseline_period end as baseline_label,
        case when target_candidates.baseline_period = 'previous' then compared.comparison_value
             else baseline.projected_value end as baseline_value,
        case when target_candidates.baseline_period = 'previous' then compared.comparison_is_projected
             else not baseline.is_complete end as baseline_is_projected,
        target_candidates.target_type,
        target_candidates.target_value,
        target_candidates.target_source
    from compared
    left join target_candidates
        on target_candidates.kpi_id = compared.kpi_id
        and target_candidates.level = compared.level
        and target_candidates.area_code = compared.area_code
        and target_candidates.period_type = compared.period_type
        and target_candidates.period_label = compared.period_label
        and target_candidates.specificity = 1
    left join projected as baseline
        on baseline.kpi_id = compared.kpi_id
        and baseline.level = compared.level
        and baseline.area_code = compared.area_code
        and baseline.period_type = compared.period_type
        and baseline.period_label = target_candidates.baseline_period
),

measured as (
    select
        targeted.*,
        definitions.kpi_name,
        definitions.polarity,
        -- the target as a level of the KPI's own measure: a change on the baseline's value, or a rate
        case targeted.target_type
            when 'change_pct' then targeted.baseline_value * (1 + targeted.target_value / 100.0)
            when 'rate' then targeted.target_value
        end as target_level,
        case targeted.target_type
            when 'change_pct' then targeted.projected_value
            when 'rate' then targeted.projected_rate
        end as outturn_for_target,
        case targeted.target_type
            when 'change_pct' then targeted.comparison_value
            when 'rate' then targeted.comparison_rate
        end as comparison_outturn_for_target,
        targeted.projected_value - targeted.comparison_value as change_abs,
        {{ change_pct('targeted.projected_value', 'targeted.comparison_value') }} as change_pct,
        -- counts of two whole periods only: a part-period against a whole one is not a like-for-like test
        case when targeted.is_comparable
             then {{ poisson_z('targeted.measure_total', 'targeted.comparison_total') }} end as z_score
    from targeted
    inner join definitions on definitions.kpi_id = targeted.kpi_id
),

judged as (
    select
        measured.*,
        case
            when not measured.is_complete or measured.baseline_is_projected then null
            when measured.target_level is null or measured.outturn_for_target is null then null
            when measured.polarity = 'low_is_good' then measured.outturn_for_target <= measured.target_level
            else measured.outturn_for_target >= measured.target_level
        end as is_on_track,
        case
            when not measured.is_comparable then null
            when measured.outturn_for_target = measured.comparison_outturn_for_target then false
            when measured.polarity = 'low_is_good' then measured.outturn_for_target < measured.comparison_outturn_for_target
            else measured.outturn_for_target > measured.comparison_outturn_for_target
        end as is_moving_towards_target,
        case
            when not measured.is_comparable then null
            when measured.change_abs = 0 then 'stable'
            when abs(measured.z_score) < {{ significance_z }} and abs(measured.change_pct) < {{ stable_band }} then 'stable'
            when (measured.change_abs < 0) = (measured.polarity = 'low_is_good') then 'improving'
            else 'worsening'
        end as direction_of_travel
    from measured
),

final as (
    select
        -- keys
        kpi_id,
        level,
        area_code,
        period_type,
        period_label,
        -- dimensions
        kpi_name,
        area_name,
        polarity,
        period_start,
        period_end,
        months_in_period,
        months_with_data,
        is_complete,
        -- the measure
        measure_total,
        cast(value as double) as value,
        denominator_kind,
        cast(denominator as double) as denominator,
        denominator_is_estimate,
        rate_per,
        cast(rate as double) as rate,
        cast(projected_value as double) as projected_value,
        cast(projected_rate as double) as projected_rate,
        -- against the same period a year earlier
        comparison_label,
        cast(comparison_value as double) as comparison_value,
        comparison_is_projected,
        cast(change_abs as double) as change_abs,
        cast(change_pct as double) as change_pct,
        direction_of_travel,
        cast(z_score as double) as z_score,
        abs(z_score) >= {{ significance_z }} as is_significant,
        -- against the target
        baseline_label,
        cast(baseline_value as double) as baseline_value,
        baseline_is_projected,
        target_type,
        cast(target_value as double) as target_value,
        cast(target_level as double) as target_level,
        is_on_track,
        is_moving_towards_target,
        case
            when is_on_track then 'G'
            when not is_on_track and is_moving_towards_target then 'A'
            when not is_on_track and not is_moving_towards_target then 'R'
        end as rag,
        target_source
    from judged
)

select * from final
