#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# settle.sh — wait until the kernel has finished freeing dead network
# namespaces.  It frees them in the background, the last batch only when
# another namespace comes or goes (seen in the net_namespace slab on 6.18),
# and that work competes with whatever is measured next.  So: one
# throwaway namespace as the kick, then wait until the count stops falling.
slab=/sys/kernel/slab/net_namespace/objects
unshare -rn true 2>/dev/null || unshare -n true 2>/dev/null || true
[ -r "$slab" ] || { sleep 2; exit 0; }
prev=$(cut -d' ' -f1 "$slab")
for _ in $(seq 600); do
	sleep 0.3
	cur=$(cut -d' ' -f1 "$slab")
	[ "$cur" -ge "$prev" ] && exit 0
	prev=$cur
done
