"""``python -m tr_lint``: the same as the ``tr-lint`` command."""

from tr_lint.cli import main

raise SystemExit(main())
