/* SPDX-License-Identifier: BSD-2-Clause */
/* Live link edits: words to an edit, directions as the user named them,
 * and placement of the result (which carrier, refusals). */
#include <criterion/criterion.h>
#include <string.h>

#include "vnetlab/linkedit.h"
#include "vnetlab/plan.h"

static const char *const yaml =
	"nodes:\n  a: {}\n  b: {}\n  c: {}\n  d: {}\n"
	"links:\n"
	"  - { endpoints: [a:e0, b:e0], delay: 5ms }\n"
	"  - [c:e0, d:e0]\n";

static struct vl_topo *load(void)
{
	struct vl_err err;
	vl_err_init(&err);
	struct vl_topo *t;
	cr_assert_eq(vl_topo_load_buffer("l.yaml", yaml, strlen(yaml), &t, &err), 0,
		     "%s", err.msg);
	return t;
}

static int parse(const struct vl_topo *t, char *words, struct vl_link_edit *e,
		 struct vl_err *err)
{
	char *argv[32];
	int n = 0;
	for (char *w = strtok(words, " "); w; w = strtok(NULL, " "))
		argv[n++] = w;
	vl_err_init(err);
	return vl_link_edit_parse(t, n, argv, e, err);
}

Test(linkedit, directions_follow_the_users_order)
{
	struct vl_topo *t = load();
	struct vl_link_edit e;
	struct vl_err err;
	char w1[] = "b:e0 a:e0 set downstream delay 20ms upstream loss 1%";
	cr_assert_eq(parse(t, w1, &e, &err), 0, "%s", err.msg);
	cr_expect_eq(e.link, 0);
	/* b -> a is the topology's direction 1. */
	cr_expect(vl_impair_has(&e.set[1], VL_P_DELAY));
	cr_expect_eq(e.set[1].v[VL_P_DELAY], 20000000);
	cr_expect(vl_impair_has(&e.set[0], VL_P_LOSS));
	cr_expect_not(vl_impair_has(&e.set[0], VL_P_DELAY));

	struct vl_impair out[2];
	vl_link_edit_apply(&e, t->links[0].dir, out);
	cr_expect_eq(out[0].v[VL_P_DELAY], 5000000, "direction 0 keeps its 5 ms");
	cr_expect_eq(out[1].v[VL_P_DELAY], 20000000);
	cr_expect_eq(out[0].v[VL_P_LOSS], 10000000);
	vl_topo_free(t);
}

Test(linkedit, none_removes_and_clear_removes_all)
{
	struct vl_topo *t = load();
	struct vl_link_edit e;
	struct vl_err err;
	char w1[] = "a:e0 b:e0 set delay none loss 2%";
	cr_assert_eq(parse(t, w1, &e, &err), 0, "%s", err.msg);
	struct vl_impair out[2];
	vl_link_edit_apply(&e, t->links[0].dir, out);
	for (int d = 0; d < 2; d++) {
		cr_expect_not(vl_impair_has(&out[d], VL_P_DELAY));
		cr_expect_eq(out[d].v[VL_P_DELAY], 0);
		cr_expect(vl_impair_has(&out[d], VL_P_LOSS));
	}
	char w2[] = "a:e0 b:e0 clear";
	cr_assert_eq(parse(t, w2, &e, &err), 0);
	vl_link_edit_apply(&e, t->links[0].dir, out);
	cr_expect_eq(out[0].set | out[1].set, 0);
	vl_topo_free(t);
}

Test(linkedit, mistakes_are_named)
{
	struct vl_topo *t = load();
	struct vl_link_edit e;
	struct vl_err err;
	static const struct {
		const char *words, *msg;
	} bad[] = {
		{"a:e0 c:e0 up", "no link between a:e0 and c:e0"},
		{"a:e0 b:e0 frob", "expected show, set, clear, up or down"},
		{"a:e0 b:e0 set", "set what?"},
		{"a:e0 b:e0 set delay", "delay needs a value"},
		{"a:e0 b:e0 set delay 5", "needs a unit"},
		{"a:e0 b:e0 set colour red", "'colour' is not a link parameter"},
		{"a:e0 b:e0 down now", "takes no further words"},
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char w[128];
		snprintf(w, sizeof(w), "%s", bad[i].words);
		cr_expect_lt(parse(t, w, &e, &err), 0, "%s accepted", bad[i].words);
		cr_expect_not_null(strstr(err.msg, bad[i].msg), "%s: got '%s'",
				   bad[i].words, err.msg);
	}
	vl_topo_free(t);
}

/* On a kernel with tbf only, delay goes to the pipe; a link made without
 * a pipe cannot take it live, a piped one can, and bandwidth stays tbf's. */
