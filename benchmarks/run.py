"""Run the benchmarks: ``python benchmarks/run.py [--quick] [name ...]``.

Every ``bench_<name>.py`` module next to this file defines ``run(bench)``; this
script runs them in one process and prints one line per comparison. It exits
non-zero when a comparison misses the target its issue sets.
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from harness import Bench  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("names", nargs="*", help="benchmark module names (default: all)")
    parser.add_argument("--quick", action="store_true", help="small sizes, for a smoke run")
    args = parser.parse_args(argv)
    modules = sorted(HERE.glob("bench_*.py"))
    if args.names:
        modules = [m for m in modules if m.stem.removeprefix("bench_") in args.names]
    bench = Bench(quick=args.quick)
    for path in modules:
        print(f"\n== {path.stem} ==", flush=True)
        spec = importlib.util.spec_from_file_location(path.stem, path)
        if spec is None or spec.loader is None:
            raise ImportError(f"cannot load benchmark module {path}")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        module.run(bench)
    failed = [r for r in bench.rows if r.verdict.startswith("FAIL")]
    print(f"\n{len(bench.rows)} measurements, {len(failed)} missed their target.")
    return 1 if failed and not args.quick else 0


if __name__ == "__main__":
    raise SystemExit(main())
