"""``python -m cli ...``: the same as the ``therapist-search`` console script."""

from cli.main import main

raise SystemExit(main())
