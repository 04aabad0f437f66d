#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# golden.sh — rewrite tests/golden/ from the current plans of every
# shipped topology (after a deliberate change to what a backend does; the
# diff is then the review).  Linux plans assume tbf and htb and no netem,
# so they do not depend on the machine that makes them.
set -eu
bin=${VNETLAB:-./vnetlab}
for f in topologies/*.yaml; do
	n=$(basename "$f" .yaml)
	"$bin" plan "$f" --backend linux --qdiscs tbf,htb > "tests/golden/$n.linux"
	# A lab the FreeBSD backend refuses keeps its refusal as the golden text.
	if ! "$bin" plan "$f" --backend freebsd > "tests/golden/$n.freebsd" 2> /tmp/golden.$$; then
		{ echo "# refused:"; sed 's/^vnetlab: //' /tmp/golden.$$; } > "tests/golden/$n.freebsd"
	fi
	rm -f /tmp/golden.$$
done
