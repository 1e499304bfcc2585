"""Entry script for the standalone bundle (PyInstaller needs a script, not a module)."""

import sys

from calcgui.app import main

if __name__ == "__main__":
    sys.exit(main())
