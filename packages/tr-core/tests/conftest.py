"""Shared test settings for tr-core: hypothesis without per-example deadlines (shared CI cores)."""

from hypothesis import settings

settings.register_profile("tr-core", deadline=None)
settings.load_profile("tr-core")
