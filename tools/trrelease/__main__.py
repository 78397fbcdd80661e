"""``python -m trrelease``: the command line behind ``nox -s release|publish|api|ledger``."""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

from packaging.version import InvalidVersion, Version

from trrelease.api import check_api
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
    api.add_argument(
        "--previous", action="store_true", help="against the release before the tree's version"
    )

    ledger = commands.add_parser("ledger", help="verify the release ledger (releases/)")
    ledger.add_argument("--release", nargs=2, metavar=("PACKAGE", "VERSION"), default=None)
    ledger.add_argument("--dest", type=Path, default=None, help="copy --release's files here")
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
            files = publish(workspace, args.package, args.index, args.version)
            print(f"uploaded to {args.index}: {', '.join(f.name for f in files)}")
        elif args.command == "api":
            names = args.packages or list(workspace.packages)
            reports = [check_api(workspace, name, previous=args.previous) for name in names]
            for report in reports:
                print(report.summary())
            if not all(r.allowed for r in reports):
                return 1
        elif args.release is None:
            releases = workspace.ledger.verify()
            for one in releases:
                print(f"{one.name} {one.version}: {one.wheel.name}, {one.sdist.name}")
            print(f"{len(releases)} releases, every file as {workspace.ledger.sums} lists it")
        else:
            name, text = args.release
            try:
                version = Version(text)
            except InvalidVersion:
                raise ReleaseRefusedError(f"--release {name} {text!r}: not a version") from None
            files = workspace.ledger.release(workspace.package(name).name, version).files
            if args.dest is not None:
                args.dest.mkdir(parents=True, exist_ok=True)
                for file in files:
                    shutil.copyfile(file, args.dest / file.name)
            print(f"{name} {version}: {', '.join(f.name for f in files)} (checksums match)")
    except ReleaseRefusedError as refusal:
        print(f"refused: {refusal}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
