{#- DuckDB's spatial extension for point-in-polygon placement, loaded from the file its PyPI package ships (the hub
    passes its path: warehouse/spatial.py), since INSTALL would need the network. Loaded once per dbt run: an
    extension loaded into the database serves every thread's connection. -#}
{% macro load_spatial() %}
    load '{{ env_var("HUB_SPATIAL_EXTENSION") | replace("'", "''") }}'
{% endmacro %}
