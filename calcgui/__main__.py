"""``python -m calcgui``."""

import sys

from calcgui.app import main

if __name__ == "__main__":
    sys.exit(main())
