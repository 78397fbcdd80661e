"""The three migrated insider-trading experiments, run as a user runs them.

Each script runs as a real subprocess at ``--quick`` (3 seeds of 30 000 trades, the
sizes of packages/tr-sample-weighting/tests/test_planted_lessons.py) and is judged from
its record in the store: the planted effect shows with the mechanism on and (mostly)
vanishes when it is off, the Results text holds the measured numbers, a user's frame
(``--data``/``--contract``) runs, and no run changes what git sees.

Thresholds were set from --quick runs over seeds 0..5 (experiments/insider_trading/
MIGRATED.md has the numbers); on seeds 0..2, the ones --quick runs, each holds with a
margin of at least about 2x.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tr_core.synthetic import make_insider_trades
from tr_evaluation.experiments import ExperimentStore, LoadedRun

HERE = Path(__file__).resolve().parents[1]
ROOT = next(p for p in HERE.parents if (p / "noxfile.py").is_file())


#: What a run writes (results text, report, store records, tables, figures). Other
#: people may edit source files in the same checkout while a test runs; a run never does.
RUN_OUTPUTS = (".md", ".html", ".json", ".parquet", ".png", ".csv", ".lock")


def new_run_outputs(before: set[str], after: set[str]) -> list[str]:
    """Entries that appeared during the run and look like something a run writes."""
    return sorted(e for e in after - before if "output/" in e or e.rstrip().endswith(RUN_OUTPUTS))


def run_script(
    git_status: Callable[[], str], name: str, out: Path | None, *extra: str
) -> LoadedRun:
    """Run ``name`` as a subprocess and return its newest recorded run.

    ``git_status`` is the fixture of conftest.py. ``out=None`` keeps the script's
    default output folder (``experiments/insider_trading/output``, ignored by git).
    """
    store_path = (HERE / "output" if out is None else out) / "store"
    earlier = set(ExperimentStore(store_path).runs()["run_id"]) if store_path.is_dir() else set()
    before = set(git_status().splitlines())
    where = [] if out is None else ["--out", str(out)]
    proc = subprocess.run(
        [sys.executable, str(HERE / name), *extra, *where],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    assert new_run_outputs(before, set(git_status().splitlines())) == [], (
        "the run changed what git sees"
    )
    store = ExperimentStore(store_path)
    new = [r for r in store.runs()["run_id"] if r not in earlier]
    assert len(new) == 1
    run = store.load(new[0])
    out = store_path.parent
    assert run.status == "completed"
    stem = Path(name).stem
    assert (out / f"{stem}-results.md").is_file()
    assert (out / f"{stem}-report.html").is_file()
    # the sections were read from the docstring into the record
    assert run.experiment.hypothesis
    assert run.experiment.baseline
    assert run.experiment.references
    return run


def assert_reported_as_planted(run: LoadedRun, on_top: float, off_top: float) -> None:
    """The selection bias is recorded, and the Results / Key insights text is generated
    from these very numbers (the planted-on and -off gaps) and reads the mechanism."""
    m = run.metrics
    assert "planted_on.selection.pbo" in m or "planted_on.selection.deflated_sharpe" in m
    text = (run.results or "") + "\n".join(run.insights)
    assert f"{on_top:+.2%}" in text
    assert f"{off_top:+.2%}" in text
    assert "agrees with the planted mechanism" in text


@pytest.mark.slow
def test_nan_handling_shows_the_fill_collision_only_when_planted(
    tmp_path: Path, git_status: Callable[[], str]
) -> None:
    run = run_script(git_status, "nan_handling.py", tmp_path, "--quick")
    m = run.metrics
    on_top = m["planted_on.native_nan_minus_fillna0.top_bucket"]
    off_top = m["planted_off.native_nan_minus_fillna0.top_bucket"]
    # planted: the zero fill drops the unknown-history rows (-5 %) into the genuine
    # zeros (the best value); native NaN keeps them apart, in every seed
    assert on_top > 0.01, m
    assert m["planted_on.native_nan_minus_fillna0.top_bucket_min_seed"] > 0.004, m
    assert m["planted_on.native_nan_minus_fillna0.ic_min_seed"] > 0.05, m
    # plain market: the fill lands on values no real row has; trees isolate it
    assert abs(off_top) < 0.5 * on_top, m
    assert abs(m["planted_off.native_nan_minus_fillna0.ic"]) < 0.02, m
    # the baseline and the selection-bias statistic are recorded beside them
    assert "planted_on.native_nan.all_trades" in m
    assert_reported_as_planted(run, on_top, off_top)


@pytest.mark.slow
def test_weighted_classification_shows_the_magnitude_signal_only_when_planted(
    tmp_path: Path, git_status: Callable[[], str]
) -> None:
    run = run_script(git_status, "weighted_classification.py", tmp_path, "--quick")
    m = run.metrics
    on_top = m["planted_on.alpha_power_minus_unweighted.top_bucket"]
    off_top = m["planted_off.alpha_power_minus_unweighted.top_bucket"]
    # planted: unweighted, the top decile fills with the steady small wins; weighted,
    # with the catalyst's rare large ones
    assert on_top > 0.005, m
    assert m["planted_on.alpha_power_minus_unweighted.top_bucket_min_seed"] > 0.0, m
    assert m["planted_on.alpha_power_minus_unweighted.ic"] > 0.02, m
    # plain market: P(alpha > 0 | x) ranks rows as E[alpha | x] does
    assert abs(off_top) < on_top / 3, m
    assert abs(m["planted_off.alpha_power_minus_unweighted.ic"]) < 0.01, m
    assert "planted_on.unweighted.all_trades" in m
    assert_reported_as_planted(run, on_top, off_top)


@pytest.mark.slow
def test_cross_sectional_features_records_every_variant_on_common_rows(
    git_status: Callable[[], str],
) -> None:
    # the default output folder: the ignored experiments/insider_trading/output
    run = run_script(git_status, "cross_sectional_features.py", None, "--quick")
    m = run.metrics
    for variant in ("baseline", "market_regime", "top_20_by_mi"):
        assert f"common_rows.{variant}.top_bucket" in m
        # the same rows for every variant: one all-trades baseline
        assert m[f"common_rows.{variant}.all_trades"] == m["common_rows.baseline.all_trades"]
    gap = m["common_rows.market_regime_minus_baseline.top_bucket"]
    assert f"{gap:+.2%}" in "\n".join(run.insights)
    # MI on the training part: the ranking table holds every feature once per seed
    ranking = run.tables["mi_ranking"]
    assert ranking.groupby("seed")["feature"].nunique().eq(25).all()


@pytest.mark.slow
@pytest.mark.parametrize(
    "script", ["nan_handling.py", "weighted_classification.py", "cross_sectional_features.py"]
)
def test_a_users_frame_runs_once_without_planted_settings(
    tmp_path: Path,
    script: str,
    git_status: Callable[[], str],
    user_files: Callable[..., tuple[Path, Path]],
) -> None:
    market = make_insider_trades(8_000, random_state=7)
    data, contract = user_files(tmp_path, market.frame, market.contract)
    run = run_script(
        git_status,
        script,
        tmp_path / "out",
        "--data",
        str(data),
        "--contract",
        str(contract),
    )
    assert "user-data" in run.experiment.tags
    assert not any(k.startswith("planted_") for k in run.metrics)
    assert str(data) in (run.results or "")


@pytest.mark.parametrize("script", ["nan_handling.py", "research_run.py"])
def test_a_refused_user_file_stops_the_run_with_the_reason_and_no_traceback(
    tmp_path: Path, script: str, user_files: Callable[..., tuple[Path, Path]]
) -> None:
    market = make_insider_trades(2_000, random_state=7)
    # one cell of a feature exported with a decimal comma: the column is text
    frame = market.frame.astype({"ins_log_value": str})
    frame.loc[frame.index[5], "ins_log_value"] = "12,5"
    data, contract = user_files(tmp_path, frame, market.contract)
    options = ["--quick", "--data", str(data), "--contract", str(contract)]
    proc = subprocess.run(
        [sys.executable, str(HERE / script), *options, "--out", str(tmp_path / "out")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    present = int((frame["ins_log_value"] != "nan").sum())  # NaN became "nan": missing
    assert re.fullmatch(
        rf"--data {re.escape(str(data))}: feature column 'ins_log_value' must be numeric, got "
        rf"dtype \w+ \(1 of {present:,} values do not read as numbers, e\.g\. \['12,5'\]\); "
        r"convert it with pd\.to_numeric.*",
        proc.stderr.strip().splitlines()[-1],
    ), proc.stderr[-2000:]
    assert not (tmp_path / "out" / "store").exists()  # stopped before any work
