"""`python -m rba`: the same command as `rba`."""

from rba.cli import main

main(prog_name="rba")
