/* SPDX-License-Identifier: BSD-2-Clause */
/* yaml_emit.h — a JSON document written as block-style YAML that
 * vnetlab's loader (and any YAML 1.2 reader) reads back as the same
 * document: strings quoted wherever they could be read as something else,
 * multi-line strings as literal blocks, short lists of scalars in flow
 * style ([a:eth0, b:eth0]).  For `vnetlab convert`. */
#ifndef VNETLAB_YAML_EMIT_H
#define VNETLAB_YAML_EMIT_H

#include <json-c/json.h>
#include <stdio.h>

/* 0, or -errno of the write. */
int vl_yaml_emit(struct json_object *doc, FILE *out);

#endif
