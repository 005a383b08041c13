"""The project's YAML says each thing once. A YAML mapping may repeat a key and a loader keeps the last without a word,
so a model given a second `data_tests:` block loses the first block's tests (it happened: two models' not-null tests
vanished that way, seen only as a dbt deprecation warning)."""

from __future__ import annotations

from pathlib import Path

import yaml

from warehouse.paths import PROJECT_DIR

# The files declaring models and seeds, and with them the project's settings.
NODE_YAML = sorted([*(PROJECT_DIR / "models").rglob("*.yml"), *(PROJECT_DIR / "seeds").rglob("*.yml")])
PROJECT_YAML = [*NODE_YAML, PROJECT_DIR / "dbt_project.yml"]


class _RepeatedKeys(yaml.SafeLoader):
    """A YAML loader that notes every mapping holding a key twice, with its line."""

    repeated: list[str]


def _mapping(loader: _RepeatedKeys, node: yaml.MappingNode, deep: bool = False):
    keys = [loader.construct_object(key, deep=True) for key, _ in node.value]
    for key in sorted({key for key in keys if keys.count(key) > 1}, key=str):
        loader.repeated.append(f"line {node.start_mark.line + 1}: {key}")
    return yaml.SafeLoader.construct_mapping(loader, node, deep)


_RepeatedKeys.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)


def repeated_keys(path: Path) -> list[str]:
    loader = _RepeatedKeys(path.read_text(encoding="utf-8"))
    loader.repeated = []
    try:
        loader.get_single_data()
    finally:
        loader.dispose()
    return loader.repeated


def test_the_check_finds_a_repeated_key(tmp_path):
    model = tmp_path / "models.yml"
    model.write_text("models:\n  - name: m\n    data_tests: [a]\n    columns: []\n    data_tests: [b]\n",
                     encoding="utf-8")
    assert repeated_keys(model) == ["line 2: data_tests"]


def test_no_project_yaml_repeats_a_key():
    assert len(PROJECT_YAML) > 20
    assert [f"{path.relative_to(PROJECT_DIR)} {where}" for path in PROJECT_YAML for where in repeated_keys(path)] == []
