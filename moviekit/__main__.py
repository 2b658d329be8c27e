"""``python -m moviekit`` runs the command line."""

from moviekit._cli import main

main()
