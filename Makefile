# SPDX-License-Identifier: BSD-2-Clause
# vnetlab — plain Makefile.  `make`, `make check`, `make demo`, `make install`.
# SANITIZE=1 builds everything with ASan+UBSan (CI runs the suite both ways).

PREFIX  ?= /usr/local
BENCH_SIZES ?= 100 1000 5000
DESTDIR ?=
BUILD   ?= build
CC      ?= cc

# PORTABLE=1 (the default off Linux, e.g. FreeBSD with gmake) builds the
# OS-neutral core, the FreeBSD backend and the verbs that need no Linux:
# plan, validate, up/down (FreeBSD), ls, inspect, compare.
UNAME_S  := $(shell uname -s)
PORTABLE ?= $(if $(filter Linux,$(UNAME_S)),0,1)
ifeq ($(PORTABLE),1)
PKGS    := yaml-0.1 json-c libgvc
else
PKGS    := libmnl yaml-0.1 json-c libcap libgvc
# `vnetlab web` only: the program links it, libvnetlab does not (a library
# that emulates networks has no business pulling in an HTTP server and, with
# --static, GnuTLS and everything under it).
WEB_PKGS := libmicrohttpd
endif
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) $(WEB_PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
WEB_LIBS   := $(if $(WEB_PKGS),$(shell pkg-config --libs $(WEB_PKGS) 2>/dev/null))

CFLAGS  ?= -O2 -g
CFLAGS  += -DVL_LINUX=$(if $(filter 1,$(PORTABLE)),0,1)
CFLAGS  += -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -Wshadow \
	   -Wno-missing-field-initializers -Iinclude -Isrc $(PKG_CFLAGS) -MMD -MP
LDLIBS  += $(PKG_LIBS) -lm -pthread
ifeq ($(SANITIZE),1)
CFLAGS  += -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
LDFLAGS += -fsanitize=address,undefined
BUILD   := build-san
BIN     := build-san/vnetlab
endif

# Modules that know nothing of the OS: parsing, model, plan, rendering.
CORE_SRC := src/model/err.c src/plan/fault.c src/model/netaddr.c src/model/yamltree.c src/model/kind.c src/model/topo.c \
	    src/model/topo_build.c src/model/topo_parse.c src/model/topo_read.c src/model/topo_soft.c src/plan/backend.c \
	    src/model/validate.c src/plan/plan.c src/model/impair.c src/model/linkedit.c src/runtime/compare.c src/plan/pipe_sched.c \
	    src/model/topo_json.c src/plan/plan_diff.c src/runtime/lifecycle.c src/model/words.c src/model/import.c src/model/import_imunes.c \
	    src/model/imunes_desc.c src/model/imunes_tcl.c src/model/imunes_json.c src/model/imunes_frr.c src/model/imunes_gw.c \
	    src/model/import_clab.c src/model/import_clab_links.c src/model/clab_env.c src/model/mininet.c src/model/yaml_emit.c src/plan/view.c src/plan/service.c \
	    src/model/hosts.c src/model/place.c
# The drawing (graph.h): its words are the model's (dot, Mermaid, json
# text), its layout and pictures Graphviz's libgvc (src/draw/), which
# exists wherever vnetlab builds, FreeBSD included.
CORE_SRC += src/model/graph_text.c src/draw/render.c
# The Linux backend and the runtime around it.
LINUX_SRC := src/linux/nl.c src/linux/backend.c src/linux/tc.c src/linux/cmds.c \
	     src/linux/forward.c src/linux/live.c src/linux/apply.c src/linux/nsutil.c \
	     src/linux/userns.c src/linux/probe.c src/linux/pipe.c src/linux/capture.c src/linux/ifctl.c src/linux/view.c src/linux/config.c \
	     src/runtime/lab.c src/runtime/ctl.c src/runtime/keeper.c src/runtime/keeper_serve.c src/runtime/keeper_up.c src/runtime/keeper_lab.c src/runtime/keeper_svc.c \
	     src/runtime/check.c src/runtime/doctor.c src/runtime/remote.c src/runtime/multihost.c \
	     src/runtime/privs.c src/runtime/statefile.c src/runtime/check_report.c
# Entering a node of a running lab (node.h): exec, capture, check, the FreeBSD verbs.
LINUX_SRC += src/runtime/node.c src/runtime/node_run.c
# A running lab read from outside it (netstat in each node, captures), in
# forked children; `vnetlab web` (src/web/, part of the program, not the
# library) on top.
LINUX_SRC += src/linux/netstat.c src/runtime/labview.c
# The page is web/'s files compiled in (scripts/embed.sh), nothing fetched.
WEB_GEN   := $(BUILD)/gen/web_index_html.c $(BUILD)/gen/web_app_js.c $(BUILD)/gen/web_style_css.c
WEB_SRC   := src/web/server.c src/web/auth.c src/web/api.c src/web/events.c src/web/capture.c \
	     src/web/assets.c $(WEB_GEN)
# The vimage emulation's changes to a running lab's interfaces (the rest of
# it, VIMAGE_SRC below, needs nothing of Linux).
LINUX_SRC += src/vimage/live.c
# The FreeBSD backend: builds (and is tested) everywhere.
FREEBSD_SRC := compat/freebsd/backend.c compat/freebsd/cmd.c compat/freebsd/lab.c \
	       compat/freebsd/undo.c compat/freebsd/view.c
CORE_SRC += $(FREEBSD_SRC)
# The vimage emulation, FreeBSD's verbs on Linux (src/vimage/).  Its model
# needs nothing of Linux, so it builds everywhere: the portable unit tests
# and the verbs fuzzer run it, and ls/down/cleanup find its models.
VIMAGE_SRC := src/vimage/model.c src/vimage/graph.c src/vimage/ngctl.c src/vimage/ifconfig.c \
	      src/vimage/jail.c src/vimage/to_topo.c src/vimage/doc.c src/vimage/store.c
CORE_SRC += $(VIMAGE_SRC)
CLI_SRC  := $(wildcard src/cli/*.c) $(BUILD)/gen/demo_topology.c $(WEB_SRC)

# Its own folder, sanitized or not, so no object of one build is linked
# into the other.
PBUILD := build-portable$(if $(filter 1,$(SANITIZE)),-san)
ifeq ($(PORTABLE),1)
BUILD    := $(PBUILD)
LINUX_SRC := src/runtime/lab.c src/runtime/statefile.c src/runtime/privs.c
CLI_SRC  := $(addprefix src/cli/,common.c main.c plan.c compare.c ls.c up.c down.c complete.c convert.c graph.c portable/hosts_none.c) \
	    $(BUILD)/gen/demo_topology.c
endif

CLI_OBJ   := $(patsubst %.c,$(BUILD)/%.o,$(patsubst $(BUILD)/%,%,$(CLI_SRC)))

# libvnetlab: the core and Linux objects (the portable build: its own
# subset) as a static library, and on Linux a shared one too.  One set of
# position-independent objects ($(BUILD)/lib/) makes both; the CLI and the
# tests link the static one, so `vnetlab` stays one self-contained binary.
# The version is include/vnetlab/version.h's; its major number is the
# soname's (docs/ARCHITECTURE.md: libvnetlab, ABI and soname).
VERSION := $(shell sed -n '/define VNETLAB_VERSION /s/[^"]*"\([^"]*\)".*/\1/p' \
	     include/vnetlab/version.h)
SONAME  := libvnetlab.so.$(firstword $(subst ., ,$(VERSION)))
LIB_OBJ := $(patsubst %.c,$(BUILD)/lib/%.o,$(CORE_SRC) $(LINUX_SRC))
LIB_A   := $(BUILD)/libvnetlab.a
LIB_SO  := $(BUILD)/libvnetlab.so.$(VERSION)
LIBS    := $(LIB_A) $(if $(filter 1,$(PORTABLE)),,$(LIB_SO))
# Installed to LIBDIR (GNU's default libdir, which Debian's ld.so and
# pkg-config search for /usr/local too; a distribution package sets its own,
# e.g. LIBDIR=/usr/lib/x86_64-linux-gnu) with vnetlab.pc in LIBDIR/pkgconfig.
LIBDIR       ?= $(PREFIX)/lib
INCLUDEDIR   ?= $(PREFIX)/include
PKGCONFIGDIR ?= $(LIBDIR)/pkgconfig
# Every symbol of the shared library resolved by it or its Libs (not with
# the sanitizers, whose runtime the executable brings).
comma   := ,
SO_DEFS := $(if $(filter 1,$(SANITIZE)),,-Wl$(comma)--no-undefined)

# tests/unit/linux/: unit tests of Linux-only modules (or that need
# libcap); the portable build runs the others.
UNIT_SRC  := $(wildcard tests/unit/*.c)
ifneq ($(PORTABLE),1)
UNIT_SRC  += $(wildcard tests/unit/linux/*.c)
endif
INTEG_SRC := $(wildcard tests/integration/*.c)

BIN ?= vnetlab

.PHONY: all check check-unit check-integration check-docs check-example demo install uninstall clean deps bench portable \
	fuzz soak

all: $(BIN) $(LIBS)

$(BIN): $(CLI_OBJ) $(LIB_A)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS) $(WEB_LIBS)

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c -o $@ $<

# No semantic interposition: calls inside the library stay direct (and
# inlined) as in a non-PIC build.
$(BUILD)/lib/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -fPIC -fno-semantic-interposition -c -o $@ $<
$(LIB_A): $(LIB_OBJ)
	@rm -f $@
	$(AR) rcs $@ $^
$(LIB_SO): $(LIB_OBJ) src/libvnetlab.map
	$(CC) -shared -Wl,-soname,$(SONAME) -Wl,--version-script=src/libvnetlab.map $(SO_DEFS) \
		$(LDFLAGS) -o $@ $(LIB_OBJ) $(LDLIBS)
	ln -sf $(notdir $@) $(BUILD)/$(SONAME)
	ln -sf $(SONAME) $(BUILD)/libvnetlab.so

# The built-in demo is topologies/demo.yaml compiled in, so `vnetlab run`
# with no file needs nothing installed beside the binary.
$(BUILD)/gen/demo_topology.c: topologies/demo.yaml scripts/embed.sh
	@mkdir -p $(dir $@)
	sh scripts/embed.sh vl_demo_topology $< > $@
$(BUILD)/gen/web_%_html.c: web/%.html scripts/embed.sh
	@mkdir -p $(dir $@)
	sh scripts/embed.sh vl_web_$*_html $< > $@
$(BUILD)/gen/web_%_js.c: web/%.js scripts/embed.sh
	@mkdir -p $(dir $@)
	sh scripts/embed.sh vl_web_$*_js $< > $@
$(BUILD)/gen/web_%_css.c: web/%.css scripts/embed.sh
	@mkdir -p $(dir $@)
	sh scripts/embed.sh vl_web_$*_css $< > $@
$(BUILD)/gen/demo_topology.o: $(BUILD)/gen/demo_topology.c
	$(CC) $(CFLAGS) -c -o $@ $<

$(BUILD)/tests/unit/%.o: CFLAGS += -DSRCDIR='"$(CURDIR)"' -Itests/fuzz -Itests/common
$(BUILD)/tests/integration/%.o: CFLAGS += -Itests/common
# The unit tests parse the svg with expat (test_graph.c).
$(BUILD)/tests/unit/%.o: CFLAGS += $(shell pkg-config --cflags expat 2>/dev/null)
$(BUILD)/tests/unit.bin: $(UNIT_SRC:%.c=$(BUILD)/%.o) $(BUILD)/tests/fuzz/one_input.o \
		$(BUILD)/tests/fuzz/verbs_input.o $(BUILD)/tests/fuzz/clab_input.o \
		$(BUILD)/tests/common/verdict.o $(LIB_A)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS) $(shell pkg-config --libs expat 2>/dev/null) -lcriterion
$(BUILD)/tests/integration.bin: $(INTEG_SRC:%.c=$(BUILD)/%.o) $(BUILD)/tests/common/verdict.o \
		$(BUILD)/tests/common/nouserns.o | $(BUILD)/tests/owd $(BUILD)/tests/nouserns
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS) -lcriterion
# One-way delay, loss and order of a UDP stream, run inside nodes by the
# impairment tests (OWD=, default build/tests/owd).
$(BUILD)/tests/owd: tests/tools/owd.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $< $(LDFLAGS)

# A simulated host without user namespaces, for a whole test pass.
$(BUILD)/tests/nouserns: tests/tools/nouserns.c tests/common/nouserns.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -Itests/common -o $@ $(filter %.c,$^) $(LDFLAGS)

# deps: install the Debian packages the build and tests need, once.
deps:
	@sh scripts/deps.sh

# The build FreeBSD makes (gmake): no Linux-only file; kept building here.
portable:
	$(MAKE) PORTABLE=1 BIN=$(PBUILD)/vnetlab $(PBUILD)/vnetlab

# Each test binary runs through scripts/testrun.sh: a time limit, and in
# sanitized runs one report directory for every process (any report
# fails).  VNETLAB_TEST_REQUIRE=root|rootless (CI sets it per pass) turns
# a skip for a missing capability into a failure.
TESTRUN := SANITIZE=$(SANITIZE) sh scripts/testrun.sh
check: deps
	$(MAKE) portable
	$(MAKE) PORTABLE=1 BIN=$(PBUILD)/vnetlab check-unit
	$(MAKE) check-unit
	$(MAKE) check-docs
	$(MAKE) check-example
	$(MAKE) check-integration

# The man pages and completions keep up with the verb table.
check-docs: deps
	$(MAKE) $(BIN)
	PATH=$(abspath $(dir $(BIN))):$$PATH sh tests/docs/check.sh $(abspath $(BIN))

# libvnetlab installed into a fresh prefix: each header compiles alone,
# examples/lab.c builds through pkg-config and runs the demo (tests/example).
check-example: deps
	MAKE="$(MAKE)" CC="$(CC)" sh tests/example/check.sh

check-unit: deps
	$(MAKE) $(BUILD)/tests/unit.bin
	$(TESTRUN) unit 600 $(BUILD)/tests/unit.bin --jobs 2

check-integration: deps
	$(MAKE) $(BIN) $(BUILD)/tests/integration.bin
	VNETLAB=$(CURDIR)/$(BIN) TOPOLOGIES=$(CURDIR)/topologies OWD=$(CURDIR)/$(BUILD)/tests/owd \
		$(TESTRUN) integration 1500 $(BUILD)/tests/integration.bin --jobs 1 --verbose

demo: deps
	$(MAKE) $(BIN)
	./$(BIN) run

# Benchmarks: not part of `make check`; each prints ratios measured in one run.
$(BUILD)/bench/udpgen: bench/udpgen.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $< $(LDFLAGS)
$(BUILD)/bench/floor: bench/floor.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $< $(LDFLAGS) -lmnl
# 100 FRR routers (zebra + ospfd each) in a ring: up, convergence, memory.
BENCH_FRR_ROUTERS ?= 100
# `vnetlab graph` of chains, stars, grids and trees of these sizes.
BENCH_GRAPH_SIZES ?= 100 1000
# A chain of this many routers over 4 simulated hosts (root and sshd), and on one.
BENCH_MH_NODES ?= 2000
bench: deps
	$(MAKE) $(BIN) $(BUILD)/bench/udpgen $(BUILD)/bench/floor
	VNETLAB=./$(BIN) FLOOR=$(BUILD)/bench/floor sh bench/scale.sh "$(BENCH_SIZES)" $(BENCH_ROUNDS)
	VNETLAB=./$(BIN) UDPGEN=$(BUILD)/bench/udpgen sh bench/pipe.sh $(BENCH_ROUNDS)
	VNETLAB=./$(BIN) sh bench/frr.sh $(BENCH_FRR_ROUTERS) $(BENCH_ROUNDS)
	VNETLAB=./$(BIN) sh bench/graph.sh "$(BENCH_GRAPH_SIZES)" $(BENCH_ROUNDS)
	VNETLAB=./$(BIN) sh bench/multihost.sh $(BENCH_MH_NODES) $(BENCH_ROUNDS)
	@if [ "$$(id -u)" = 0 ]; then \
		VNETLAB=./$(BIN) UDPGEN=$(BUILD)/bench/udpgen sh bench/dataplane.sh $(BENCH_ROUNDS); \
	else echo "bench/dataplane.sh: needs root (its by-hand chain uses ip netns); skipped"; fi

# Fuzzing (clang's libFuzzer with ASan+UBSan), FUZZ_TIME seconds per
# target: fuzz_topo over the topology loader, fuzz_verbs over the FreeBSD
# verbs' model and live link edits.  `make fuzz FUZZ_TIME=1800` for a long
# run; findings land in build-fuzz/.
FUZZ_TIME ?= 120
FUZZ_CC   ?= clang
FUZZ_CFLAGS := -O1 -g -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
	       -DVL_LINUX=0 -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror \
	       -Wno-missing-field-initializers -Iinclude -Isrc $(PKG_CFLAGS)
# The fuzzers link their own libvnetlab.a: the portable subset built by
# clang with coverage (fuzzer-no-link: libFuzzer's main comes at the link).
FUZZ_LIB  := $(CORE_SRC) src/runtime/lab.c src/runtime/statefile.c src/runtime/privs.c
FUZZ_OBJ  := $(FUZZ_LIB:%.c=build-fuzz/lib/%.o)
FUZZ_DEPS := build-fuzz/libvnetlab.a $(wildcard include/vnetlab/*.h src/*.h src/vimage/*.h tests/fuzz/*.h)
build-fuzz/lib/%.o: %.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(subst -fsanitize=fuzzer$(comma),-fsanitize=fuzzer-no-link$(comma),$(FUZZ_CFLAGS)) \
		-MMD -MP -c -o $@ $<
build-fuzz/libvnetlab.a: $(FUZZ_OBJ)
	@rm -f $@
	$(AR) rcs $@ $^
build-fuzz/fuzz_topo: tests/fuzz/one_input.c tests/fuzz/fuzz_topo.c $(FUZZ_DEPS)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -o $@ $(filter %.c %.a,$^) $(PKG_LIBS) -lm -pthread
build-fuzz/fuzz_clab: tests/fuzz/clab_input.c tests/fuzz/fuzz_clab.c $(FUZZ_DEPS)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -o $@ $(filter %.c %.a,$^) $(PKG_LIBS) -lm -pthread
build-fuzz/fuzz_verbs: tests/fuzz/verbs_input.c tests/fuzz/fuzz_verbs.c $(FUZZ_DEPS)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -o $@ $(filter %.c %.a,$^) $(PKG_LIBS) -lm -pthread
build-fuzz/fuzz_imunes: tests/fuzz/fuzz_imunes.c $(FUZZ_DEPS)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -o $@ $(filter %.c %.a,$^) $(PKG_LIBS) -lm -pthread
fuzz:
	@sh scripts/deps.sh fuzz
	$(MAKE) build-fuzz/fuzz_topo build-fuzz/fuzz_verbs build-fuzz/fuzz_clab build-fuzz/fuzz_imunes
	sh scripts/fuzz.sh build-fuzz/fuzz_topo $(FUZZ_TIME) tests/fuzz/topo.dict \
		topologies tests/data/bad tests/fuzz/regress
	sh scripts/fuzz.sh build-fuzz/fuzz_verbs $(FUZZ_TIME) tests/fuzz/verbs.dict \
		tests/fuzz/verbs-seeds tests/fuzz/verbs-regress
	sh scripts/fuzz.sh build-fuzz/fuzz_clab $(FUZZ_TIME) tests/fuzz/clab.dict \
		tests/data/clab tests/data/clab/bad tests/fuzz/clab-regress
	sh scripts/fuzz.sh build-fuzz/fuzz_imunes $(FUZZ_TIME) tests/fuzz/imunes.dict \
		tests/data/imunes tests/fuzz/imunes-regress

# Soak: SOAK_CYCLES up/down cycles (root and rootless when run as root)
# under the ASan build must leave every count as it was; see tests/soak.
SOAK_CYCLES ?= 200
soak: deps
	$(MAKE) $(BIN)
	$(MAKE) SANITIZE=1 build-san/vnetlab
	VNETLAB=./$(BIN) VNETLAB_SAN=build-san/vnetlab sh tests/soak/soak.sh $(SOAK_CYCLES)

install: $(BIN) $(LIBS)
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/vnetlab/topologies \
		$(DESTDIR)$(PREFIX)/share/doc/vnetlab
	install -m 0755 $(BIN) $(DESTDIR)$(PREFIX)/bin/vnetlab
	install -m 0644 topologies/*.yaml $(DESTDIR)$(PREFIX)/share/vnetlab/topologies/
	install -m 0644 docs/topology.schema.json docs/*.md $(DESTDIR)$(PREFIX)/share/doc/vnetlab/
	install -d $(DESTDIR)$(PREFIX)/share/man/man1 $(DESTDIR)$(PREFIX)/share/man/man5 \
		$(DESTDIR)$(PREFIX)/share/bash-completion/completions \
		$(DESTDIR)$(PREFIX)/share/zsh/site-functions
	install -m 0644 man/vnetlab.1 $(DESTDIR)$(PREFIX)/share/man/man1/
	install -m 0644 man/vnetlab-topology.5 $(DESTDIR)$(PREFIX)/share/man/man5/
	install -m 0644 completion/vnetlab.bash \
		$(DESTDIR)$(PREFIX)/share/bash-completion/completions/vnetlab
	install -m 0644 completion/_vnetlab $(DESTDIR)$(PREFIX)/share/zsh/site-functions/_vnetlab
	install -d $(DESTDIR)$(LIBDIR) $(DESTDIR)$(PKGCONFIGDIR) $(DESTDIR)$(INCLUDEDIR)/vnetlab
	install -m 0644 $(LIB_A) $(DESTDIR)$(LIBDIR)/
ifneq ($(PORTABLE),1)
	install -m 0755 $(LIB_SO) $(DESTDIR)$(LIBDIR)/
	ln -sf $(notdir $(LIB_SO)) $(DESTDIR)$(LIBDIR)/$(SONAME)
	ln -sf $(SONAME) $(DESTDIR)$(LIBDIR)/libvnetlab.so
endif
	install -m 0644 $(filter-out include/vnetlab/web.h,$(wildcard include/vnetlab/*.h)) \
		$(DESTDIR)$(INCLUDEDIR)/vnetlab/
	sed -e 's|@PREFIX@|$(PREFIX)|; s|@LIBDIR@|$(LIBDIR)|; s|@INCLUDEDIR@|$(INCLUDEDIR)|' \
	    -e 's|@VERSION@|$(VERSION)|; s|@REQUIRES_PRIVATE@|$(filter-out json-c,$(PKGS))|' \
	    vnetlab.pc.in > $(DESTDIR)$(PKGCONFIGDIR)/vnetlab.pc

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/vnetlab
	rm -rf $(DESTDIR)$(PREFIX)/share/vnetlab $(DESTDIR)$(PREFIX)/share/doc/vnetlab
	rm -f $(DESTDIR)$(PREFIX)/share/man/man1/vnetlab.1 \
		$(DESTDIR)$(PREFIX)/share/man/man5/vnetlab-topology.5 \
		$(DESTDIR)$(PREFIX)/share/bash-completion/completions/vnetlab \
		$(DESTDIR)$(PREFIX)/share/zsh/site-functions/_vnetlab
	rm -f $(DESTDIR)$(LIBDIR)/libvnetlab.a $(DESTDIR)$(LIBDIR)/libvnetlab.so* \
		$(DESTDIR)$(PKGCONFIGDIR)/vnetlab.pc
	rm -rf $(DESTDIR)$(INCLUDEDIR)/vnetlab

clean:
	rm -rf build build-san build-portable build-portable-san build-fuzz $(BIN)

-include $(shell find $(BUILD) build-fuzz/lib -name '*.d' 2>/dev/null)
