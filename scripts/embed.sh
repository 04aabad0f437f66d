#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# embed.sh SYMBOL FILE — print a C file defining `const char SYMBOL[]` with
# FILE's bytes, so a data file can be compiled into the binary.
set -eu
sym=$1 file=$2
printf '/* generated from %s by scripts/embed.sh; do not edit */\n' "$file"
printf '#include <stddef.h>\nconst char %s[] = {\n' "$sym"
od -An -v -tx1 "$file" | sed -e 's/  */ /g' -e 's/^ //' -e 's/ $//' \
	-e 's/\([0-9a-f][0-9a-f]\)/0x\1,/g'
printf '0x00 };\nconst size_t %s_len = sizeof(%s) - 1;\n' "$sym" "$sym"
