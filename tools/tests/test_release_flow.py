"""The release flow end to end on a mini monorepo, with the real tools (offline).

hatch bumps, uv builds, twine checks and uploads, pytest runs against the built wheel,
the ledger takes the files, git commits and tags: nothing is mocked. Every refusal leaves
no tag and no change.
"""

from __future__ import annotations

import urllib.request
from pathlib import Path

from release_helpers import git, run, trrelease

from trrelease.index import LocalIndex, free_port


def _tags(repo: Path, env: dict[str, str]) -> list[str]:
    return git(repo, env, "tag", "--list").split()


def _version(repo: Path, name: str) -> str:
    module = name.replace("-", "_")
    return (repo / "packages" / name / "src" / module / "__about__.py").read_text().strip()


def _ledger(repo: Path) -> list[str]:
    folder = repo / "releases"
    return sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []


def _changelog(repo: Path, env: dict[str, str], name: str, heading: str) -> None:
    path = repo / "packages" / name / "CHANGELOG.md"
    head, rest = path.read_text().split("\n", 1)
    path.write_text(f"{head}\n\n{heading}\n\n- A fix.\n{rest}")
    git(repo, env, "commit", "--quiet", "-am", f"{name}: changelog for {heading}")


def test_dry_run_shows_the_plan_and_changes_nothing(mini_repo, offline_env):
    head = git(mini_repo, offline_env, "rev-parse", "HEAD")
    done = trrelease(mini_repo, offline_env, "release", "tr-mini", "--dry-run")
    assert done.returncode == 0, done.stderr
    assert "release tr-mini 0.1.0 (## 0.1.0 — 2026-12-03)" in done.stdout
    assert "twine check --strict" in done.stdout
    assert "git tag -a tr-mini-v0.1.0" in done.stdout
    assert "dry run: nothing was changed" in done.stdout
    assert _tags(mini_repo, offline_env) == []
    assert git(mini_repo, offline_env, "rev-parse", "HEAD") == head
    assert not (mini_repo / "dist").exists()
    assert _ledger(mini_repo) == []


def test_first_release_builds_checks_tests_ledgers_and_tags(mini_repo, offline_env):
    head = git(mini_repo, offline_env, "rev-parse", "HEAD")
    done = trrelease(mini_repo, offline_env, "release", "tr-mini")
    assert done.returncode == 0, done.stdout + done.stderr
    assert _tags(mini_repo, offline_env) == ["tr-mini-v0.1.0"]
    # One commit on top of the checked one, adding the ledger's files; the tag marks it.
    assert git(mini_repo, offline_env, "rev-parse", "HEAD~1") == head
    assert git(mini_repo, offline_env, "rev-list", "-n1", "tr-mini-v0.1.0") == git(
        mini_repo, offline_env, "rev-parse", "HEAD"
    )
    added = git(mini_repo, offline_env, "show", "--name-only", "--format=", "HEAD").split()
    assert added == [
        "releases/SHA256SUMS",
        "releases/tr_mini-0.1.0-py3-none-any.whl",
        "releases/tr_mini-0.1.0.tar.gz",
    ]
    # The checksums are sha256sum's own format.
    run(["sha256sum", "--check", "--quiet", "SHA256SUMS"], mini_repo / "releases", offline_env)
    assert not (mini_repo / "dist/releases/tr-mini-v0.1.0").exists()
    assert git(mini_repo, offline_env, "status", "--porcelain") == ""


def test_bump_needs_a_changelog_entry_and_then_commits_and_tags(mini_repo, offline_env):
    assert trrelease(mini_repo, offline_env, "release", "tr-mini").returncode == 0
    refused = trrelease(mini_repo, offline_env, "release", "tr-mini", "--bump", "patch")
    assert refused.returncode == 2
    assert "CHANGELOG.md has no entry for 0.1.1" in refused.stderr
    assert _version(mini_repo, "tr-mini") == '__version__ = "0.1.0"'
    assert _tags(mini_repo, offline_env) == ["tr-mini-v0.1.0"]

    # A heading that still says "unreleased" is not an entry.
    _changelog(mini_repo, offline_env, "tr-mini", "## 0.1.1 — unreleased")
    refused = trrelease(mini_repo, offline_env, "release", "tr-mini", "--bump", "patch")
    assert refused.returncode == 2
    assert "no entry for 0.1.1" in refused.stderr

    _changelog(mini_repo, offline_env, "tr-mini", "## 0.1.1 — 2026-12-04")
    done = trrelease(mini_repo, offline_env, "release", "tr-mini", "--bump", "patch")
    assert done.returncode == 0, done.stdout + done.stderr
    assert _version(mini_repo, "tr-mini") == '__version__ = "0.1.1"'
    readme = (mini_repo / "packages/tr-mini/README.md").read_text()
    assert "| 0.1.1 | [CHANGELOG.md](CHANGELOG.md) |" in readme
    assert "pip install tr-mini==0.1.1" in readme
    assert "0.1.0" not in readme
    assert _tags(mini_repo, offline_env) == ["tr-mini-v0.1.0", "tr-mini-v0.1.1"]
    assert _ledger(mini_repo) == [
        "SHA256SUMS",
        "tr_mini-0.1.0-py3-none-any.whl",
        "tr_mini-0.1.0.tar.gz",
        "tr_mini-0.1.1-py3-none-any.whl",
        "tr_mini-0.1.1.tar.gz",
    ]
    assert git(mini_repo, offline_env, "log", "-1", "--format=%s") == "release: tr-mini 0.1.1"
    assert git(mini_repo, offline_env, "rev-list", "-n1", "tr-mini-v0.1.1") == git(
        mini_repo, offline_env, "rev-parse", "HEAD"
    )
    assert git(mini_repo, offline_env, "status", "--porcelain") == ""


