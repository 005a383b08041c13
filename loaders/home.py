"""Where the hub's runtime folder is when no caller says: HUB_HOME, else var/ in the repository.

Kept on the bottom floor so that the loaders (which look there for fetched reference data) and the warehouse's
HubPaths agree on one rule without the loaders importing upwards."""

from __future__ import annotations

import os
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parent.parent


def hub_home() -> Path:
    home = os.environ.get("HUB_HOME")
    return Path(home).resolve() if home else REPOSITORY / "var"
