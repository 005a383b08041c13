{#- A view: the incidents are already a table (int_incidents_unioned); a second copy would double the file and the
    build for nothing. Published to Parquet like the marts' tables. -#}
{{ config(materialized='view') }}

select * from {{ ref('int_incidents_unioned') }}
