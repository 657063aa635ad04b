"""Entry point of the standalone build (PyInstaller runs this file)."""

import sys

from annotator.cli import main

if __name__ == "__main__":
    sys.exit(main())