Test(linkedit, placement_of_live_values)
{
	struct vl_topo *t = load();
	struct vl_plan p;
	struct vl_err err;
	vl_err_init(&err);
	struct vl_plan_opts o = {.qdiscs = VL_QDISC_TBF | VL_QDISC_HTB};
	cr_assert_eq(vl_plan_build(t, &o, &p, &err), 0, "%s", err.msg);
	cr_assert(p.links[0].piped);
	cr_assert_not(p.links[1].piped);

	struct vl_impair dir[2] = {0};
	vl_impair_set(&dir[0], VL_P_DELAY, 1000000);
	vl_impair_set(&dir[0], VL_P_BANDWIDTH, 10000000);
	struct vl_link_live lv = {0};
	cr_expect_eq(vl_link_place(&p, 0, dir, &lv, &err), 0, "%s", err.msg);
	cr_expect_str_eq(vl_link_carrier(&lv, 0, VL_P_DELAY), "pipe");
	cr_expect_str_eq(vl_link_carrier(&lv, 0, VL_P_BANDWIDTH), "tbf");
	cr_expect_null(vl_link_carrier(&lv, 1, VL_P_DELAY));

	struct vl_link_live before = {.down = true};
	lv = before;
	cr_expect_lt(vl_link_place(&p, 1, dir, &lv, &err), 0);
	cr_expect_not_null(strstr(err.msg, "impl: userspace"), "%s", err.msg);
	cr_expect(lv.down && !lv.dir[0].set, "a refused placement changed the state");

	o.qdiscs |= VL_QDISC_NETEM;
	vl_plan_free(&p);
	cr_assert_eq(vl_plan_build(t, &o, &p, &err), 0);
	cr_expect_eq(vl_link_place(&p, 1, dir, &lv, &err), 0, "with netem: %s", err.msg);
	cr_expect_str_eq(vl_link_carrier(&lv, 0, VL_P_DELAY), "netem");
	cr_expect_str_eq(vl_link_carrier(&lv, 0, VL_P_BANDWIDTH), "netem");
	vl_plan_free(&p);
	vl_topo_free(t);
}

/* Item 5 of issue 14: a value that is zero removes the parameter (it
 * used to leave the old value in place); bandwidth has no zero. */
Test(linkedit, zero_removes_the_parameter)
{
	struct vl_topo *t = load();
	struct vl_impair cur[2] = {0};
	for (int d = 0; d < 2; d++) {
		vl_impair_set(&cur[d], VL_P_DELAY, 5000000);
		vl_impair_set(&cur[d], VL_P_JITTER, 1000000);
		vl_impair_set(&cur[d], VL_P_LOSS, 10000000);
		vl_impair_set(&cur[d], VL_P_DUPLICATE, 10000000);
		vl_impair_set(&cur[d], VL_P_BER, 1000);
	}
	static const struct { const char *words; enum vl_param p; } cases[] = {
		{"a:e0 b:e0 set delay 0ms jitter 0", VL_P_DELAY},
		{"a:e0 b:e0 set delay 0s jitter 0us", VL_P_DELAY},
		{"a:e0 b:e0 set jitter 0ms", VL_P_JITTER},
		{"a:e0 b:e0 set jitter 0", VL_P_JITTER},
		{"a:e0 b:e0 set loss 0%", VL_P_LOSS},
		{"a:e0 b:e0 set loss 0.0%", VL_P_LOSS},
		{"a:e0 b:e0 set duplicate 0%", VL_P_DUPLICATE},
		{"a:e0 b:e0 set ber 0.0", VL_P_BER},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char w[128];
		snprintf(w, sizeof(w), "%s", cases[i].words);
		struct vl_link_edit e;
		struct vl_err err;
		cr_assert_eq(parse(t, w, &e, &err), 0, "%s: %s", cases[i].words, err.msg);
		struct vl_impair out[2];
		vl_link_edit_apply(&e, cur, out);
		for (int d = 0; d < 2; d++) {
			cr_expect_not(vl_impair_has(&out[d], cases[i].p), "%s: still set",
				      cases[i].words);
			cr_expect_eq(out[d].v[cases[i].p], 0, "%s", cases[i].words);
		}
		cr_expect_eq(vl_link_edit_check(&e, out, &err), 0, "%s: %s",
			     cases[i].words, err.msg);
	}
	static const char *const refused[] = {"a:e0 b:e0 set bandwidth 0bit",
					      "a:e0 b:e0 set bandwidth 0",
					      "a:e0 b:e0 set bandwidth 0Mbit"};
	for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		char w[128];
		snprintf(w, sizeof(w), "%s", refused[i]);
		struct vl_link_edit e;
		struct vl_err err;
		cr_expect_lt(parse(t, w, &e, &err), 0, "%s accepted", refused[i]);
		cr_expect(strstr(err.msg, "is zero"), "%s: %s", refused[i], err.msg);
	}
	struct vl_link_edit e;
	struct vl_err err;
	char w[] = "a:e0 b:e0 set bandwidth none";
	cr_expect_eq(parse(t, w, &e, &err), 0, "none still removes bandwidth: %s", err.msg);
	vl_topo_free(t);
}

