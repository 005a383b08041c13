{#- Every incident feed in the canonical shape (declared in _canonical_incident.yml), one after another: each feed's
    staging model selects the columns it knows and incident_select fills the rest. A new feed is one more staging
    model in this list. The probation caseload is a snapshot of people, not events: it is not here. -#}
{%- set incident_models = [
    'stg_police__street_crimes', 'stg_police__stop_searches', 'stg_police__recorded_crimes',
    'stg_fire__incidents', 'stg_ambulance__callouts',
    'stg_transport__btp_crimes', 'stg_transport__road_collisions', 'stg_transport__tfgm_incidents',
] -%}

with stacked as (
    {%- for model in incident_models %}
    {{ incident_select(ref(model)) }}
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
)

select * from stacked
