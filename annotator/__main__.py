"""``python -m annotator`` runs the command line (same as the ``annotator`` script)."""

import sys

from annotator.cli import main

sys.exit(main())
