# split/split.mk -- akkoord-split (an agreement PDF to agreement JSON
# Lines, split/sp.h), with poppler's C API (poppler-glib) and jansson.
# Included from the top-level Makefile; honours $(O), $(OBJ), $(SAN) and
# $(ALL_CFLAGS) like its rules.
# Included before `all:` so that BINS has the binary when `all` and
# `test-run` are read; the default goal stays `all`.
.DEFAULT_GOAL := all
SP_PKGS    := poppler-glib
SP_CFLAGS  := $(shell pkg-config --cflags $(SP_PKGS))
SP_LIBS    := $(shell pkg-config --libs $(SP_PKGS) jansson) -lm
SP_SRC     := split/sp_layout.c split/sp_order.c split/sp_class.c split/sp_text.c \
              split/sp_sect.c split/sp_json.c split/sp_misc.c
SP_OBJ     := $(call obj_of,$(SP_SRC))
SPLIT_BIN  := $(O)/akkoord-split
BINS       += $(SPLIT_BIN)

$(SP_OBJ) $(OBJ)/split/main.o $(OBJ)/tests/unit/test_split.o: \
    ALL_CFLAGS += $(SP_CFLAGS)

$(SPLIT_BIN): $(OBJ)/split/main.o $(SP_OBJ)
	$(CC) $(SAN) $^ $(SP_LIBS) -o $@

# The unit test links split/ (not the Xapian library) and cmocka.
$(OBJ)/tests/test_split: $(OBJ)/tests/unit/test_split.o \
    $(OBJ)/tests/unit/tu.o $(SP_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(SAN) $^ $(SP_LIBS) $(TEST_LIBS) -o $@

.PHONY: clean-split install-split
clean: clean-split
clean-split:
	rm -f akkoord-split
install: install-split
install-split: $(SPLIT_BIN)
	install -d $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 644 docs/akkoord-split.1 $(DESTDIR)$(PREFIX)/share/man/man1/
