"""`python -m toolkit.cli`: the `liaison` command (the tests start it so)."""

from toolkit.cli import main

main()
