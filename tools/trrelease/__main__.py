"""``python -m trrelease``: the command line behind ``nox -s release|publish|api|wheelhouse``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from packaging.version import Version

from trrelease.api import check_api
from trrelease.artifacts import build_all_releases, build_release, flat_wheelhouse
from trrelease.errors import ReleaseRefusedError
from trrelease.publish import publish
from trrelease.release import execute_release, plan_release
from trrelease.versions import PARTS
from trrelease.workspace import Workspace


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="trrelease", description=__doc__)
    parser.add_argument("--root", type=Path, default=Path.cwd(), help="repository root")
    parser.add_argument(
        "--out", type=Path, default=None, help="artifacts folder (default: <root>/dist/releases)"
    )
    commands = parser.add_subparsers(dest="command", required=True)

    release = commands.add_parser("release", help="release one package: bump, build, test, tag")
    release.add_argument("package")
    release.add_argument("--bump", choices=PARTS, default=None)
    release.add_argument("--dry-run", action="store_true", help="check and show the plan only")

    upload = commands.add_parser("publish", help="upload a released version with twine")
    upload.add_argument("package")
    upload.add_argument("--index", required=True, help="upload URL of the package index")
    upload.add_argument("--version", type=Version, default=None, help="default: the tree's")

    api = commands.add_parser("api", help="the API guard against the last release tag")
    api.add_argument("packages", nargs="*", help="default: every package")

    house = commands.add_parser("wheelhouse", help="every release, built from its tag")
    house.add_argument("--dest", type=Path, default=None, help="default: <root>/dist/wheelhouse")
    house.add_argument(
        "--tag", default=None, help="only this release (<package>-v<version>), into <out>/<tag>/"
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    workspace = Workspace(args.root)
    out = args.out or workspace.root / "dist" / "releases"
    try:
        if args.command == "release":
            plan = plan_release(workspace, args.package, args.bump)
            print(f"release {plan.package.name} {plan.new} ({plan.changelog}):")
            for step in plan.steps():
                print(f"  - {step}")
            if args.dry_run:
                print("dry run: nothing was changed")
                return 0
            files = execute_release(workspace, plan, out)
            print(f"released {plan.tag}: {', '.join(f.name for f in files)}")
            print(f"publish with: python3 -m nox -s publish -- {plan.package.name} --index URL")
        elif args.command == "publish":
            files = publish(workspace, args.package, args.index, out, args.version)
            print(f"uploaded to {args.index}: {', '.join(f.name for f in files)}")
        elif args.command == "api":
            names = args.packages or list(workspace.packages)
            reports = [check_api(workspace, name) for name in names]
            for report in reports:
                print(report.summary())
            if not all(r.allowed for r in reports):
                return 1
        elif args.tag:
            files = build_release(workspace, *workspace.parse_tag(args.tag), out)
            print(f"{args.tag}: {', '.join(f.name for f in files)} in {out / args.tag}")
        else:
            files = build_all_releases(workspace, out)
            dest = flat_wheelhouse(files, args.dest or workspace.root / "dist" / "wheelhouse")
            print(f"{len(files)} files of {len(files) // 2} releases in {dest}")
    except ReleaseRefusedError as refusal:
        print(f"refused: {refusal}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
