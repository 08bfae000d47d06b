/*
 * ix_manifest.c -- what a snapshot says about itself: manifest.json.
 *
 * Owns: per-input accounting (sha256, records, skipped lines, duplicate
 * ids), the manifest document and the snapshot id, progress reporting.
 * Never: writes outside the build's scratch directory.
 *
 * manifest.json (pretty-printed, keys in this order):
 *   | key        | what                                                   |
 *   |------------|--------------------------------------------------------|
 *   | format     | "akkoord-manifest/1"                                   |
 *   | versions   | akkoord, xapian, stemmer, index format                 |
 *   | parameters | index-time parameters (title_wdf, compounds, ...)      |
 *   | inputs     | [{role, path, sha256, format (extract, valvas), bytes, |
 *   |            |   records, skipped, duplicates, merged (records met by |
 *   |            |   one of the other source), skipped_lines[],           |
 *   |            |   duplicate_ids[]}]                                    |
 *   | counts     | decisions, sections, skipped, duplicates, merged       |
 *   | dates      | first, last, unknown (decisions without a date)        |
 *   | merge      | the rule that merges an extract record and an API item |
 *   |            | with the same id: {field: valvas|extract|longer}       |
 *   | snapshot   | the snapshot id that reports cite: sha256 (hex) of the |
 *   |            | keys above without the input paths, so the same data, |
 *   |            | versions and parameters give the same id anywhere      |
 *   | built      | at (UTC, ISO 8601), seconds                            |
 *   | files      | bytes and crc32 of every file of the snapshot          |
 *   |            | (ix_files.c; not in the id: Xapian's files hold a      |
 *   |            | random uuid)                                           |
 */
#include "ix-int.h"

#include <nettle/sha2.h>

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

