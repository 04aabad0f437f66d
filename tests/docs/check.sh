#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# tests/docs/check.sh VNETLAB — the man pages and shell completions keep up
# with the verb table: every verb `vnetlab complete verbs` lists has a
# `.It Cm VERB` entry in vnetlab(1) and a case in both completions; both
# pages render without a groff warning; both scripts parse.  Prints
# "docs: N passed, N failed" and exits 1 on any failure.
set -u
bin=$1
top=$(cd "$(dirname "$0")/../.." && pwd)
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "docs: FAIL: $*" >&2; }

verbs=$("$bin" complete verbs) || { bad "vnetlab complete verbs failed"; verbs=; }
[ -n "$verbs" ] && ok || bad "no verbs listed"
for v in $verbs; do
	grep -q "^\.It Cm $v\b" "$top/man/vnetlab.1" && ok || bad "vnetlab(1) has no entry for $v"
	# A case label: "verb)" or "verb|..." or "...|verb)" at a line's start.
	grep -Eq "^[[:space:]]*([a-z|]*\|)?$v(\|[a-z|]*)?\)" "$top/completion/vnetlab.bash" &&
		ok || bad "bash completion has no case for $v"
	grep -Eq "^[[:space:]]*([a-z|]*\|)?$v(\|[a-z|]*)?\)" "$top/completion/_vnetlab" &&
		ok || bad "zsh completion has no case for $v"
done
for page in man/vnetlab.1 man/vnetlab-topology.5; do
	out=$(groff -mandoc -Tutf8 -ww -z "$top/$page" 2>&1)
	[ -z "$out" ] && ok || bad "$page: $out"
done
bash -n "$top/completion/vnetlab.bash" && ok || bad "bash cannot parse completion/vnetlab.bash"
if command -v zsh >/dev/null; then
	zsh -n "$top/completion/_vnetlab" && ok || bad "zsh cannot parse completion/_vnetlab"
else
	echo "docs: SKIP: zsh is not installed (Debian package zsh): _vnetlab not parsed" >&2
	[ -n "${VNETLAB_TEST_REQUIRE:-}" ] && bad "zsh missing in a required-mode run"
fi
# Verbs offered at the first word are the table's.
got=$(bash -c '. "$1"; COMP_WORDS=(vnetlab ""); COMP_CWORD=1; _vnetlab; printf "%s\n" "${COMPREPLY[@]}"' \
	sh "$top/completion/vnetlab.bash" | sort | tr '\n' ' ')
want=$(printf '%s\n' $verbs | sort | tr '\n' ' ')
[ "$got" = "$want" ] && ok || bad "first-word completion offers [$got], not [$want]"
echo "docs: $pass passed, $fail failed"
[ "$fail" = 0 ]
