"""``python -m propscope``: the same as the ``propscope`` command."""

from propscope.cli import main

main()
