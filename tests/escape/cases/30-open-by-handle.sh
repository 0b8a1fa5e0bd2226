# SPDX-License-Identifier: LGPL-2.1-or-later
# shellcheck shell=bash
#
# "shocker" (2014): open_by_handle_at() with a forged handle — ext4's root directory is inode 2, generation
# 0 — opens the host filesystem's root from any file on it, past every mount the container has; the canary is
# then one openat() away, to read and to write. Needs CAP_DAC_READ_SEARCH, which no default container holds.
# The file on the host's filesystem: /run/host/os-release (bound from the host) or a volume.

C=$(canary handle)
TOK=$(canary_token "$C")
MP=$(findmnt -no TARGET -T "$C")
REL=${C#"${MP%/}"/}
[ "$(findmnt -no SOURCE -T "$C")" = "$(findmnt -no SOURCE -T /usr/lib/os-release)" ] || \
        echo "# note: /usr/lib/os-release is on another filesystem than $C; the first attempt gets ESTALE"

conf handle "RootDirectory=$ROOT" "Exec=/attack handle /run/host/os-release 2 0 $REL escaped-by-handle"
launch handle
check "open_by_handle_at from /run/host/os-release: the canary stays intact and unread" \
        eval 'canary_intact "$C" && lacks "$TOK" && has "handle open_by_handle_at: refused"'

conf_host handlehost "Volume=$T/canary:/c" "Exec=/attack handle /c 2 0 $REL escaped-by-handle"
launch handlehost
check "the same from a writable volume of an Image=host container" \
        eval 'canary_intact "$C" && lacks "$TOK" && has "handle open_by_handle_at: refused"'