char *ix_strfmt(const char *fmt, ...)
{
    va_list ap, ap2;
    va_start(ap, fmt);
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    char *s = n < 0 ? NULL : malloc((size_t)n + 1);
    if (s)
        vsnprintf(s, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return s;
}

double ix_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void input_free(ix_input *in)
{
    if (!in)
        return;
    free(in->path);
    json_decref(in->skipped_list);
    json_decref(in->duplicate_list);
    free(in);
}

void ix_build_release(ix_builder *b)
{
    for (size_t i = 0; i < b->ninputs; i++)
        input_free(b->inputs[i]);
    free(b->inputs);
    b->inputs = NULL;
    b->ninputs = 0;
}

xs_status ix_input_new(ix_builder *b, const char *path, const char *role,
                       ix_input **out, xs_err *err)
{
    *out = NULL;
    ix_input *in = calloc(1, sizeof *in);
    ix_input **grown = realloc(b->inputs, (b->ninputs + 1) * sizeof *grown);
    if (grown)
        b->inputs = grown;
    if (!in || !grown || !(in->path = strdup(path)) ||
        !(in->skipped_list = json_array()) ||
        !(in->duplicate_list = json_array())) {
        input_free(in);
        return xs_err_set(err, XS_NOMEM, "out of memory");
    }
    in->role = role;
    b->inputs[b->ninputs++] = in;
    *out = in;
    return XS_OK;
}

/* The manifest pins the bytes the reader read and hashed in its one pass
 * (a pipe can be read only once; a file may change while it is read). */
xs_status ix_input_note_read(ix_input *in, const cp_reader *r, xs_err *err)
{
    const char *hex = cp_reader_sha256(r);
    if (!hex)
        return xs_err_set(err, XS_IO, "%s: not read to its end", in->path);
    memcpy(in->sha256, hex, sizeof in->sha256);
    in->bytes = cp_reader_offset(r);
    return XS_OK;
}

static xs_status list_note(json_t *list, const char *s, xs_err *err)
{
    if (json_array_size(list) >= IX_LIST_MAX)
        return XS_OK;
    if (json_array_append_new(list, json_string(s)) != 0)
        return xs_err_set(err, XS_NOMEM, "out of memory");
    return XS_OK;
}

xs_status ix_input_note_skipped(ix_input *in, const char *msg, xs_err *err)
{
    in->skipped++;
    return list_note(in->skipped_list, msg, err);
}

void ix_input_note_merged(ix_input *in)
{
    in->merged++;
}

xs_status ix_input_note_duplicate(ix_input *in, const char *id, xs_err *err)
{
    in->duplicates++;
    return list_note(in->duplicate_list, id, err);
}

/* ------------------------------------------------------------ progress */

void ix_progress(ix_builder *b, const cp_reader *r, const ix_input *in)
{
    if (!b->o->progress || (in->records & 255) != 0)
        return;
    double now = ix_now();
    if (!b->t_start)
        b->t_start = now;
    if (now - b->t_progress < 0.25)
        return;
    b->t_progress = now;
    unsigned long long size = cp_reader_size(r);
    double frac = size ? (double)cp_reader_offset(r) / (double)size : 0;
    double rate = now > b->t_start ? in->records / (now - b->t_start) : 0;
    b->o->progress(b->o->ctx, in->path, in->records, frac, rate, 0);
}

void ix_progress_end(ix_builder *b, const cp_reader *r, const ix_input *in)
{
    (void)r;
    if (b->o->progress && b->t_progress > 0)
        b->o->progress(b->o->ctx, in->path, in->records, 1.0, 0, 1);
    b->t_progress = 0;
    b->t_start = 0;
}

/* ------------------------------------------------------------ manifest */

static json_t *input_json(const ix_input *in)
{
    return json_pack("{s:s, s:s, s:s, s:s?, s:I, s:I, s:I, s:I, s:I, s:O, "
                     "s:O}",
                     "role", in->role, "path", in->path, "sha256", in->sha256,
                     "format", in->format,
                     "bytes", (json_int_t)in->bytes,
                     "records", (json_int_t)in->records,
                     "skipped", (json_int_t)in->skipped,
                     "duplicates", (json_int_t)in->duplicates,
                     "merged", (json_int_t)in->merged,
                     "skipped_lines", in->skipped_list,
                     "duplicate_ids", in->duplicate_list);
}

/* Totals over the inputs into b. */
static void count_totals(ix_builder *b)
{
    b->decisions = b->sections = b->skipped = b->duplicates = b->merged = 0;
    for (size_t i = 0; i < b->ninputs; i++) {
        const ix_input *in = b->inputs[i];
        unsigned long distinct = in->records - in->duplicates - in->merged;
        if (!strcmp(in->role, "agreement"))
            b->sections += distinct;
        else
            b->decisions += distinct;
        b->skipped += in->skipped;
        b->duplicates += in->duplicates;
        b->merged += in->merged;
    }
}

static json_t *manifest_body(ix_builder *b)
{
    json_t *inputs = json_array();
    for (size_t i = 0; inputs && i < b->ninputs; i++)
        if (json_array_append_new(inputs, input_json(b->inputs[i])) != 0) {
            json_decref(inputs);
            return NULL;
        }
    count_totals(b);
    json_t *merge = ix_merge_rule_json();
    if (!merge) {
        json_decref(inputs);
        return NULL;
    }
    return json_pack(
        "{s:s, s:{s:s, s:s, s:s, s:s}, s:{s:i, s:s, s:s, s:b}, s:o,"
        " s:{s:I, s:I, s:I, s:I, s:I}, s:{s:s?, s:s?, s:I}, s:o}",
        "format", "akkoord-manifest/1",
        "versions", "akkoord", AK_VERSION, "xapian", xs_xapian_version(),
        "stemmer", xs_stem_name(), "index_format", IX_FORMAT,
        "parameters", "title_wdf", IX_TITLE_WDF, "stem_strategy",
        "all-z-positions", "compounds",
        b->o->no_split ? "none" : "koehn-knight-2003/parts-indexed",
        "skip_bad", b->o->skip_bad,
        "inputs", inputs,
        "counts", "decisions", (json_int_t)b->decisions,
        "sections", (json_int_t)b->sections,
        "skipped", (json_int_t)b->skipped,
        "duplicates", (json_int_t)b->duplicates,
        "merged", (json_int_t)b->merged,
        "dates", "first", b->date_min[0] ? b->date_min : NULL,
        "last", b->date_max[0] ? b->date_max : NULL,
        "unknown", (json_int_t)b->undated,
        "merge", merge);
}

/* json_dumps, except that it fails when any write of the dump fails:
 * jansson 2.14 ignores a failed write of an object key (do_dump calls
 * dump_string without looking at its result), so json_dumps drops the
 * key from the text when its buffer cannot grow (faultsim).  The text is
 * malloc'd; NULL when out of memory. */
typedef struct dump_buf {
    char *p;
    size_t len, cap;
    int failed;
} dump_buf;

static int dump_append(const char *s, size_t n, void *ctx)
{
    dump_buf *b = ctx;
    if (!b->failed && b->len + n >= b->cap) {
        size_t cap = b->cap ? 2 * b->cap : 4096;
        while (cap <= b->len + n)
            cap *= 2;
        char *p = realloc(b->p, cap);
        if (p) {
            b->p = p;
            b->cap = cap;
        } else {
            b->failed = 1;
        }
    }
    if (b->failed)
        return -1;
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
    return 0;
}

static char *dump_text(const json_t *j, size_t flags)
{
    dump_buf b = {0};
    if (json_dump_callback(j, dump_append, &b, flags) != 0 || b.failed ||
        !b.p) {
        free(b.p);
        return NULL;
    }
    return b.p;
}

int ix_manifest_id(const json_t *m, char hex[65])
{
    json_t *copy = json_deep_copy(m);
    json_t *in;
    size_t i;
    json_object_del(copy, "snapshot");
    json_object_del(copy, "built");
    json_object_del(copy, "files");
    json_array_foreach(json_object_get(copy, "inputs"), i, in)
        json_object_del(in, "path");
    char *dump = copy ? dump_text(copy, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
    json_decref(copy);
    if (!dump)
        return -1;
    struct sha256_ctx ctx;
    uint8_t dig[SHA256_DIGEST_SIZE];
    sha256_init(&ctx);
    sha256_update(&ctx, strlen(dump), (const uint8_t *)dump);
    sha256_digest(&ctx, sizeof dig, dig);
    free(dump);
    for (int i = 0; i < SHA256_DIGEST_SIZE; i++)
        snprintf(hex + 2 * i, 3, "%02x", dig[i]);
    return 0;
}

/* The manifest, with the files table of b->tmp (the databases are
 * complete and closed by now). */
static xs_status manifest_json(ix_builder *b, json_t **out, xs_err *err)
{
    json_t *body = manifest_body(b), *files = NULL;
    char id[65], at[32];
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(at, sizeof at, "%Y-%m-%dT%H:%M:%SZ", &tm);
    xs_status st = ix_files_json(b->tmp, &files, err);
    if (!st && (!body || ix_manifest_id(body, id) != 0 ||
                json_object_set_new(body, "snapshot", json_string(id)) != 0 ||
                json_object_set_new(body, "built",
                                    json_pack("{s:s, s:f}", "at", at,
                                              "seconds",
                                              ix_now() - b->t_begin)) != 0))
        st = xs_err_set(err, XS_NOMEM, "out of memory");
    if (st)
        json_decref(files);
    else if (json_object_set_new(body, "files", files) != 0) /* takes files */
        st = xs_err_set(err, XS_NOMEM, "out of memory");
    if (st) {
        json_decref(body);
        return st;
    }
    *out = body;
    return XS_OK;
}

static xs_status write_file_synced(const char *path, const char *text,
                                   xs_err *err)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return xs_err_set(err, errno == ENOMEM ? XS_NOMEM : XS_IO,
                          "cannot write '%s': %m", path);
    int bad = fputs(text, f) == EOF || fputc('\n', f) == EOF ||
              fflush(f) != 0 || fsync(fileno(f)) != 0;
    if (fclose(f) != 0 || bad)
        return xs_err_set(err, XS_IO, "cannot write '%s': %m", path);
    return XS_OK;
}

xs_status ix_manifest_write(ix_builder *b, xs_err *err)
{
    json_t *m = NULL;
    xs_status st = manifest_json(b, &m, err);
    char *text = m ? dump_text(m, JSON_INDENT(2)) : NULL;
    char *path = ix_strfmt("%s/manifest.json", b->tmp);
    if (!st)
        st = (text && path) ? write_file_synced(path, text, err)
                            : xs_err_set(err, XS_NOMEM, "out of memory");
    free(path);
    free(text);
    json_decref(m);
    return st;
}
