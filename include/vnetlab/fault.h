/* SPDX-License-Identifier: BSD-2-Clause */
/* fault.h — deterministic fault injection, for the rollback tests.
 *
 * VNETLAB_FAULT selects one fault; unset (every real run) nothing here
 * changes behaviour and the cost is one getenv per `up`.
 *   fail:K    plan step K (1-based, as `vnetlab plan` numbers them) fails
 *             with EIO before it starts;
 *   nlfail:K  the K-th rtnetlink request this process sends is made
 *             invalid on its way out, so the kernel itself refuses it
 *             (EOPNOTSUPP) in the middle of its batch, and the requests
 *             after it in that batch still run, as after a real failure;
 *   kill:K    the process running the plan dies (SIGKILL; _exit as PID 1)
 *             just before step K: no cleanup code runs;
 *   killup:K  the `vnetlab up` process dies when the keeper reports step
 *             K done: the keeper is left building for nobody.
 * `vnetlab up` numbers the steps for the test to walk: `plan` prints the
 * count of steps, `up -v` the count of netlink requests.
 */
#ifndef VNETLAB_FAULT_H
#define VNETLAB_FAULT_H

#include <stdbool.h>
#include <stddef.h>

enum vl_fault_kind { VL_FAULT_NONE, VL_FAULT_FAIL, VL_FAULT_NLFAIL,
		     VL_FAULT_KILL, VL_FAULT_KILLUP };

struct vl_fault {
	enum vl_fault_kind kind;
	size_t step;
};

/* VNETLAB_FAULT parsed; kind NONE when unset or not understood. */
struct vl_fault vl_fault_get(void);

/* Count one rtnetlink request of this process; true when it is the one
 * nlfail:K names. */
bool vl_fault_nl_request(void);
/* Requests counted so far in this process (for `up -v`). */
size_t vl_fault_nl_count(void);

#endif
