# SPDX-License-Identifier: LGPL-2.1-or-later
# shellcheck shell=bash
#
# The kernel keyring is not namespaced: uid 0's user keyring in a container without a user namespace is the
# host root's. add_key() and keyctl(JOIN_SESSION_KEYRING) with a random description; the host's /proc/keys
# must not show it.

TOK=ctr-escape-$(token)
conf keys "RootDirectory=$ROOT" "Exec=/attack keys $TOK"
launch keys
check "add_key/keyctl from a container leave no key on the host" \
        eval '! grep -qF "$TOK" /proc/keys && has "keys add_key: refused" && has "keys keyctl join: refused"'

ctl run --no-scope --rm -v "$ROOT/attack:/attack:ro" host /attack keys "$TOK"
check "the same through ctrctl run" eval '! grep -qF "$TOK" /proc/keys && has "keys add_key: refused"'
