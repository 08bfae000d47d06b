# render/render.mk -- render/: the output formats of akkoord-query's
# reports behind one table (render/rd_render.h) and the escaping modules
# (render/rd.h), one per language it writes.  Included from the top-level
# Makefile before LIB_OBJ is made; its objects go into every binary that
# links LIB_OBJ.
RD_SRC := render/rd_esc_md.c render/rd_esc_html.c render/rd_esc_csv.c \
          render/rd_esc_json.c render/rd_esc_text.c render/rd_render.c \
          render/rd_tally.c render/rd_report_md.c render/rd_report_json.c \
          render/rd_report_csv.c render/rd_overview.c
RD_SRC += render/rd_html.c render/rd_site_section.c render/rd_site_pages.c \
          render/rd_site_decision.c render/rd_site_assets.c \
          render/rd_site_search.c
