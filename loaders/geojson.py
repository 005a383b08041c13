"""GeoJSON deliveries (boundary polygons): a FeatureCollection whose features are the records, their properties the
fields and their geometry the field 'geometry'. The fields a file has are its first feature's property names, in
order, then 'geometry', so the contract engine recognises and checks a GeoJSON file as it does a CSV header."""

from __future__ import annotations

import json
from pathlib import Path

from loaders.contracts import GEOMETRY_FIELD, Column
from loaders.database import sql_literal
from loaders.errors import LoaderError


def is_geojson(path: Path) -> bool:
    """A file whose first non-blank byte opens a JSON object; a CSV header never does."""
    with path.open("rb") as f:
        start = f.read(64).lstrip(b"\xef\xbb\xbf \t\r\n")
    return start.startswith(b"{")


def features(path: Path) -> list[dict]:
    """The file's features, read independently of DuckDB's reader (so its count of rows can be checked)."""
    try:
        document = json.loads(path.read_bytes())
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise LoaderError(path, f"is not valid JSON ({error.__class__.__name__}: {error}): check it is the GeoJSON "
                                "file as published") from None
    if not isinstance(document, dict) or document.get("type") != "FeatureCollection" \
            or not isinstance(document.get("features"), list):
        raise LoaderError(path, "is JSON but not a GeoJSON FeatureCollection (an object with \"type\": "
                                "\"FeatureCollection\" and a list of \"features\")")
    if not document["features"]:
        raise LoaderError(path, "is a FeatureCollection with no features: an empty delivery is refused")
    return document["features"]


def geojson_fields(path: Path) -> list[str]:
    first = features(path)[0]
    properties = first.get("properties") if isinstance(first, dict) else None
    return [*(properties or {}), GEOMETRY_FIELD]


def staged_features_sql(columns: tuple[Column, ...]) -> str:
    """Every feature of the files in $files as one staged row of text fields, in file order, with its file's name
    (filename). A JSON null (no geometry, a property left empty) stages as a blank."""
    fields = ", ".join(
        f"nullif(json_extract{'' if c.source == GEOMETRY_FIELD else '_string'}(feature, "
        f"{sql_literal(_json_path(c.source))})::varchar, 'null') as {c.name}"
        for c in columns)
    return f"""
        select filename, {fields}
        from (
            select filename, unnest(features) as feature
            from read_json($files, columns = {{features: 'JSON[]'}}, format = 'unstructured',
                           maximum_object_size = 1073741824, filename = true)
        )
    """


def _json_path(source: str) -> str:
    if source == GEOMETRY_FIELD:
        return "$.geometry"
    return '$.properties."' + source.replace('"', '\\"') + '"'
