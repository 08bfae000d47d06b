/*
 * fuzz_query.c -- libFuzzer target for user queries (shim/xs.h, query/qy.h).
 *
 * Owns: a tiny snapshot built once per process (ix_build over a handful of
 * decisions and sections in a temp dir) and, per input, the whole search
 * path: qy_search (xs_query_parse, xs_search, snippets) with rendering in
 * every format, then xs_query_parse with OR as default operator, a date
 * sorted xs_search and xs_mset_snippet directly.
 * Input: line 1 is the query; optional lines 2 and 3 are --since/--until.
 * Never: writes outside its temp dir (removed at exit).
 */
#ifndef _XOPEN_SOURCE
#define _XOPEN_SOURCE 700       /* nftw */
#endif

#include <ftw.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../query/qy.h"
#include "fz.h"


static const char decisions[] =
    "{\"id\": \"D1\", \"date\": \"2019-11-29\", \"kind\": \"nota\", "
    "\"title\": \"Conceptnota Vlaanderen Radicaal Digitaal\", \"text\": "
    "\"De Vlaamse Regering keurt het programma Vlaanderen Radicaal Digitaal "
    "goed. De digitalisering van de dienstverlening & <het> e-loket [link].\", "
    "\"url\": \"https://example.org/d1\"}\n"
    "{\"id\": \"D2\", \"date\": \"2021-02-05\", \"kind\": \"mededeling\", "
    "\"title\": \"Windmolens op zee\", \"text\": \"De minister neemt kennis "
    "van het windenergieplan. Windmolenparken en hernieuwbare energie "
    "worden uitgebreid.\"}\n"
    "{\"id\": \"D3\", \"kind\": \"besluit\", \"title\": \"Digitale inclusie "
    "en het burgerprofiel\", \"text\": \"Voorontwerp van decreet over "
    "digitale inclusie, principi\\u00eble goedkeuring. Caf\\u00e9 "
    "na\\u00efef \\u00e9\\u00e9n.\"}\n"
    "{\"id\": \"D4\", \"date\": \"2023-06-30\", \"title\": \"Onderwijs\", "
    "\"text\": \"Leerlingen, leerkrachten en scholen; schoolgebouwen "
    "worden gerenoveerd. Bekrachtiging en afkondiging.\"}\n";

static const char agreement[] =
    "{\"id\": \"voorbeeld/1.1\", \"chapter\": \"Voorbeeld\", "
    "\"chapter_number\": 1, \"number\": \"1.1\", \"title\": \"Digitale "
    "overheid\", \"path\": [\"1 Voorbeeld\", \"1.1 Digitale overheid\"], "
    "\"text\": \"We zetten de digi-talisering van de overheid verder. We "
    "bouwen een centraal e-loket.\"}\n";

static char dir[64];
static ix_snapshot *snap;
static FILE *devnull;

static int rm_one(const char *p, const struct stat *sb, int flag,
                  struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    remove(p);
    return 0;
}