/* Words that used to be taken silently: a parameter twice for a
 * direction (the last won), a direction followed by nothing to set
 * (ignored), values past a minute. */
Test(linkedit, ambiguous_words_are_refused)
{
	struct vl_topo *t = load();
	static const struct { const char *words, *msg; } bad[] = {
		{"a:e0 b:e0 set delay 5ms delay 10ms", "delay is given twice for downstream"},
		{"a:e0 b:e0 set delay 5ms downstream delay 10ms",
		 "delay is given twice for downstream"},
		{"a:e0 b:e0 set upstream loss 1% both loss 2%", "loss is given twice for upstream"},
		{"a:e0 b:e0 set downstream upstream delay 5ms",
		 "'downstream' is followed by another direction"},
		{"a:e0 b:e0 set delay 5ms upstream", "'upstream' ends the command"},
		{"a:e0 b:e0 set delay 61s", "over 60 s"},
		{"a:e0 b:e0 set loss 0x10%", "not understood"},
		{"a:e0 b:e0 set bandwidth 10MBps", "write 80Mbit"},
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char w[128];
		snprintf(w, sizeof(w), "%s", bad[i].words);
		struct vl_link_edit e;
		struct vl_err err;
		cr_expect_lt(parse(t, w, &e, &err), 0, "%s accepted", bad[i].words);
		cr_expect(strstr(err.msg, bad[i].msg), "%s: got '%s'", bad[i].words, err.msg);
	}
	static const char *const good[] = {
		"a:e0 b:e0 set downstream delay 5ms upstream delay 10ms",
		"a:e0 b:e0 set delay 61s --force", "--force a:e0 b:e0 set jitter 2min"};
	struct vl_link_edit e;
	struct vl_err err;
	char w[128];
	snprintf(w, sizeof(w), "%s", good[0]);
	cr_expect_eq(parse(t, w, &e, &err), 0, "%s: %s", good[0], err.msg);
	snprintf(w, sizeof(w), "%s", good[1]);
	cr_expect_eq(parse(t, w, &e, &err), 0, "%s: %s", good[1], err.msg);
	cr_expect(e.force);
	cr_expect_eq(e.set[0].v[VL_P_DELAY], 61000000000ull);
	snprintf(w, sizeof(w), "%s", good[2]);
	cr_expect_lt(parse(t, w, &e, &err), 0, "min is no unit");
	vl_topo_free(t);
}

/* The result of an edit must make sense: jitter needs a delay at least
 * as large, named in the user's direction. */
Test(linkedit, jitter_beyond_the_delay_is_refused)
{
	struct vl_topo *t = load(); /* link 0: delay 5ms both ways */
	struct vl_link_edit e;
	struct vl_err err;
	struct vl_impair out[2];
	static const struct { const char *words, *msg; } cases[] = {
		{"a:e0 b:e0 set jitter 6ms", "downstream: jitter 6ms is larger than the delay 5ms"},
		{"b:e0 a:e0 set upstream jitter 6ms",
		 "upstream: jitter 6ms is larger than the delay 5ms"},
		{"a:e0 b:e0 set downstream delay none jitter 1ms",
		 "downstream: jitter 1ms without a delay"},
		{"c:e0 d:e0 set jitter 1ms", "without a delay"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char w[128];
		snprintf(w, sizeof(w), "%s", cases[i].words);
		cr_assert_eq(parse(t, w, &e, &err), 0, "%s", err.msg);
		vl_link_edit_apply(&e, t->links[e.link].dir, out);
		vl_err_init(&err);
		cr_expect_lt(vl_link_edit_check(&e, out, &err), 0, "%s accepted", cases[i].words);
		cr_expect(strstr(err.msg, cases[i].msg), "%s: got '%s'", cases[i].words, err.msg);
	}
	char w[] = "a:e0 b:e0 set jitter 5ms";
	cr_assert_eq(parse(t, w, &e, &err), 0, "%s", err.msg);
	vl_link_edit_apply(&e, t->links[0].dir, out);
	cr_expect_eq(vl_link_edit_check(&e, out, &err), 0, "%s", err.msg);
	vl_topo_free(t);
}
