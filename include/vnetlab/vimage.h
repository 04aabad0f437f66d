/* SPDX-License-Identifier: BSD-2-Clause */
/* vimage.h — FreeBSD's jails and netgraph as a model, for `vnetlab jail`,
 * `jls`, `jexec`, `ngctl` and `ifconfig` on Linux (the vimage emulation,
 * src/vimage/; the FreeBSD backend, which runs FreeBSD's own commands, is
 * compat/freebsd/).
 *
 * Promise: the model is a JSON document, kept in the state root, that the
 * verbs change the way FreeBSD's commands change a host: vnet jails;
 * netgraph nodes (eiface, bridge, hub, tee, pipe, and ether for the
 * compat host's own interface em0) with named hooks; each eiface's
 * interface name, jail, MAC, MTU, addresses and state.  Changing it is
 * pure (no kernel, no file).  vl_vimage_topo() builds from it, directly,
 * the ordinary topology model (struct vl_topo) that the Linux backend
 * brings up, held to every rule a topology file is, so the result is a
 * lab that inspect, check and down understand; a change the lab could
 * not hold is refused naming the jail, node, wire or command it came
 * from.  Errors read like the FreeBSD tools' own ("ngctl: send msg: No
 * such file or directory").  Only vl_vimage_live and vl_vimage_real_macs
 * touch the running lab (Linux).
 */
#ifndef VNETLAB_VIMAGE_H
#define VNETLAB_VIMAGE_H

#include <json-c/json.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>

#include "vnetlab/err.h"
#include "vnetlab/lab.h"
#include "vnetlab/topo.h"

#define VL_VIMAGE_HOST "host" /* the compat host's own node (em0, unmoved eifaces) */

struct json_object *vl_vimage_new(const char *lab);

/* Jails. */
int vl_vimage_jail_create(struct json_object *m, const char *name, const char *host,
			  struct vl_err *err);
/* Its interfaces come back to the host as FreeBSD's vnet_if_return() brings
 * them: down and without addresses, keeping name, MAC and MTU; one whose
 * name the host already has takes the name it was born with (ngethN, em0),
 * else its driver's lowest free one, and a line on out (may be NULL) says
 * so.  Never refused for a jail that exists: the model stays buildable. */
int vl_vimage_jail_remove(struct json_object *m, const char *name, FILE *out,
			  struct vl_err *err);
bool vl_vimage_has_jail(struct json_object *m, const char *name);
void vl_vimage_jls(struct json_object *m, FILE *out);

/* ngctl: one command line (words), as `ngctl` or one line of `ngctl -f`;
 * the calls up to vl_vimage_ngctl_done are one invocation of ngctl, whose
 * socket node "." keeps its hooks (mkpeer or connect from ".") as long:
 * `mkpeer eiface tmp ether`, `name .:tmp NAME`, `rmhook tmp` names the
 * new eiface.  Every path is read as netgraph(4) reads one: [NODE:]
 * [HOOK[.HOOK...]], NODE a name, [ID] or "." (the socket; for connect's
 * relpath, the node at path), the hooks followed from there.
 * *changed is set when the graph changed (the lab must be rebuilt).
 * `shutdown` of a node that exists is never refused (but of the socket);
 * em0's (ng_ether) loses its hooks and stays, as ng_ether(4) says.  A
 * bridge, hub, tee or pipe that loses its last hook goes, unless
 * persistent.  A new eiface takes the lowest free unit (ng_eiface(4)). */
int vl_vimage_ngctl(struct json_object *m, int argc, char **argv, FILE *out,
		    bool *changed, struct vl_err *err);
/* What happens when ngctl exits: its socket node goes with its hooks, and
 * nodes that are not persistent and have no hooks left go too (eifaces
 * stay).  The model holds no trace of the socket after this. */
void vl_vimage_ngctl_done(struct json_object *m);

/* The interface an ifconfig command line (argv[0] the interface) is about
 * in `where`, as vl_vimage_ifconfig finds it (the model's object,
 * borrowed); NULL for a listing, lo0, or no such interface. */
struct json_object *vl_vimage_ifconfig_iface(struct json_object *m, const char *where,
					     int argc, char **argv);
/* ifconfig in `where` (a jail's name, or VL_VIMAGE_HOST).  *changed as
 * above; *live says the change is one to apply to the running interface
 * too (name, link, address, up/down, mtu).  The interface changed is
 * returned in *iface (the model's object, borrowed).  What no interface
 * may have is refused with FreeBSD's words before anything changes: a zero
 * or multicast MAC; a loopback, unspecified, multicast (or 0/8, 240/4)
 * address; the name lo0; IPv6 with an MTU under 1280; a move into a vnet
 * that has the name already (vnet, and -vnet unlike FreeBSD). */