def test_unchanged_version_and_existing_tag_are_refused(mini_repo, offline_env):
    assert trrelease(mini_repo, offline_env, "release", "tr-mini").returncode == 0
    again = trrelease(mini_repo, offline_env, "release", "tr-mini")
    assert again.returncode == 2
    assert "unchanged version: tr-mini 0.1.0 is already released" in again.stderr
    assert "--bump" in again.stderr

    # A tag made by hand for the next version: the bump would re-make it.
    git(mini_repo, offline_env, "tag", "tr-mini-v0.2.0")
    refused = trrelease(mini_repo, offline_env, "release", "tr-mini", "--bump", "minor")
    assert refused.returncode == 2
    assert "tag tr-mini-v0.2.0 exists already" in refused.stderr
    assert _version(mini_repo, "tr-mini") == '__version__ = "0.1.0"'


def test_dirty_tree_is_refused(mini_repo, offline_env):
    readme = mini_repo / "packages/tr-mini/README.md"
    readme.write_text(readme.read_text() + "\nAn edit not committed.\n")
    refused = trrelease(mini_repo, offline_env, "release", "tr-mini")
    assert refused.returncode == 2
    assert "the working tree is dirty (packages/tr-mini/README.md)" in refused.stderr
    assert _tags(mini_repo, offline_env) == []


def test_sibling_must_be_released_and_inside_the_range(mini_repo, offline_env):
    first = trrelease(mini_repo, offline_env, "release", "tr-mini-b")
    assert first.returncode == 2
    assert "no released tr-mini satisfies it" in first.stderr
    assert "release tr-mini first" in first.stderr

    pyproject = mini_repo / "packages/tr-mini-b/pyproject.toml"
    pyproject.write_text(pyproject.read_text().replace("tr-mini>=0.1.0,<0.2", "tr-mini>=0.2,<0.3"))
    git(mini_repo, offline_env, "commit", "--quiet", "-am", "tr-mini-b: a range ahead of tr-mini")
    refused = trrelease(mini_repo, offline_env, "release", "tr-mini-b")
    assert refused.returncode == 2
    assert "requires tr-mini<0.3,>=0.2 but the tree's tr-mini is 0.1.0" in refused.stderr
    assert "excludes the sibling's current version" in refused.stderr
    assert _tags(mini_repo, offline_env) == []


def test_dependent_package_is_tested_against_its_released_sibling(mini_repo, offline_env):
    assert trrelease(mini_repo, offline_env, "release", "tr-mini").returncode == 0
    done = trrelease(mini_repo, offline_env, "release", "tr-mini-b")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "released tr-mini==0.1.0" in done.stdout
    assert _tags(mini_repo, offline_env) == ["tr-mini-b-v0.1.0", "tr-mini-v0.1.0"]


def test_failing_tests_undo_the_bump_and_tag_nothing(mini_repo, offline_env):
    assert trrelease(mini_repo, offline_env, "release", "tr-mini").returncode == 0
    test = mini_repo / "packages/tr-mini/tests/test_tr_mini.py"
    test.write_text(test.read_text().replace("== 42", "== 43"))
    git(mini_repo, offline_env, "commit", "--quiet", "-am", "tr-mini: a test that fails")
    _changelog(mini_repo, offline_env, "tr-mini", "## 0.1.1 — 2026-12-04")
    head = git(mini_repo, offline_env, "rev-parse", "HEAD")
    refused = trrelease(mini_repo, offline_env, "release", "tr-mini", "--bump", "patch")
    assert refused.returncode == 2
    assert "its tests failed against the built wheel" in refused.stderr
    assert "nothing was tagged" in refused.stderr
    assert _tags(mini_repo, offline_env) == ["tr-mini-v0.1.0"]
    assert _version(mini_repo, "tr-mini") == '__version__ = "0.1.0"'
    assert "pip install tr-mini==0.1.0" in (mini_repo / "packages/tr-mini/README.md").read_text()
    assert git(mini_repo, offline_env, "rev-parse", "HEAD") == head
    assert git(mini_repo, offline_env, "status", "--porcelain") == ""
    assert not (mini_repo / "dist/releases/tr-mini-v0.1.1").exists()
    assert "tr_mini-0.1.1.tar.gz" not in _ledger(mini_repo)


