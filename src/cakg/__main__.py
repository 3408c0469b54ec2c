"""`python -m cakg` is the same as the `cakg` command."""

from cakg.cli import main

main()
