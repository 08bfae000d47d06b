# akkoord -- one non-recursive Makefile for the whole tree.
#
#   make            build akkoord-index and akkoord-query
#   make test       unit tests (cmocka) and CLI integration tests
#   make demo       build, index ../shared/corpus (or corpus/sample), show off
#   make asan       build with AddressSanitizer+UBSan into build-asan/, run tests
#   make faultsim   fail each allocation in turn (ASan+UBSan, build-faultsim/)
#   make install    PREFIX=/usr/local DESTDIR=
#
# O=DIR puts objects and binaries under DIR (default: objects in obj/,
# binaries in the top folder).

O        ?= .
OBJ      := $(O)/obj
PREFIX   ?= /usr/local
DESTDIR  ?=
VERSION  := 0.1.0

CC       ?= cc
CXX      ?= c++
CFLAGS   ?= -O2 -g
CXXFLAGS ?= -O2 -g
WARN     := -Wall -Wextra -Werror
SAN      ?=

PKGS     := jansson zlib nettle libmicrohttpd
STEMVER  := $(shell dpkg-query -W -f='$${Version}' libstemmer0d 2>/dev/null || echo unknown)
DEFS     := -DAK_VERSION='"$(VERSION)"'
ALL_CFLAGS   := -std=c11 -D_POSIX_C_SOURCE=200809L $(WARN) $(DEFS) $(SAN) \
                $(shell pkg-config --cflags $(PKGS)) $(CFLAGS)
ALL_CXXFLAGS := -std=c++17 $(WARN) $(DEFS) -DAK_STEMMER_VERSION='"$(STEMVER)"' \
                $(SAN) $(shell xapian-config --cxxflags) $(CXXFLAGS)
LIBS     := $(shell xapian-config --libs) -lstemmer -pthread \
            $(shell pkg-config --libs $(PKGS)) -llinear -lm
TEST_LIBS := $(shell pkg-config --libs cmocka)

SHIM_SRC   := shim/xs_err.cc shim/xs_stem.cc shim/xs_doc.cc shim/xs_db.cc \
              shim/xs_compound.cc
CORPUS_SRC := corpus/cp_reader.c corpus/cp_sha256.c corpus/cp_date.c
IX_SRC     := indexer/ix_data.c indexer/ix_layout.c indexer/ix_doc.c indexer/ix_build.c \
              indexer/ix_shard.c indexer/ix_manifest.c \
              indexer/ix_fs.c indexer/ix_snapshot.c indexer/ix_files.c
QY_SRC     := query/qy_records.c query/qy_search.c query/qy_syntax.c \
              query/qy_out.c \
              query/qy_para.c query/qy_rank.c query/qy_eval.c \
              query/qy_batch.c query/qy_stage.c query/qy_model.c query/qy_feat.c \
              query/qy_overview.c query/qy_file.c query/qy_params.c query/qy_fix.c
include corpus/corpus.mk indexer/indexer.mk render/render.mk site/site.mk \
           serve/serve.mk
INDEX_MAIN := indexer/main.c
QUERY_MAIN := query/main.c

# Data files built into the binaries (tools/embed: bytes, length, SHA-256):
# the C symbol is the folder's prefix and the file's base name, '-' as '_'
# (shim/stem-overrides.tsv -> xs_stem_overrides).
EMBED_SRC  := shim/stem-overrides.tsv shim/word-variants.tsv query/stages.tsv \
              query/act-words.tsv query/commitment.model query/evidence.model
embed_sym   = $(if $(filter shim/%,$(1)),xs_,qy_)$(subst -,_,$(basename $(notdir $(1))))

obj_of = $(patsubst %.cc,$(OBJ)/%.o,$(patsubst %.c,$(OBJ)/%.o,$(1)))
# The Dutch stopwords of the search (xs_stopwords): Snowball's list, as
# Debian's liblingua-stopwords-perl ships it, one word per line.
STOPWORDS := $(OBJ)/gen/stopwords-nl.txt
EMBED_OBJ := $(patsubst %,$(OBJ)/gen/%.o,$(EMBED_SRC)) $(OBJ)/gen/stopwords.o
LIB_OBJ := $(call obj_of,$(SHIM_SRC) $(CORPUS_SRC) $(IX_SRC) $(QY_SRC) $(RD_SRC) \
                    $(ST_SRC) $(SV_SRC)) \
           $(EMBED_OBJ)

