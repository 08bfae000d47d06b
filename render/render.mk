# render/render.mk -- render/: the escaping modules (render/rd.h), one per
# language akkoord-query writes.  Included from the top-level Makefile
# before LIB_OBJ is made; its objects go into every binary that links
# LIB_OBJ.
RD_SRC := render/rd_esc_md.c render/rd_esc_html.c render/rd_esc_csv.c \
          render/rd_esc_json.c render/rd_esc_text.c
