"""`python -m pipeline` is the same as the `reduksi` command."""

from pipeline.cli import main

main()
