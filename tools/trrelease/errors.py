"""The one exception of the release tooling."""


class ReleaseRefusedError(Exception):
    """A release step was refused: the message says why and what to do instead.

    Raised before anything is changed (checks), or after the changes made so far were
    undone (a failed build, check or test), so a refusal never leaves a half release.
    """
