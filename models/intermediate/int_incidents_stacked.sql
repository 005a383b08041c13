{#- Every incident feed in the canonical shape (macros/incidents.sql), one after another. A new feed is one more
    staging model in this list. The probation caseload is a snapshot of people, not events: it is not here. -#}
{%- set incident_models = [
    'stg_police__street_crimes', 'stg_police__stop_searches', 'stg_police__recorded_crimes',
    'stg_fire__incidents', 'stg_ambulance__callouts',
    'stg_transport__btp_crimes', 'stg_transport__road_collisions', 'stg_transport__tfgm_incidents',
] -%}

with stacked as (
    {%- for model in incident_models %}
    select {{ incident_columns() | join(', ') }} from {{ ref(model) }}
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
)

select * from stacked