int vl_vimage_ifconfig(struct json_object *m, const char *where, int argc, char **argv,
		       FILE *out, bool *changed, struct json_object **iface,
		       struct vl_err *err);

/* The model as a topology, built directly (no text written or read) and
 * held to every rule a topology file is: 0 with *out the lab it becomes
 * (file, may be NULL, its t->file), or -EINVAL with *out NULL and every
 * problem in err, each line naming what the user made rather than a
 * file line: "jexec n2 ifconfig eth0 inet 192.0.2.1/24: error: address
 * 192.0.2.1 is also on n1:eth0 in the same L2 segment". */
int vl_vimage_topo(struct json_object *m, const char *file, struct vl_topo **out,
		   struct vl_err *err);
/* vl_vimage_topo, its refusal said as the verbs say it ("refused: this
 * change would make a network vnetlab cannot build: ..."), and
 * vl_vimage_check, the same without the topology: 0 when the model
 * becomes one.  FreeBSD allows some graphs a lab cannot hold (the same
 * address twice on one L2 segment, say): the verbs refuse such a change
 * before saving it, so the model on disk can always be brought up. */
int vl_vimage_build(struct json_object *m, const char *file, struct vl_topo **out,
		    struct vl_err *err);
int vl_vimage_check(struct json_object *m, struct vl_err *err);
/* A topology of vl_vimage_topo as a topology document (JSON, which the
 * loader reads as it reads YAML; malloc'ed, NULL on ENOMEM) that loads
 * back into the same lab: its interfaces declared in its order, each
 * folded pipe written as the pipe node it was.  What a running lab's
 * keeper is handed to become (ctl.h, "apply FILE"). */
char *vl_vimage_topo_text(const struct vl_topo *t);
/* vl_vimage_topo and vl_vimage_topo_text at once; NULL when the model is
 * no topology (vl_vimage_check says why). */
char *vl_vimage_topology(struct json_object *m);

/* ---- The model kept in the state root (store.c) ---- */

/* Lab LAB's model (root/.vimage-LAB.json) for one verb's run. */
struct vl_vimage_store {
	char lab[VL_LABNAME_MAX + 1];
	char root[PATH_MAX / 2 - 64];
	char json[PATH_MAX];
	int lock;              /* held from open to close: one verb at a time */
	struct json_object *m; /* the model, the verb's to change */
	char *text;            /* the model as opened, to tell a change */
};

/* Lab `lab`'s model, locked until vl_vimage_close; a new one (not saved)
 * when there is none yet.  0, or -errno with err set (close it still). */
int vl_vimage_open(struct vl_vimage_store *s, const char *lab, struct vl_err *err);
/* Unlocked and freed; a lab with no model saved keeps no lock file. */
void vl_vimage_close(struct vl_vimage_store *s);
/* The model to disk (atomically): once the lab has taken the change, so
 * the saved model is always what runs. */
int vl_vimage_save(struct vl_vimage_store *s, struct vl_err *err);
bool vl_vimage_saved(const struct vl_vimage_store *s);   /* on disk */
bool vl_vimage_changed(const struct vl_vimage_store *s); /* since opened */
int vl_vimage_lab(const struct vl_vimage_store *s, struct vl_lab_paths *p,
		  struct vl_err *err);
bool vl_vimage_running(const struct vl_vimage_store *s);

/* ---- The running lab (Linux: live.c) ---- */

/* What ifconfig changed of one interface (before, a copy, to after, the
 * model's) made to the running interface of `where` as well, so what runs
 * inside the jail lives on; the keeper told.  On a refusal by the kernel,
 * what was taken is put back (or err says it could not be).  0 when the
 * lab is not running: its next build takes the model. */
int vl_vimage_live(const struct vl_vimage_store *s, const char *where,
		   struct json_object *before, struct json_object *after, struct vl_err *err);
/* A listing shows the kernel's MACs, as FreeBSD's ifconfig does: those the
 * model has not set are read from the running interfaces of `where` into
 * the model in memory (never saved). */
void vl_vimage_real_macs(struct vl_vimage_store *s, const char *where);

/* The models kept in a state root (root/.vimage-LAB.json, LAB a valid lab
 * name), in name order: fn(lab, path, arg) for each; fn's non-zero return
 * stops the walk and is returned.  0 when root does not exist. */
int vl_vimage_models(const char *root, int (*fn)(const char *lab, const char *path, void *arg),
		     void *arg);

#endif
