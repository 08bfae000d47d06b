# serve/serve.mk -- serve/: akkoord-query serve, the site from memory and
# a search over HTTP (libmicrohttpd; serve/sv.h).  Included from the
# top-level Makefile.
SV_SRC := serve/sv_gen.c serve/sv_route.c serve/sv_http.c