BINS := $(O)/akkoord-index $(O)/akkoord-query
include split/split.mk
UNIT_TESTS := $(patsubst tests/unit/%.c,$(OBJ)/tests/%,$(wildcard tests/unit/test_*.c))

.PHONY: all deps test test-run unit cli demo demo-run refresh refresh-run asan install clean
.SECONDARY:
all: $(BINS)

$(OBJ)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -MMD -MP -c $(abspath $<) -o $@

$(OBJ)/%.o: %.cc
	@mkdir -p $(dir $@)
	$(CXX) $(ALL_CXXFLAGS) -MMD -MP -c $< -o $@

# The embed tool runs on the build machine: no sanitizer flags.
$(OBJ)/tools/embed: tools/embed.c
	@mkdir -p $(dir $@)
	$(CC) -std=c11 $(WARN) -O2 $< $(shell pkg-config --cflags --libs nettle) -o $@

$(OBJ)/gen/%.c: % $(OBJ)/tools/embed
	@mkdir -p $(dir $@)
	$(OBJ)/tools/embed $(call embed_sym,$*) $< > $@.tmp && mv $@.tmp $@

$(STOPWORDS):
	@mkdir -p $(dir $@)
	perl -MLingua::StopWords=getStopWords -e \
	    'print map { "$$_\n" } sort keys %{getStopWords("nl", "UTF-8")}' \
	    > $@.tmp && mv $@.tmp $@

$(OBJ)/gen/stopwords.c: $(STOPWORDS) $(OBJ)/tools/embed
	$(OBJ)/tools/embed xs_stopwords $< > $@.tmp && mv $@.tmp $@

$(OBJ)/gen/%.o: $(OBJ)/gen/%.c
	$(CC) $(ALL_CFLAGS) -c $< -o $@

# The C++ compiler links, so the C++ runtime comes along for the shim.
$(O)/akkoord-index: $(call obj_of,$(INDEX_MAIN)) $(LIB_OBJ)
	$(CXX) $(SAN) $^ $(LIBS) -o $@

$(O)/akkoord-query: $(call obj_of,$(QUERY_MAIN)) $(LIB_OBJ)
	$(CXX) $(SAN) $^ $(LIBS) -o $@

$(OBJ)/tests/%: $(OBJ)/tests/unit/%.o $(OBJ)/tests/unit/tu.o $(LIB_OBJ)
	@mkdir -p $(dir $@)
	$(CXX) $(SAN) $^ $(LIBS) $(TEST_LIBS) -o $@

unit: $(UNIT_TESTS)
cli: $(BINS)

# test and demo first install missing Debian packages (.ci/deps), then
# build in a second make so that pkg-config sees them.
deps:
	@sh .ci/deps

test: deps
	@$(MAKE) --no-print-directory test-run

demo: deps
	@$(MAKE) --no-print-directory demo-run

test-run: $(BINS) $(UNIT_TESTS)
	@AKKOORD_BIN=$(abspath $(O)) AKKOORD_UNIT="$(abspath $(UNIT_TESTS))" \
	    sh tests/run.sh

