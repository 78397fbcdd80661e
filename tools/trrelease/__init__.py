"""Release tooling of the monorepo: one package at a time, from a clean tree to a tag.

Not a distribution of its own: ``noxfile.py`` runs it as ``python -m trrelease`` (with
``tools/`` on ``PYTHONPATH``) in a session that holds the tools it drives — hatch (the
version bump), uv (builds, clean environments), twine (metadata checks, uploads),
griffe (the API guard) and pypiserver (a package index on loopback).

The steps of a release are plain functions over a :class:`~trrelease.workspace.Workspace`
so that the tests drive the same code as ``nox -s release``.
"""

from trrelease.errors import ReleaseRefusedError

__all__ = ["ReleaseRefusedError"]
