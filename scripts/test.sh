#!/usr/bin/env bash
# Runs the whole test suite headless: Qt widgets on the offscreen platform; when Xvfb is
# installed, under a virtual X server so that OpenGL views get a real (Mesa) context.
# Extra arguments go to pytest, e.g. scripts/test.sh tests/core -q
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${DISPLAY:-}" ] && command -v xvfb-run >/dev/null 2>&1; then
  exec xvfb-run -a -s "-screen 0 1920x1080x24" .venv/bin/python -m pytest "$@"
fi
export QT_QPA_PLATFORM="${QT_QPA_PLATFORM:-offscreen}"
exec .venv/bin/python -m pytest "$@"
