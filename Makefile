# Two commands do everything on a fresh machine: `make demo` and `make test`.
# The environment is created from the lock (uv.lock) the first time either runs.

VENV := .venv
# Spark's own environment (see spark-install below)
SPARK_VENV := .venv-spark
UV_VERSION := 0.13.9
export DO_NOT_TRACK := 1
export DBT_SEND_ANONYMOUS_USAGE_STATS := false
export GX_ANALYTICS_ENABLED := false

.PHONY: demo test test-spark spark-install bench bench-spark bench-national install clean

ASSETS := assets/node_modules/.installed

demo: $(VENV)/.installed $(ASSETS)
	$(VENV)/bin/hub demo

# The suite in TEST_WORKERS processes (pytest-xdist), each test module kept on one worker so its hub is built once,
# handed out in the order collected (tests/conftest.py: the longest first), not xdist's default of most tests first.
# Four on two cores: a worker often waits (on a hub another worker is building, a dbt or GX child's start, a
# subprocess), and the extra workers keep both cores busy. Measured from fresh clones, the same day: 1536.8 s of
# pytest with two, 1229.3 s with three; later (2026-12-05, an Intel Xeon, the dev clone, one run each) 687.0 s with
# three, 603.9 s with four.
TEST_WORKERS ?= 4

test: $(VENV)/.installed $(SPARK_VENV)/.installed $(ASSETS)
	$(VENV)/bin/pytest -n $(TEST_WORKERS) --dist loadfile --no-loadscope-reorder

# The core lineage built on a local Spark session and compared with DuckDB's build, row for row (part of `make test`).
test-spark: $(VENV)/.installed $(SPARK_VENV)/.installed $(ASSETS)
	$(VENV)/bin/pytest tests/integration/test_spark.py

# The benchmark (not part of `make test`): every size in BENCH_INCIDENTS, each step BENCH_REPEAT times, written to
# bench/RESULTS.md. Generated data is kept in var/bench/data and reused. e.g. make bench BENCH_INCIDENTS=1000000
BENCH_INCIDENTS ?= 1000000 10000000
BENCH_REPEAT ?= 3

bench: $(VENV)/.installed $(ASSETS)
	$(VENV)/bin/python -m bench.run --incidents $(BENCH_INCIDENTS) --repeat $(BENCH_REPEAT)

# The core lineage's dbt build on DuckDB and on a local Spark session, side by side, from the same generated data
# at two sizes, so the fixed cost and the cost per row separate (bench/RESULTS-spark.md; docs/scaling.md).
BENCH_SPARK_INCIDENTS ?= 1000000 4000000

bench-spark: $(VENV)/.installed $(SPARK_VENV)/.installed $(ASSETS)
	$(VENV)/bin/python -m bench.spark --incidents $(BENCH_SPARK_INCIDENTS) --repeat $(BENCH_REPEAT)

# National scale (not part of `make test`): police.uk street files for every force of England and Wales at each size
# in BENCH_NATIONAL_ROWS (street-crime rows), each end to end in a hub whose area is England and Wales: ingest, build,
# check, publish, timed with their peak memory, written to bench/RESULTS-national.md. The data and the hubs (tens of
# GB) go to var/bench/national.
BENCH_NATIONAL_ROWS ?= 10000000 35000000 70000000

bench-national: $(VENV)/.installed $(ASSETS)
	$(VENV)/bin/python -m bench.national --rows $(BENCH_NATIONAL_ROWS)

install: $(VENV)/.installed $(ASSETS)

# Styles and scripts shipped beside the HTML reports (offline Data Docs), locked in assets/package-lock.json.
$(ASSETS): assets/package.json assets/package-lock.json
	cd assets && npm ci --ignore-scripts
	touch $@

# Bytecode is compiled at install: where PYTHONDONTWRITEBYTECODE is set (as on the machines here) Python would
# otherwise compile dbt, GX and pandas from source in every process that imports them (GX's import 6.3 s -> 2.9 s).
$(VENV)/.installed: pyproject.toml uv.lock
	command -v uv >/dev/null 2>&1 || python3 -m pip install --quiet "uv==$(UV_VERSION)"
	uv sync --locked --compile-bytecode
	touch $@

# Spark's environment (README: On Spark): the hub's packages and the spark group (pyspark, dbt-spark), apart from the
# hub's own, where Great Expectations would pick up pyspark and fail. Spark needs Java 17 (Debian: openjdk-17-jre-headless).

spark-install: $(SPARK_VENV)/.installed

$(SPARK_VENV)/.installed: $(VENV)/.installed
	@command -v java >/dev/null 2>&1 || { echo "Spark needs Java 17: apt-get install openjdk-17-jre-headless" >&2; exit 1; }
	UV_PROJECT_ENVIRONMENT=$(SPARK_VENV) uv sync --locked --compile-bytecode --no-default-groups --group spark
	touch $@

clean:
	rm -rf var $(VENV) $(SPARK_VENV) assets/node_modules
