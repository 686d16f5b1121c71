"""``python -m service`` runs the ``throughline`` command."""

from service.cli import main

main()
