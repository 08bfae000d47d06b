# indexer/indexer.mk -- indexer sources added since the Makefile's list
# (included before LIB_OBJ is made from IX_SRC).
IX_SRC += indexer/ix_merge.c
