"""Entry script for the standalone bundle (PyInstaller needs a script, not a module)."""

import multiprocessing
import sys

if __name__ == "__main__":
    # The bundle starts its helper processes (the symbolic worker, its spare, multiprocessing's
    # resource tracker) as itself: they go to their work here, before the app's imports (numpy and
    # calcgui.state: 0.13 s), which only the window's process needs.
    multiprocessing.freeze_support()
    from calcgui.app import main

    sys.exit(main())
