#!/usr/bin/env bash
# One line from a fresh Debian 12 machine (root, Node 20) to a running vtty:
#
#   bash uml/quickstart.sh demo    # boot UML, create a port, use it, show it
#   bash uml/quickstart.sh test    # the whole test suite (pnpm test:uml)
#
# Installs what is missing (Debian packages, pnpm through corepack, the
# workspace's npm packages), then runs `pnpm demo` or `pnpm test:uml`. The
# first run also builds the UML kernels and prepares Debian's kernels for
# QEMU (cached in ~/.cache/vtty-uml afterwards; see docs/kernels.md).
set -euo pipefail
# shellcheck source=uml/lib.sh
. "$(dirname "$0")/lib.sh"
cd "$REPO_DIR"

what=${1:-}
case $what in demo | test) ;; *) die "usage: bash uml/quickstart.sh demo|test" ;; esac
# VTTY_TEST_SLOW=1: the whole line on a host made slow on purpose.
[ "$what" != test ] || start_host_load

# Kernel sources from bullseye (5.10) and sid (7.2) as well: apt sees
# those suites for them alone (uml/apt-suites.sh).
bash "$UML_DIR/apt-suites.sh"
ensure_packages linux-source-5.10 linux-source-6.1 linux-source-6.12 linux-source-7.2 \
	flex bison bc libelf-dev xz-utils make gcc g++ python3 kmod pahole iproute2 \
	python3-serial socat ser2net picocom setserial tmux sparse udev \
	qemu-system-x86 busybox-static dkms

# pnpm comes through corepack, at the version package.json pins. The
# registry this project is built against serves package metadata without
# npm's signatures (only integrity hashes, which are still checked), so
# corepack's signature check has to be told to stand down.
export COREPACK_ENABLE_DOWNLOAD_PROMPT=0 COREPACK_INTEGRITY_KEYS=0
corepack enable
pnpm install --frozen-lockfile

if [ "$what" = demo ]; then
	exec pnpm demo
fi
exec pnpm test:uml
