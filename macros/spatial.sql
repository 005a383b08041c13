{#- DuckDB's spatial extension for point-in-polygon placement, loaded from the file its PyPI package ships (the hub
    passes its path as the spatial_extension var: loaders/spatial.py, warehouse/transform.py), since INSTALL would need the network. Loaded once per dbt run: an
    extension loaded into the database serves every thread's connection. -#}
{% macro load_spatial() %}
    load '{{ var("spatial_extension") | replace("'", "''") }}'
{% endmacro %}
