"""The README's migration example ("After"), taken verbatim from README.md and run."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

README = Path(__file__).resolve().parents[1] / "README.md"
HEADING = "## Migrating from the plan's `ml_toolkit`"
PLAN_MODULES = (
    "feature_selection",
    "sample_weighting",
    "model_evaluation",
    "hyperparameter_tuning",
    "ensemble",
)


def after_block() -> str:
    """The first ```python block of the migration section, exactly as written."""
    text = README.read_text(encoding="utf-8")
    assert text.count(HEADING) == 1, f"README.md has one {HEADING!r} section"
    section = text.split(HEADING, 1)[1].split("\n## ", 1)[0]
    match = re.search(r"^```python\n(.*?)^```$", section, re.S | re.M)
    assert match is not None, "the migration section has a ```python block"
    return match.group(1)


def test_the_after_block_uses_the_plans_names() -> None:
    code = after_block()
    assert code.startswith("from ml_toolkit.feature_selection import FeatureGroupAnalyzer")
    for name in PLAN_MODULES:
        assert f"from ml_toolkit.{name} import " in code, name
    assert "tr_" not in re.sub(r"#.*", "", code), "the example uses the ml_toolkit names only"


def test_the_after_block_runs(tmp_path: Path) -> None:
    env = {**os.environ, "MPLBACKEND": "Agg"}
    proc = subprocess.run(
        [sys.executable, "-c", after_block()],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr[-4000:]
    out = proc.stdout
    # 1. one row per feature group of the synthetic market
    for group in ("insider", "technical", "market", "noise"):
        assert re.search(rf"^{group}\s+\d+\s+\d+\s", out, re.M), f"no row for {group}"
    # 2. the tuning result, with its selection statistics
    assert re.search(r"^TuningResult\(.*n_trials=4, dsr=.*pbo=", out, re.M)
    # 3. the meta-learner trusts both base models with a finite weight
    assert re.search(r"^insider\s+-?\d+\.\d+$", out, re.M)
    assert re.search(r"^technical\s+-?\d+\.\d+$", out, re.M)
    # 4. ten buckets, and a top decile that beats all trades out of sample
    numbers = re.search(r"top decile (-?[\d.]+), all trades (-?[\d.]+), IC (-?[\d.]+)", out)
    assert numbers is not None, out
    top, everything, ic = map(float, numbers.groups())
    assert top > everything
    assert ic > 0
    assert re.search(r"^9\s+\d+\s", out, re.M)
    # the README's own code triggers no warning (a deprecated name, a wrong unit, ...)
    assert not re.search(r"^<string>:\d+: \w*Warning", proc.stderr, re.M), proc.stderr
