# site/site.mk -- site/: the website of a snapshot (site/st.h), built in
# memory from every section's evaluation and written to a directory or
# served (serve/).  Included from the top-level Makefile.
ST_SRC := site/st_build.c site/st_write.c
