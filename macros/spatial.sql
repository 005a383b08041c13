{#- DuckDB's spatial extension for point-in-polygon placement, loaded from the file its PyPI package ships (the hub
    passes its path as the spatial_extension var: loaders/spatial.py, warehouse/transform.py), since INSTALL would
    need the network. Loaded once per dbt run: an extension loaded into the database serves every thread's
    connection. Other engines place points without it (lsoa_hits). -#}
{% macro load_spatial() %}
    {{ return(adapter.dispatch('load_spatial')()) }}
{% endmacro %}

{% macro default__load_spatial() %}
{% endmacro %}

{% macro duckdb__load_spatial() %}
    load '{{ var("spatial_extension") | replace("'", "''") }}'
{% endmacro %}

{#- (longitude, latitude, lsoa_code) for each point of the relation `points` (columns longitude, latitude) and each
    LSOA polygon of `boundaries` (lsoa_code, boundary_geojson) that contains it or has it on its edge: the rule of
    int_points_placed and loaders/placement.py. -#}
{% macro lsoa_hits(points, boundaries) %}
    {{ return(adapter.dispatch('lsoa_hits')(points, boundaries)) }}
{% endmacro %}

{#- A generalised ring can touch itself; made valid, it still covers the same ground, so no point falls through. -#}
{% macro duckdb__lsoa_hits(points, boundaries) %}
    select points.longitude, points.latitude, polygons.lsoa_code
    from {{ points }} as points
    inner join (
        select lsoa_code, st_makevalid(st_geomfromgeojson(boundary_geojson)) as shape from {{ boundaries }}
    ) as polygons
        on st_intersects(polygons.shape, st_point(points.longitude, points.latitude))
{% endmacro %}

{#- Without a spatial library, in SQL: each ring of each polygon (a Polygon's, or every part's of a MultiPolygon) as
    its edges; a point is in a polygon when a ray from it crosses the polygon's edges an odd number of times (so a
    hole, or a ring that touches itself, counts right), or on it when it lies on one of its edges. Only the polygons
    whose bounding box holds the point are tried. -#}
{% macro default__lsoa_hits(points, boundaries) %}
    with shapes as (
        select lsoa_code,
            case when get_json_object(boundary_geojson, '$.type') = 'Polygon'
                then from_json(get_json_object(boundary_geojson, '$.coordinates'), 'array<array<array<double>>>')
                else flatten(from_json(get_json_object(boundary_geojson, '$.coordinates'),
                    'array<array<array<array<double>>>>'))
            end as rings
        from {{ boundaries }}
    ),

    edges as (
        select lsoa_code, edge.x1, edge.y1, edge.x2, edge.y2
        from (
            select lsoa_code, explode(transform(sequence(1, size(ring) - 1), i -> named_struct(
                'x1', ring[i - 1][0], 'y1', ring[i - 1][1], 'x2', ring[i][0], 'y2', ring[i][1]))) as edge
            from (select lsoa_code, explode(rings) as ring from shapes) as each_ring
        ) as each_edge
    ),

    boxes as (
        select lsoa_code, min(least(x1, x2)) as min_x, max(greatest(x1, x2)) as max_x,
            min(least(y1, y2)) as min_y, max(greatest(y1, y2)) as max_y
        from edges
        group by lsoa_code
    ),

    tried as (
        select points.longitude, points.latitude, edges.lsoa_code,
            sum(case when (edges.y1 > points.latitude) != (edges.y2 > points.latitude)
                and points.longitude < (edges.x2 - edges.x1) * (points.latitude - edges.y1) / (edges.y2 - edges.y1)
                    + edges.x1
                then 1 else 0 end) as crossings,
            max(case when (edges.x2 - edges.x1) * (points.latitude - edges.y1)
                    = (edges.y2 - edges.y1) * (points.longitude - edges.x1)
                and points.longitude between least(edges.x1, edges.x2) and greatest(edges.x1, edges.x2)
                and points.latitude between least(edges.y1, edges.y2) and greatest(edges.y1, edges.y2)
                then 1 else 0 end) as on_an_edge
        from {{ points }} as points
        inner join boxes
            on points.longitude between boxes.min_x and boxes.max_x
            and points.latitude between boxes.min_y and boxes.max_y
        inner join edges on edges.lsoa_code = boxes.lsoa_code
        group by points.longitude, points.latitude, edges.lsoa_code
    )

    select longitude, latitude, lsoa_code from tried where crossings % 2 = 1 or on_an_edge = 1
{% endmacro %}
