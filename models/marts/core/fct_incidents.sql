select * from {{ ref('int_incidents_unioned') }}