# The main job: index the shared corpus (the extract, enriched by the API's
# items when they are there) or the sample, and show it off.
SHARED       ?= ../shared/corpus
demo-run: $(BINS)
	@if [ -f $(SHARED)/decisions.jsonl ]; then s=bestuurzaken/3.2.3; \
	   d=$(SHARED)/decisions.jsonl; a=$(SHARED)/agreement.jsonl; \
	   v=$(SHARED)/valvas-items.jsonl; [ -f $$v ] && d="$$d $$v"; \
	 else s=voorbeeld/1.1; \
	   d=corpus/sample/sample-decisions.jsonl; a=corpus/sample/sample-agreement.jsonl; \
	   echo "demo: $(SHARED) not found, using the illustrative corpus/sample"; fi; \
	 set -x; \
	 $(O)/akkoord-index -o demo.db --agreement $$a $$d && \
	 $(O)/akkoord-query -d demo.db sections --chapter $${s%%/*} | head -n 8 && \
	 $(O)/akkoord-query -d demo.db search -n 3 Vlaanderen Radicaal Digitaal && \
	 $(O)/akkoord-query -d demo.db search -n 3 --facets year,minister Oosterweel && \
	 $(O)/akkoord-query -d demo.db search -n 3 --sort date '"digitale inclusie" OR burgerprofiel OR digitalisering' && \
	 $(O)/akkoord-query -d demo.db evaluate $$s && \
	 $(O)/akkoord-query -d demo.db site -o demo-site && { set +x; \
	   echo "demo: the site is in demo-site/: open file://$(abspath demo-site)/index.html"; \
	   echo "demo: or serve it with search: $(O)/akkoord-query -d demo.db serve  (http://127.0.0.1:8080/)"; }

# The refresh path (needs the network): the decisions from the official
# search API (resumable: a re-run fetches only what is new), the agreement
# split from its PDF, one index of both, in $(REFRESH)/ (tools/refresh.sh).
REFRESH ?= data
PDF     ?= $(SHARED)/regeerakkoord-2019-2024.pdf
refresh: deps
	@$(MAKE) --no-print-directory refresh-run
refresh-run: $(BINS)
	@sh tools/refresh.sh $(O) $(REFRESH) $(PDF) $(FETCH_FLAGS)

asan: deps
	$(MAKE) O=build-asan CFLAGS="-O1 -g -fno-omit-frame-pointer" \
	    CXXFLAGS="-O1 -g -fno-omit-frame-pointer" \
	    SAN="-fsanitize=address,undefined -fno-sanitize-recover=all" test-run

install: $(BINS)
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 755 $(BINS) $(DESTDIR)$(PREFIX)/bin/
	install -m 644 docs/akkoord-index.1 docs/akkoord-query.1 docs/akkoord-fetch.1 \
	    $(DESTDIR)$(PREFIX)/share/man/man1/

clean:
	rm -rf obj build-asan build-faultsim tests/out akkoord-index akkoord-query demo.db demo-site

-include $(shell find $(OBJ) -name '*.d' 2>/dev/null)

# ---- bench (quality) ----
# bench/metrics.c is the measures library of akk-treceval (a trec_eval
# look-alike) and of its unit test; bench/quality runs the whole quality
# benchmark (see docs/ranking.md).
BENCH_OBJ := $(OBJ)/bench/metrics.o
TRECEVAL  := $(OBJ)/bench/akk-treceval
.PHONY: treceval quality
treceval: $(TRECEVAL)

$(TRECEVAL): $(OBJ)/bench/akk-treceval.o $(BENCH_OBJ)
	$(CC) $(SAN) $^ -lm -o $@

$(OBJ)/tests/test_metrics: $(BENCH_OBJ)

quality: $(BINS) $(TRECEVAL)
	sh bench/quality

# ---- bench (latency) ----
.PHONY: bench-tools
bench-tools: $(TRECEVAL) $(OBJ)/bench/search_latency

$(OBJ)/bench/search_latency: $(OBJ)/bench/search_latency.o $(LIB_OBJ)
	$(CXX) $(SAN) $^ $(LIBS) -o $@

# ---- fuzz ----
# libFuzzer targets in tests/fuzz/ (what each covers: tests/fuzz/README.md).
#   make fuzz [FUZZ_SECONDS=60]  build everything with clang, libFuzzer,
#                                ASan and UBSan into build-fuzz/, then run
#                                each target for FUZZ_SECONDS on a copy of
#                                its seeds (after replaying tests/fuzz/
#                                regress/); fails if any target crashes
#   make fuzz-clean              remove build-fuzz/
# fuzz-build is the inner step (run with O=build-fuzz by `make fuzz`).
FUZZ_SECONDS ?= 60
FUZZ_O       := build-fuzz
FUZZ_NAMES   := decisions agreement query para
FUZZ_SAN     := -fsanitize=fuzzer-no-link,address,undefined \
                -fno-sanitize-recover=all
FUZZ_FLAGS   := -O1 -g -fno-omit-frame-pointer
FUZZ_BINS    := $(patsubst %,$(O)/fuzz_%,$(FUZZ_NAMES))
.PHONY: fuzz fuzz-build fuzz-clean

fuzz-build: $(FUZZ_BINS)

$(FUZZ_BINS): $(O)/fuzz_%: $(OBJ)/tests/fuzz/fuzz_%.o $(OBJ)/tests/fuzz/fz.o $(LIB_OBJ)
	$(CXX) $(SAN) -fsanitize=fuzzer $^ $(LIBS) -o $@

fuzz:
	@AKKOORD_EXTRA_PKGS="clang libclang-rt-14-dev" sh .ci/deps
	@$(MAKE) --no-print-directory -f $(firstword $(MAKEFILE_LIST)) \
	    O=$(FUZZ_O) CC=clang CXX=clang++ CFLAGS="$(FUZZ_FLAGS)" \
	    CXXFLAGS="$(FUZZ_FLAGS)" SAN="$(FUZZ_SAN)" fuzz-build
	@fail=0; for t in $(FUZZ_NAMES); do \
	    c=$(FUZZ_O)/corpus/$$t; a=$(FUZZ_O)/artifacts/$$t; \
	    log=$(FUZZ_O)/fuzz_$$t.log; \
	    mkdir -p $$c $$a && cp tests/fuzz/corpus/$$t/* $$c/ || exit 1; \
	    if ls tests/fuzz/regress/$$t/* >/dev/null 2>&1; then \
	        if $(FUZZ_O)/fuzz_$$t tests/fuzz/regress/$$t/* \
	            >$(FUZZ_O)/regress_$$t.log 2>&1; then \
	            echo "fuzz: $$t regressions ok"; \
	        else \
	            fail=1; echo "fuzz: $$t regressions FAILED" \
	                "(log $(FUZZ_O)/regress_$$t.log)"; \
	            grep -E 'Running:|invariant failed|SUMMARY' \
	                $(FUZZ_O)/regress_$$t.log | head -n 10; \
	        fi; \
	    fi; \
	    echo "fuzz: $$t for $(FUZZ_SECONDS)s (log $$log)"; \
	    UBSAN_OPTIONS=print_stacktrace=1 $(FUZZ_O)/fuzz_$$t \
	        -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 \
	        -detect_leaks=1 -timeout=25 -artifact_prefix=$$a/ $$c \
	        >$$log 2>&1; rc=$$?; \
	    n=$$(grep -h 'stat::number_of_executed_units' $$log | \
	        sed 's/.*: *//'); \
	    if [ $$rc -eq 0 ]; then \
	        echo "fuzz: $$t ok, $${n:-?} executions"; \
	    else \
	        fail=1; echo "fuzz: $$t FAILED (exit $$rc), $${n:-?} executions;" \
	            "reproducer in $$a/"; \
	        grep -E 'ERROR|SUMMARY|invariant failed|Test unit written' \
	            $$log | head -n 20; \
	    fi; \
	done; exit $$fail

fuzz-clean:
	rm -rf $(FUZZ_O)

# ---- valgrind ----
# make valgrind: the normal build, then tests/run.sh with akkoord-index,
# akkoord-query and the unit tests run under valgrind memcheck through
# wrapper scripts in $(OBJ)/vg-bin/ (see tests/valgrind.sh).  Any memcheck
# error or definite leak fails the test.  AKKOORD_SKIP (default
# "T12 T34 T41 T42 T43": the kill and concurrency tests, the render test
# whose evaluate --all runs T31 already makes, and the damaged-index test
# with its thousands of runs) lists CLI tests to leave out.
.PHONY: valgrind valgrind-run
valgrind: deps
	@$(MAKE) --no-print-directory valgrind-run

valgrind-run: $(BINS) $(UNIT_TESTS)
	@sh tests/valgrind.sh $(O) $(OBJ)/vg-bin $(UNIT_TESTS)

# ---- bench (evidence) ----
# akk-stage prints akkoord's stage for decision ids (bench/evidence).
$(OBJ)/bench/akk-stage: $(OBJ)/bench/akk-stage.o $(LIB_OBJ)
	$(CXX) $(SAN) $^ $(LIBS) -o $@
bench-tools: $(OBJ)/bench/akk-stage $(OBJ)/bench/akk-train

# akk-train fits query/commitment.model and query/evidence.model on
# bench/judged (the judged set), on an index of the shared corpus.
$(OBJ)/bench/akk-train: $(OBJ)/bench/akk-train.o $(LIB_OBJ)
	$(CXX) $(SAN) $^ $(LIBS) -o $@

# make model: rebuild both models from bench/judged, deterministically
# (same judged files, corpus and code: the same bytes).
.PHONY: model
model: $(O)/akkoord-index $(OBJ)/bench/akk-train
	@d=$$(mktemp -d) && trap 'rm -rf "$$d"' EXIT && \
	 $(O)/akkoord-index -q -o $$d/db --agreement $(SHARED)/agreement.jsonl \
	     $(SHARED)/decisions.jsonl && \
	 $(OBJ)/bench/akk-train $$d/db bench/judged query

# ---- faultsim ----
# make faultsim: allocation-failure testing, after SQLite's faultsim.  The
# library is built with ASan+UBSan into $(FAULTSIM_O)/ (like make asan) and
# linked into $(FAULTSIM_O)/faultsim/akkoord-{index,query} with the hook of
# tests/faultsim/ (test scaffolding: ld --wrap of the allocation functions
# below, jansson's allocator, a replacement C++ operator new), which fails
# the Nth allocation given by AKKOORD_FAULT_N.  tests/cli/T45-faultsim.sh
# then fails every allocation of a small build and queries in turn, or
# every FAULTSIM_STRIDE-th (auto: the smallest stride that makes at most
# FAULTSIM_MAX_RUNS runs; 10000 take about 5 minutes on 2 cores), and
# checks that each run ends with a documented exit code and a message, no
# sanitizer finding or leak, and the old index intact.  See
# tests/faultsim/README.md.  faultsim-build is the inner step (run with
# O=$(FAULTSIM_O)).  CI runs make faultsim after make asan.
FAULTSIM_O      ?= build-faultsim
FAULTSIM_STRIDE ?= auto
FAULTSIM_MAX_RUNS ?= 10000
FAULTSIM_WRAP   := malloc calloc realloc strdup strndup open_memstream \
                   fopen gzdopen json_loadb json_loadfd json_load_file \
                   _ZN6Xapian16WritableDatabase6commitEv
comma           := ,
FAULTSIM_LD     := $(patsubst %,-Wl$(comma)--wrap=%,$(FAULTSIM_WRAP))
FAULTSIM_OBJ    := $(OBJ)/tests/faultsim/faultsim.o \
                   $(OBJ)/tests/faultsim/faultsim_new.o
.PHONY: faultsim faultsim-build
faultsim-build: $(O)/faultsim/akkoord-index $(O)/faultsim/akkoord-query

$(O)/faultsim/akkoord-index: $(call obj_of,$(INDEX_MAIN)) $(LIB_OBJ) $(FAULTSIM_OBJ)
	@mkdir -p $(dir $@)
	$(CXX) $(SAN) $(FAULTSIM_LD) $^ $(LIBS) -o $@

$(O)/faultsim/akkoord-query: $(call obj_of,$(QUERY_MAIN)) $(LIB_OBJ) $(FAULTSIM_OBJ)
	@mkdir -p $(dir $@)
	$(CXX) $(SAN) $(FAULTSIM_LD) $^ $(LIBS) -o $@

faultsim: deps
	@$(MAKE) --no-print-directory -f $(firstword $(MAKEFILE_LIST)) \
	    O=$(FAULTSIM_O) CFLAGS="-O1 -g -fno-omit-frame-pointer" \
	    CXXFLAGS="-O1 -g -fno-omit-frame-pointer" \
	    SAN="-fsanitize=address,undefined -fno-sanitize-recover=all" \
	    faultsim-build
	@AKKOORD_BIN=$(abspath $(FAULTSIM_O))/faultsim \
	    FAULTSIM_STRIDE=$(FAULTSIM_STRIDE) FAULTSIM_MAX_RUNS=$(FAULTSIM_MAX_RUNS) \
	    sh tests/cli/T45-faultsim.sh

# ---- fetch ----
include fetch/fetch.mk
