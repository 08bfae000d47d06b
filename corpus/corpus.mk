# corpus/corpus.mk -- the API item reader's part of the build (included
# from the Makefile before LIB_OBJ is made from CORPUS_SRC): libxml2 for
# htmlContent.
CORPUS_SRC   += corpus/cp_valvas.c
ALL_CFLAGS   += $(shell pkg-config --cflags libxml-2.0)
LIBS         += $(shell pkg-config --libs libxml-2.0)
