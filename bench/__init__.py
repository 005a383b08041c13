"""The benchmark harness (`make bench`): the hub's pipeline against plain DuckDB, hand-written SQL and pandas on
generated partner feeds of a chosen size, written up in bench/RESULTS.md. Not part of `make test`."""
