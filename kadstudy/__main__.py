"""``python -m kadstudy`` runs the command line."""

from kadstudy.cli import main

main()
