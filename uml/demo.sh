#!/usr/bin/env bash
# pnpm demo: boots UML (6.1, debug flavor), loads vtty.ko, and runs a short
# session: a Node master creates /dev/ttyV<n>, pyserial opens it, sets the
# line, writes, toggles RTS and sends a break, and reads the master's answer.
# Every packet the master reads is printed.
set -euo pipefail
# shellcheck source=uml/lib.sh
. "$(dirname "$0")/lib.sh"
cd "$REPO_DIR"
ensure_packages python3-serial
pnpm run build
exec "$UML_DIR/run.sh" --timeout 300 -- node packages/vtty-tests/dist/src/demo.js
