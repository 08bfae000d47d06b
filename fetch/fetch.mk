# fetch/fetch.mk -- akkoord-fetch (fetch/): decisions from the search API of
# beslissingenvlaamseregering.vlaanderen.be, with libcurl and jansson.
# Included from the top-level Makefile.
FX_SRC  := fetch/fx_plan.c fetch/fx_url.c fetch/fx_http.c fetch/fx_resume.c \
           fetch/fx_fetch.c
FX_OBJ  := $(call obj_of,$(FX_SRC)) $(OBJ)/corpus/cp_date.o
FX_LIBS := $(shell pkg-config --libs libcurl jansson)
BINS    += $(O)/akkoord-fetch
# BINS was read by these rules before this fragment: name the binary again.
all cli test-run valgrind-run: $(O)/akkoord-fetch
.PHONY: clean-fetch
clean: clean-fetch
clean-fetch:
	rm -f akkoord-fetch

$(FX_OBJ) $(call obj_of,fetch/main.c) $(OBJ)/tests/unit/test_fetch.o: ALL_CFLAGS += $(shell pkg-config --cflags libcurl)

$(O)/akkoord-fetch: $(call obj_of,fetch/main.c) $(FX_OBJ)
	$(CC) $(SAN) $^ $(FX_LIBS) -o $@

# The unit test links the fetch layer and libcurl besides the library.
$(OBJ)/tests/test_fetch: $(FX_OBJ)
$(OBJ)/tests/test_fetch: LIBS += $(FX_LIBS)
