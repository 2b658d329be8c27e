"""``python -m moviekit`` runs the command line."""

from moviekit.cli import main

main()
