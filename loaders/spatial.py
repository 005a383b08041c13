"""DuckDB's spatial extension, loaded offline from its PyPI package (duckdb-extension-spatial, pinned in
pyproject.toml to the same version as duckdb): `INSTALL spatial` would need the network, so it is never run."""

from __future__ import annotations

from pathlib import Path

import duckdb
import duckdb_extension_spatial

from loaders.database import sql_literal


def spatial_extension_path() -> Path:
    """The extension file the package ships for the installed duckdb version."""
    path = (Path(duckdb_extension_spatial.__file__).parent / "extensions" / f"v{duckdb.__version__}"
            / "spatial.duckdb_extension")
    if not path.is_file():
        raise RuntimeError(f"the spatial extension for duckdb {duckdb.__version__} is not at {path}: install the "
                           "environment from the lock (`make install`), which pins the two to the same version")
    return path


def load_spatial(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(f"load {sql_literal(str(spatial_extension_path()))}")
