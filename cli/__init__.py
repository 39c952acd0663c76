"""The command line: ``therapist-search`` (or ``python -m cli``), one command with subcommands.

Each area registers its subcommands in a module of its own (:mod:`cli.loading`,
:mod:`cli.serving`, :mod:`cli.relevance`, :mod:`cli.judging`, :mod:`cli.explain`) and attaches
a handler with ``set_defaults(handler=...)``; :func:`cli.main.main` parses and calls it. The
modules are thin: the work is done by :mod:`indexer`, :mod:`search_api` and
:mod:`search_core.relevance`, and the handlers only turn their errors into messages and exit
codes.
"""
