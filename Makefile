# Two commands do everything on a fresh machine: `make demo` and `make test`.
# The environment is created from the lock (uv.lock) the first time either runs.

VENV := .venv
UV_VERSION := 0.13.9
export DO_NOT_TRACK := 1
export DBT_SEND_ANONYMOUS_USAGE_STATS := false
export GX_ANALYTICS_ENABLED := false

.PHONY: demo test install clean

demo: $(VENV)/.installed
	$(VENV)/bin/hub demo

test: $(VENV)/.installed
	$(VENV)/bin/pytest

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml uv.lock
	command -v uv >/dev/null 2>&1 || python3 -m pip install --quiet "uv==$(UV_VERSION)"
	uv sync --locked
	touch $@

clean:
	rm -rf var $(VENV)
