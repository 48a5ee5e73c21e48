#!/usr/bin/env bash
# Lets apt see the Debian suites that carry the kernels vtty is built
# against beyond bookworm's own 6.1 and 6.12: bullseye (linux-source-5.10)
# and sid (linux-source-7.2, and the source of a sparse new enough for 7.2).
# Every binary package of those suites is pinned to -1, so nothing on this
# machine is ever installed or upgraded from them, except the kernel
# source packages named below, which are pinned low (100) so that asking
# for them by name works. Idempotent; updates apt's lists only when it
# changed something.
#
#   uml/apt-suites.sh        (as root; the other uml/ scripts run it)
set -euo pipefail
# shellcheck source=uml/lib.sh
. "$(dirname "$0")/lib.sh"

sources=/etc/apt/sources.list.d/vtty-kernel-suites.sources
preferences=/etc/apt/preferences.d/vtty-kernel-suites

wanted_sources='# Written by vtty'\''s uml/apt-suites.sh: kernel sources from other suites.
Types: deb deb-src
URIs: http://deb.debian.org/debian
Suites: bullseye sid
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg'

wanted_preferences='# Written by vtty'\''s uml/apt-suites.sh: nothing from bullseye or sid but
# the kernel source packages vtty is built against.
Package: *
Pin: release n=bullseye
Pin-Priority: -1

Package: *
Pin: release n=sid
Pin-Priority: -1

Package: linux-source-5.10
Pin: release n=bullseye
Pin-Priority: 100

Package: linux-source-7.2
Pin: release n=sid
Pin-Priority: 100'

changed=0
write_if_different() {
	local file=$1 content=$2
	if [ "$(cat "$file" 2>/dev/null)" != "$content" ]; then
		[ "$(id -u)" -eq 0 ] || die "$file needs updating; run uml/apt-suites.sh as root"
		printf '%s\n' "$content" >"$file"
		changed=1
	fi
}
write_if_different "$sources" "$wanted_sources"
write_if_different "$preferences" "$wanted_preferences"
if [ $changed = 1 ]; then
	log "apt: bullseye and sid added for kernel sources only; updating the package lists"
	apt-get update -qq >&2
fi
