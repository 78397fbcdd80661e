"""``[tool.tr-lint]`` in pyproject.toml, and the command-line options on top."""

from __future__ import annotations

import pytest

from tr_lint import RULES, Config, ConfigError, load_config
from tr_lint.config import codes, find_pyproject


def _pyproject(tmp_path, body: str):
    path = tmp_path / "pyproject.toml"
    path.write_text(body)
    return path


def test_defaults_run_every_rule(tmp_path):
    assert load_config(None).codes == frozenset(RULES)
    assert load_config(_pyproject(tmp_path, "[project]\nname = 'x'\n")).codes == frozenset(RULES)


def test_select_ignore_exclude_from_the_file(tmp_path):
    config = load_config(
        _pyproject(
            tmp_path,
            '[tool.tr-lint]\nselect = ["TR00"]\nignore = ["TR005", "tr007"]\n'
            'exclude = ["legacy/*"]\n',
        )
    )
    assert config.codes == frozenset(RULES) - {"TR005", "TR007"}
    assert config.exclude == ("legacy/*",)


def test_command_line_replaces_select_and_adds_to_ignore(tmp_path):
    config = load_config(_pyproject(tmp_path, '[tool.tr-lint]\nignore = ["TR005"]\n'))
    both = config.with_options(select=["TR001,TR005"], ignore=["TR002"], exclude=["x/*"])
    assert both.codes == frozenset({"TR001"})
    assert both.exclude == ("x/*",)
    assert Config().with_options().codes == frozenset(RULES)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ('[tool.tr-lint]\nselct = ["TR001"]\n', r"unknown setting\(s\) \['selct'\]"),
        ('[tool.tr-lint]\nselect = "TR001"\n', "select must be a list of strings"),
        ('[tool.tr-lint]\nignore = ["E501"]\n', "'E501' is not a rule code or prefix"),
        ("[tool.tr-lint\n", "cannot read it"),
    ],
)
def test_bad_settings_are_refused_with_the_fix(tmp_path, body, message):
    with pytest.raises(ConfigError, match=message):
        load_config(_pyproject(tmp_path, body))


def test_an_unknown_code_on_the_command_line_names_the_rules():
    with pytest.raises(ConfigError, match=r"--select: 'TR999' is not a rule code.*TR001"):
        codes(["TR999"], "--select")


def test_the_nearest_pyproject_is_found_upwards(tmp_path):
    path = _pyproject(tmp_path, "")
    deep = tmp_path / "a" / "b"
    deep.mkdir(parents=True)
    (deep / "x.py").write_text("")
    assert find_pyproject(deep) == path
    assert find_pyproject(deep / "x.py") == path