static void cleanup(void)
{
    ix_snapshot_close(snap);
    snap = NULL;
    if (devnull)
        fclose(devnull);
    nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

static char *write_file(const char *name, const char *s)
{
    size_t n = strlen(dir) + strlen(name) + 2;
    char *p = malloc(n);
    FILE *f;

    CHECK(p != NULL);
    snprintf(p, n, "%s/%s", dir, name);
    f = fopen(p, "wb");
    CHECK(f != NULL);
    CHECK(fputs(s, f) >= 0);
    CHECK(fclose(f) == 0);
    return p;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    const char *tmp = getenv("TMPDIR");
    char *dec, *agr, *out;
    const char *corpus[1];
    ix_build_opts o = {0};
    ix_build_result res;
    xs_err err = {0};
    xs_status st;

    (void)argc;
    (void)argv;
    snprintf(dir, sizeof dir, "%s/akkoord-fuzz-XXXXXX",
             tmp && *tmp && strlen(tmp) < 32 ? tmp : "/tmp");
    CHECK(mkdtemp(dir) != NULL);
    atexit(cleanup);
    dec = write_file("decisions.jsonl", decisions);
    agr = write_file("agreement.jsonl", agreement);
    out = write_file("db.tmp", "");
    remove(out);
    corpus[0] = dec;
    o.out_dir = out;
    o.agreement = agr;
    o.corpus = corpus;
    o.ncorpus = 1;
    st = ix_build(&o, &res, &err);
    if (st == XS_OK)
        st = ix_snapshot_open(out, &snap, &err);
    if (st != XS_OK) {
        fprintf(stderr, "fuzz_query: cannot build the index: %s\n",
                err.msg ? err.msg : xs_status_str(st));
        cleanup();              /* abort() skips atexit */
        abort();
    }
    CHECK(res.decisions == 4 && res.sections == 1);
    devnull = fopen("/dev/null", "w");
    CHECK(devnull != NULL);
    free(dec);
    free(agr);
    free(out);
    return 0;
}

/* The qy layer: what `akkoord-query search` does. */
static void via_qy(const char *query, const char *since, const char *until)
{
    qy_search_opts o = {.query = query, .since = since, .until = until,
                        .limit = 10};
    qy_style style = {.color = 1, .width = 60};
    qy_hits *h = NULL;
    xs_err err = {0};
    xs_status st;

    for (int sort = 0; sort < 3; sort++) {
        o.sort = (qy_sort)sort;
        o.offset = (unsigned)sort;
        o.collapse = sort == 1;
        o.include_undated = sort == 2;
        o.facets = sort ? 1u << QY_FACET_YEAR | 1u << QY_FACET_DOSSIER : 0;
        st = qy_search(snap, &o, &h, &err);
        if (st != XS_OK) {
            CHECK(h == NULL);
            CHECK(st == XS_BAD_QUERY || st == XS_INVALID);
            CHECK(err.msg != NULL);
            xs_err_clear(&err);
            continue;
        }
        CHECK(h != NULL && h->n <= o.limit);
        for (size_t i = 0; i < h->n; i++) {
            CHECK(h->hits[i].snippet != NULL);
            CHECK(h->hits[i].rank == o.offset + i + 1);
        }
        CHECK(qy_print_hits(devnull, h, QY_TEXT, &style) == 0);
        CHECK(qy_print_hits(devnull, h, QY_JSON, &style) == 0);
        CHECK(qy_print_hits(devnull, h, QY_MD, &style) == 0);
        qy_hits_free(h);
        h = NULL;
    }
}

/* The shim directly: OR default, sort by date, HTML-ish highlights, and
 * a snippet of the raw input itself (arbitrary bytes, invalid UTF-8). */
static void via_xs(const char *query, const char *raw, size_t rawlen)
{
    xs_parser_conf conf = *ix_parser_conf();
    xs_search_opts so = {.offset = 0, .limit = 5, .sort_slot = IX_SLOT_DATE};
    xs_query *q = NULL;
    xs_mset *m = NULL;
    xs_err err = {0};
    xs_status st;

    conf.default_or = 1;
    st = xs_query_parse(snap->decisions, snap->stem, &conf, query, &q, &err);
    if (st != XS_OK) {
        CHECK(q == NULL);
        xs_err_clear(&err);
        return;
    }
    free(xs_query_describe(q));
    st = xs_search(snap->decisions, q, &so, &m, &err);
    if (st == XS_OK) {
        CHECK(xs_mset_size(m) <= so.limit);
        for (unsigned i = 0; i < xs_mset_size(m); i++) {
            char *data = NULL, *snip;
            size_t len = 0;
            ix_field fl[IX_DEC_NFIELDS];

            CHECK(xs_db_data(snap->decisions, xs_mset_docid(m, i), &data,
                             &len, &err) == XS_OK);
            CHECK(ix_data_decode(data, len, fl, IX_DEC_NFIELDS, &err) ==
                  XS_OK);
            snip = xs_mset_snippet(m, snap->stem, fl[IX_DEC_TEXT].ptr,
                                   fl[IX_DEC_TEXT].len, 80, "<b>", "</b>");
            CHECK(snip != NULL);
            free(snip);
            free(data);
        }
        char *snip = xs_mset_snippet(m, snap->stem, raw, rawlen,
                                     rawlen % 97, "[", "]");
        CHECK(snip != NULL);
        free(snip);
    }
    xs_err_clear(&err);
    xs_mset_free(m);
    xs_query_free(q);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *buf, *raw, *lines[3] = {NULL, NULL, NULL};
    size_t n = 0;

    if (size > 4096)
        return 0;
    buf = malloc(size + 1);
    CHECK(buf != NULL);
    memcpy(buf, data, size);
    buf[size] = '\0';
    raw = malloc(size ? size : 1);   /* exact size: ASan sees overreads */
    CHECK(raw != NULL);
    memcpy(raw, data, size);
    for (char *p = buf; n < 3 && p;) {
        lines[n++] = p;
        p = strchr(p, '\n');
        if (p)
            *p++ = '\0';
    }
    via_qy(lines[0], lines[1], lines[2]);
    via_xs(lines[0], raw, size);
    free(raw);
    free(buf);
    return 0;
}
