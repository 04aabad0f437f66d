/* SPDX-License-Identifier: BSD-2-Clause */
/* ctl.h — the keeper's control socket: one request, one reply.
 *
 * Promise: requests and replies are single SOCK_SEQPACKET messages of text
 * (at most VL_CTL_MAX bytes), a reply optionally carrying file descriptors
 * (namespace fds for `exec` and `check`).  The keeper answers only peers
 * with its own uid or uid 0 *as seen from its user namespace*
 * (SO_PEERCRED): rootless, that is the lab's owner alone (host root is
 * unmapped there); the socket also lives in a 0700 directory.
 *
 * Requests:  "ping"              -> "ok <keeper-pid>"
 *            "ns <node>"         -> "ok" + fds [net, uts, pid, user]
 *            "link A:IF B:IF ..."-> "ok <link as JSON>" (linkedit.h's words)
 *            "hook NODE:IF"      -> "ok <ifindex>" + fds [net, user]: where
 *                                   that hook's interface lives (a node, or
 *                                   the core for switch and tee hooks)
 *            "iface NODE OLD NEW MAC MTU ADDRS" -> "ok": an interface was
 *                                   changed live (vnetlab ifconfig); the
 *                                   lab's state follows ("-": none)
 *            "down"              -> "ok", then the keeper tears down and exits
 */
#ifndef VNETLAB_CTL_H
#define VNETLAB_CTL_H

#include <stdbool.h>
#include <stddef.h>

#include "vnetlab/err.h"
#include "vnetlab/lab.h"

#define VL_CTL_MAX 4096
#define VL_CTL_MAX_FDS 8

int vl_ctl_listen(const char *path, struct vl_err *err);
int vl_ctl_connect(const struct vl_lab_paths *p, struct vl_err *err);

/* Send req, wait for the reply.  Reply text (NUL-terminated) in reply; fds
 * received stored in fds (capacity VL_CTL_MAX_FDS), count in *nfds.
 * Returns 0 if the reply starts with "ok", else -EPROTO with the reply in err. */
int vl_ctl_call(int fd, const char *req, char *reply, size_t len, int *fds,
		int *nfds, struct vl_err *err);

/* One request to the keeper of lab p: connect, call, close.  When
 * want_fds >= 0 the reply must carry exactly that many descriptors, stored
 * in fds (closed again, and -EPROTO, when it does not); any others, and
 * all on failure, are closed. */
int vl_ctl_request(const struct vl_lab_paths *p, const char *req, char *reply,
		   size_t len, int *fds, int want_fds, struct vl_err *err);

/* "link W1 W2 ...": `vnetlab link`'s words (linkedit.h) to lab p's
 * keeper, which parses, applies and records the edit; the one path every
 * link edit takes (the `link` verb, `vnetlab web`).  A word that is empty
 * or holds a space or a control character is refused here (-EINVAL): it
 * could not survive the space-separated request, and no valid word needs
 * one.  On success reply holds "ok " and the link as JSON. */
int vl_ctl_link(const struct vl_lab_paths *p, int argc, char *const argv[], char *reply,
		size_t len, struct vl_err *err);

/* Server side.  A message is refused whole, never cut: vl_ctl_send
 * returns -EMSGSIZE for text of VL_CTL_MAX bytes or more or more than
 * VL_CTL_MAX_FDS fds; vl_ctl_recv (and so vl_ctl_call) -EMSGSIZE for a
 * message longer than len - 1 or with more fds than that, -EBADMSG for
 * one with a NUL inside, closing any fds it carried. */
int vl_ctl_recv(int fd, char *buf, size_t len);
int vl_ctl_send(int fd, const char *msg, const int *fds, int nfds);
/* The peer of a connected control socket may be served: its uid, as this
 * process's user namespace sees it (SO_PEERCRED), is our euid or 0. */
bool vl_ctl_peer_allowed(int fd);

/* Fetch the namespace fds of one node (its mount namespace, the node's
 * filesystem view, is made by the keeper on first use).  The user
 * namespace is the lab's: join it first (vl_userns_join) when it is not
 * the caller's own. */
enum { VL_NS_NET, VL_NS_UTS, VL_NS_PID, VL_NS_USER, VL_NS_MNT, VL_NS_COUNT };
int vl_ctl_node_ns(const struct vl_lab_paths *p, const char *node,
		   int fds[VL_NS_COUNT], struct vl_err *err);
void vl_ctl_close_ns(int fds[VL_NS_COUNT]);

/* Where hook NODE:IF lives: its network namespace and the lab's user
 * namespace (fds[VL_NS_NET], fds[VL_NS_USER]; the others -1), and the
 * interface's index in there. */
int vl_ctl_hook_ns(const struct vl_lab_paths *p, const char *hook,
		   int fds[VL_NS_COUNT], int *ifindex, struct vl_err *err);

#endif