def test_unknown_package_is_refused_with_the_choices(mini_repo, offline_env):
    refused = trrelease(mini_repo, offline_env, "release", "tr-nope", "--dry-run")
    assert refused.returncode == 2
    assert "unknown package 'tr-nope': choose one of tr-mini, tr-mini-b" in refused.stderr


def test_publish_uploads_a_release_to_the_index(mini_repo, offline_env, index: LocalIndex):
    unreleased = trrelease(mini_repo, offline_env, "publish", "tr-mini", "--index", index.url)
    assert unreleased.returncode == 2
    assert "tr-mini 0.1.0 is not released (not in releases/)" in unreleased.stderr

    assert trrelease(mini_repo, offline_env, "release", "tr-mini").returncode == 0
    env = {**offline_env, "TWINE_USERNAME": "ci", "TWINE_PASSWORD": "ci"}
    done = trrelease(mini_repo, env, "publish", "tr-mini", "--index", index.url)
    assert done.returncode == 0, done.stdout + done.stderr
    page = urllib.request.urlopen(f"{index.simple}tr-mini/").read().decode()
    assert "tr_mini-0.1.0-py3-none-any.whl" in page
    assert "tr_mini-0.1.0.tar.gz" in page

    # The index keeps what it has: the same version is never replaced.
    again = trrelease(mini_repo, env, "publish", "tr-mini", "--index", index.url)
    assert again.returncode == 2
    assert "twine upload" in again.stderr


def test_publish_refuses_an_unreachable_index(mini_repo, offline_env):
    assert trrelease(mini_repo, offline_env, "release", "tr-mini").returncode == 0
    url = f"http://127.0.0.1:{free_port()}/"
    refused = trrelease(mini_repo, offline_env, "publish", "tr-mini", "--index", url)
    assert refused.returncode == 2
    assert f"cannot reach the index at {url}" in refused.stderr
    assert "nothing was uploaded" in refused.stderr
    bad = trrelease(mini_repo, offline_env, "publish", "tr-mini", "--index", "pypi.internal")
    assert bad.returncode == 2
    assert "--index must be an http(s) URL" in bad.stderr


def test_a_clone_without_tags_or_history_has_every_release(mini_repo, offline_env, tmp_path):
    """The ledger is in the tree: a shallow clone with no tags tests against releases."""
    assert trrelease(mini_repo, offline_env, "release", "tr-mini").returncode == 0
    clone = tmp_path / "shallow"
    url = f"file://{mini_repo}"
    git(tmp_path, offline_env, "clone", "--quiet", "--depth=1", "--no-tags", url, str(clone))
    assert _tags(clone, offline_env) == []
    listed = trrelease(clone, offline_env, "ledger")
    assert listed.returncode == 0, listed.stdout + listed.stderr
    assert "tr-mini 0.1.0: tr_mini-0.1.0-py3-none-any.whl, tr_mini-0.1.0.tar.gz" in listed.stdout
    again = trrelease(clone, offline_env, "release", "tr-mini")
    assert again.returncode == 2
    assert "unchanged version: tr-mini 0.1.0 is already released" in again.stderr
    done = trrelease(clone, offline_env, "release", "tr-mini-b")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "released tr-mini==0.1.0" in done.stdout


def test_a_changed_or_unlisted_ledger_file_is_refused(mini_repo, offline_env, index: LocalIndex):
    assert trrelease(mini_repo, offline_env, "release", "tr-mini").returncode == 0
    wheel = mini_repo / "releases" / "tr_mini-0.1.0-py3-none-any.whl"
    original = wheel.read_bytes()
    wheel.write_bytes(original + b"\0")
    refused = trrelease(mini_repo, offline_env, "ledger")
    assert refused.returncode == 2
    assert "tr_mini-0.1.0-py3-none-any.whl does not match its SHA-256" in refused.stderr
    env = {**offline_env, "TWINE_USERNAME": "ci", "TWINE_PASSWORD": "ci"}
    publish = trrelease(mini_repo, env, "publish", "tr-mini", "--index", index.url)
    assert publish.returncode == 2
    assert "does not match its SHA-256" in publish.stderr
    assert not list(index.folder.iterdir())

    wheel.write_bytes(original)
    (mini_repo / "releases" / "tr_mini-0.2.0.tar.gz").write_bytes(b"not a release")
    unlisted = trrelease(mini_repo, offline_env, "ledger")
    assert unlisted.returncode == 2
    assert "holds files SHA256SUMS does not list: ['tr_mini-0.2.0.tar.gz']" in unlisted.stderr
