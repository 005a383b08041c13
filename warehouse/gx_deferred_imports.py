"""Put off two of Great Expectations' imports until something uses them.

GX imports scipy.stats and altair with its expectations, for the KL-divergence expectation and the two KS-test
metrics, which the hub's suites do not use: about 1.3 s of the 3.2-3.8 s GX takes to import, paid by every
`hub check`. Imported before GX (warehouse.validation does), this module puts a stand-in for each in sys.modules;
the first attribute read from a stand-in imports the module itself, so an expectation that does use one still
works, only without the saving.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
import types

DEFERRED = ("scipy.stats", "altair")


class DeferredModule(types.ModuleType):
    """Stands in for the module `name` until an attribute is read from it, then passes every read to the module.
    It carries the module's spec, which is all Python's import reads from a module it finds in sys.modules."""

    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.__spec__ = importlib.util.find_spec(name)
        self._module: types.ModuleType | None = None

    def __getattr__(self, attribute: str):
        if self._module is None:
            del sys.modules[self.__name__]
            self._module = importlib.import_module(self.__name__)
        return getattr(self._module, attribute)


def defer_unused_imports() -> None:
    """Stand-ins for those of DEFERRED not imported yet (in a process that imported GX already, none)."""
    for name in DEFERRED:
        if name not in sys.modules:
            sys.modules[name] = DeferredModule(name)


defer_unused_imports()
