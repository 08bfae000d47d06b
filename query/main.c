/*
 * main.c -- akkoord-query: search, show, sections, rank and evaluate over
 * an akkoord snapshot.
 *
 * Owns: the command line of every subcommand, choosing output style from
 * the terminal, mapping statuses to the documented exit codes.
 * Never: does the work (query/qy_*.c do).
 */
#include "qy.h"
#include "qy-int.h"
#include "../render/rd_render.h"
#include "../serve/sv.h"

#include <errno.h>
#include <getopt.h>
#include <libgen.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

enum { EX_OK = 0, EX_NONE = 1, EX_USAGE = 2, EX_INDEX = 3, EX_FAIL = 4 };

static const char help_text[] =
    "usage: akkoord-query [-d DIR] COMMAND [options] [ARGS]\n"
    "\n"
    "Search the decisions of the Flemish Government and evaluate the\n"
    "coalition agreement against them, offline, from an akkoord index.\n"
    "\n"
    "commands:\n"
    "  search [options] QUERY...   ranked decisions matching QUERY\n"
    "      --since DATE, --until DATE   only decisions in this period\n"
    "                                   (YYYY-MM-DD, inclusive; how many\n"
    "                                   undated matches they leave out is\n"
    "                                   said on stderr)\n"
    "      --include-undated            date filters (--since, year:, ranges)\n"
    "                                   keep decisions without a date\n"
    "      -n, --limit N                at most N results (default 10)\n"
    "      --offset N                   skip the first N results\n"
    "      --sort relevance|date|date-asc  BM25 (default), newest or oldest\n"
    "                                   first (undated last)\n"
    "      --count                      print only the exact number of\n"
    "                                   matching decisions\n"
    "      --facets year,kind,dossier,minister,theme\n"
    "                                   counts per year / kind / top dossiers\n"
    "                                   / minister / theme (API items only)\n"
    "      --by year                    a table: matches per year\n"
    "      --collapse, --no-collapse    one result per dossier (default\n"
    "                                   in text output)\n"
    "      --sections                   search the agreement's sections\n"
    "      -f, --format text|json|md|csv|ids  (json: a header record\n"
    "                                   {\"search\": {query, total, ...}}\n"
    "                                   first, then one line per result)\n"
    "      --explain                    print the parsed query on stderr\n"
    "    query syntax: words (all must match; Dutch stopwords such as\n"
    "    'de', 'voor' do not count), \"a phrase\", OR, AND, NOT, +must,\n"
    "    -mustnot (only -words: every decision but those), (grouping),\n"
    "    title:WORD, kind:nota, year:2021, id:ID, minister:Weyts (a\n"
    "    minister's family name, case and accents ignored, spaces left\n"
    "    out: minister:vandenheuvel), theme:THEME-ID, =word (the word as\n"
    "    written, not its stem), stik* (words starting so, at most 200),\n"
    "    2021-01-01..2021-12-31 (date range).  Case and accents are\n"
    "    ignored; words match by their Dutch stem, and a word of 6 letters\n"
    "    or more also matches compounds starting with it (Oosterweel:\n"
    "    Oosterweelverbinding).  When no decision has all the words,\n"
    "    search falls back to any of them and says so; a misspelt word\n"
    "    gets a suggestion.  Options may follow the query; put '--'\n"
    "    before a query that starts with '-'.\n"
    "  show [-f FORMAT] ID         one decision, or agreement section, in full\n"
    "  show --cited-by ID          the sections whose ranking (top 100) or\n"
    "                              evaluation holds decision ID: 'SECTION\n"
    "                              RANK SENTENCES cited|related|ranked'\n"
    "  similar [-n N] [-f FORMAT] ID\n"
    "                              the decisions most like decision ID\n"
    "  sections [--chapter NAME] [-f FORMAT]\n"
    "                              the agreement's sections (id, title);\n"
    "                              NAME: a chapter's name or its start, any\n"
    "                              case and accents, or its id's slug\n"
    "  rank SECTION_ID|--all [-n N]\n"
    "                              decisions ranked for a section, as a TREC\n"
    "                              run: 'SECTION Q0 DECISION RANK SCORE akkoord'\n"
    "                              (default N 100; -f csv: section,rank,\n"
    "                              decision,score); --naive ranks with the\n"
    "                              raw section text as one QueryParser\n"
    "                              query (the baseline of bench/quality)\n"
    "  evaluate SECTION_ID [-f md|json|csv] [-o FILE]\n"
    "  evaluate --all -o DIR [-f md|json|csv]\n"
    "                              citation-backed evaluation: per sentence\n"
    "                              a verdict (uitgevoerd, in uitvoering, geen\n"
    "                              beslissing gevonden, niet toetsbaar) with\n"
    "                              the decisions that carry it out; --all\n"
    "                              writes one report per section and\n"
    "                              DIR/index.md (and index.json with -f json)\n"
    "      --corrections FILE          editorial corrections (TSV: section,\n"
    "                                  commitment, verdict, note, who, date;\n"
    "                                  docs/evaluation.md); a correction that\n"
    "                                  matches no sentence is reported\n"
    "  site -o DIR [--corrections FILE]\n"
    "                              the evaluation as a static website in DIR\n"
    "                              (docs/site.md): front page, a page per\n"
    "                              section and per cited decision, method\n"
    "                              page (written whole, then swapped in)\n"
    "  serve [--bind ADDR] [--port N] [--corrections FILE]\n"
    "                              the same pages from memory and /search,\n"
    "                              over HTTP on ADDR:N (127.0.0.1:8080; port\n"
    "                              0: a free one), read-only; a snapshot\n"
    "                              replaced by akkoord-index is picked up\n"
    "                              without a restart; stops on SIGINT/SIGTERM\n"
    "\n"
    "options:\n"
    "  -d, --db DIR    index directory (default: $AKKOORD_DB or ./akkoord.db)\n"
    "  --color=auto|always|never  colour (auto: a terminal, NO_COLOR unset)\n"
    "  -h, --help      show this help and exit\n"
    "  -V, --version   show the version and exit\n"
    "\n"
    "output: colour and bold only when stdout is a terminal and NO_COLOR is\n"
    "unset.\n"
    "\n"
    "environment: AKKOORD_DB (index directory), NO_COLOR, AKKOORD_THREADS\n"
    "(workers for --all; default: all cores), AKKOORD_PARAMS (ranking\n"
    "parameters for experiments, see docs/ranking.md).\n"
    "\n"
    "exit status:\n"
    "  0  results found / command done\n"
    "  1  no results, or the requested decision or section does not exist\n"
    "  2  usage error or malformed query\n"
    "  3  index missing, unreadable, damaged (corrupt), or built by an\n"
    "     incompatible version\n"
    "  4  other runtime failure (out of memory, write error)\n";

typedef struct cli {
    const char *db;
    qy_format fmt;
    qy_style style;
    int explain;
    int fmt_given;          /* -f was given (check_format) */
} cli;

/* Print "akkoord-query: " and the message on stderr, corpus text in it
 * with control characters escaped (rd_text_put), and a newline. */
static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void say(const char *fmt, ...)
{
    char buf[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    flockfile(stderr);      /* one line, even from two workers at once */
    fputs("akkoord-query: ", stderr);
    rd_text_put(stderr, buf);
    fputc('\n', stderr);
    funlockfile(stderr);
}

/* Print the error, clear err (its message is freed) and map st to an
 * exit code. */
static int fail(const char *what, xs_status st, xs_err *err)
{
    say("%s%s%s", what ? what : "", what ? ": " : "",
        err->msg ? err->msg : xs_status_str(st));
    xs_err_clear(err);
    switch (st) {
    case XS_NOT_FOUND: return EX_NONE;
    case XS_BAD_QUERY: case XS_INVALID: return EX_USAGE;
    case XS_VERSION: case XS_CORRUPT: case XS_IO: case XS_RETRY:
        return EX_INDEX;
    default: return EX_FAIL;
    }
}

/* An output (fmt with arg, as usage_error) could not be made: say why
 * (errno: ENOMEM when a printer ran out of memory, else the failed
 * write's) and give EX_FAIL. */
static int write_failed(const char *fmt, const char *arg)
    __attribute__((format(printf, 1, 0)));
static int write_failed(const char *fmt, const char *arg)
{
    int e = errno;
    char buf[1024];
    snprintf(buf, sizeof buf, fmt, arg);
    say("cannot write %s: %s", buf, strerror(e));
    return EX_FAIL;
}

static int out_of_memory(void)
{
    say("out of memory");
    return EX_FAIL;
}

static int usage_error(const char *fmt, const char *arg)
    __attribute__((format(printf, 1, 0)));
static int usage_error(const char *fmt, const char *arg)
{
    char buf[1024];
    snprintf(buf, sizeof buf, fmt, arg);
    say("%s; try 'akkoord-query --help'", buf);
    return EX_USAGE;
}

static int unencodable(const char *path, const char *what);
static int all_sections(const ix_snapshot *s, qy_section_job job, void *ctx,
                        qy_section_done done, void *dctx);

static int params_from_env(qy_params *p)
{
    char msg[512];
    if (!qy_params_env(p, msg, sizeof msg))
        return EX_OK;
    return usage_error("AKKOORD_PARAMS: %s", msg);
}

static const char *const format_names[] = {"text", "json", "md", "csv",
                                            "ids"};

static int parse_format(const char *s, qy_format *out)
{
    for (int i = 0; i <= QY_IDS; i++)
        if (!strcmp(s, format_names[i])) {
            *out = (qy_format)i;
            return 0;
        }
    if (strcmp(s, "markdown"))
        return -1;
    *out = QY_MD;
    return 0;
}

/* -f given to command cmd is one of the formats in mask (bits). */
static int check_format(const cli *c, const char *cmd, unsigned mask)
{
    if (!c->fmt_given || mask & 1u << c->fmt)
        return EX_OK;
    char list[64] = "";
    for (int i = 0; i <= QY_IDS; i++)
        if (mask & 1u << i)
            strcat(strcat(list, *list ? ", " : ""), format_names[i]);
    char msg[160];
    snprintf(msg, sizeof msg, "%s does not write -f %s (it writes %s)", cmd,
             format_names[c->fmt], list);
    return usage_error("%s", msg);
}

static int parse_uint(const char *s, unsigned *out)
{
    char *end;
    unsigned long v = strtoul(s, &end, 10);
    if (!*s || *end || *s == '-' || v > 1000000)
        return -1;
    *out = (unsigned)v;
    return 0;
}

static int open_snapshot(const cli *c, ix_snapshot **s)
{
    xs_err err = {0};
    xs_status st = ix_snapshot_open(c->db, s, &err);
    int rc = EX_OK;
    if (st) {
        say("%s",
                err.msg ? err.msg : xs_status_str(st));
        rc = st == XS_NOMEM ? EX_FAIL : EX_INDEX;
    }
    xs_err_clear(&err);
    return rc;
}

/* open_snapshot, with the tables that ranking needs loaded (for one
 * section; with --all each worker opens and loads its own). */
static int open_for_ranking(const cli *c, ix_snapshot **s)
{
    int rc = open_snapshot(c, s);
    xs_err err = {0};
    xs_status st = rc ? XS_OK : ix_snapshot_tables(*s, &err);
    if (st)
        rc = fail(NULL, st, &err);
    return rc;
}

/* Join argv[i..argc) with spaces (malloc'd). */
static char *join_args(int argc, char **argv, int i)
{
    size_t n = 1;
    for (int k = i; k < argc; k++)
        n += strlen(argv[k]) + 1;
    char *s = malloc(n);
    if (!s)
        return NULL;
    s[0] = '\0';
    for (int k = i; k < argc; k++) {
        if (k > i)
            strcat(s, " ");
        strcat(s, argv[k]);
    }
    return s;
}

/* Options every subcommand shares: -d, -f, -h. Returns 1 if handled. */
static int common_opt(int ch, cli *c, int *rc)
{
    switch (ch) {
    case 'd': c->db = optarg; return 1;
    case 'f':
        if (parse_format(optarg, &c->fmt))
            *rc = usage_error("unknown format '%s' (want text, json, md, "
                              "csv or ids)", optarg);
        c->fmt_given = 1;
        return 1;
    case 'L':
        if (!strcmp(optarg, "always") || !strcmp(optarg, "never"))
            c->style.color = optarg[0] == 'a';
        else if (!strcmp(optarg, "auto"))
            c->style.color = isatty(STDOUT_FILENO) &&
                             !(getenv("NO_COLOR") && *getenv("NO_COLOR"));
        else
            *rc = usage_error("bad --color '%s' (want auto, always or never)",
                              optarg);
        return 1;
    case 'h': fputs(help_text, stdout); *rc = -1; return 1;
    case '?': *rc = EX_USAGE; return 1;
    }
    return 0;
}

#define COMMON_LONGOPTS \
    {"db", required_argument, NULL, 'd'}, \
    {"format", required_argument, NULL, 'f'}, \
    {"color", required_argument, NULL, 'L'}, \
    {"help", no_argument, NULL, 'h'}

/* --facets year,kind,dossier into a mask of QY_FACET_* bits; -1 if a name is
 * unknown. */
static int parse_facets(const char *s, unsigned *out)
{
    *out = 0;
    while (*s) {
        size_t n = strcspn(s, ","), k = 0;
        while (k < QY_NFACETS && (strlen(qy_facet_name(k)) != n ||
                                  strncmp(qy_facet_name(k), s, n)))
            k++;
        if (k == QY_NFACETS)
            return -1;
        *out |= 1u << k;
        s += n + (s[n] == ',');
    }
    return *out ? 0 : -1;
}

typedef struct search_cli {
    qy_search_opts o;
    int count, by_year, collapse;   /* collapse: -1 default, 0 off, 1 on */
    int sections;                   /* search the agreement instead      */
} search_cli;

static int search_opt(int ch, search_cli *sc)
{
    qy_search_opts *o = &sc->o;
    switch (ch) {
    case 'S': o->since = optarg; return 0;
    case 'U': o->until = optarg; return 0;
    case 'I': o->include_undated = 1; return 0;
    case 'C': sc->count = 1; return 0;
    case 'A': sc->sections = 1; return 0;
    case 'K': sc->collapse = 1; return 0;
    case 'k': sc->collapse = 0; return 0;
    case 'n':
        return parse_uint(optarg, &o->limit)
                   ? usage_error("bad --limit '%s' (want a number)", optarg)
                   : 0;
    case 'O':
        return parse_uint(optarg, &o->offset)
                   ? usage_error("bad --offset '%s' (want a number)", optarg)
                   : 0;
    case 'F':
        return parse_facets(optarg, &o->facets)
                   ? usage_error("bad --facets '%s' (want names among year, "
                                 "kind, dossier, minister and theme, as in "
                                 "year,kind)", optarg)
                   : 0;
    case 'B':
        if (strcmp(optarg, "year"))
            return usage_error("bad --by '%s' (want year)", optarg);
        sc->by_year = 1;
        o->facets |= 1u << QY_FACET_YEAR;
        return 0;
    case 's':
        if (!strcmp(optarg, "relevance")) o->sort = QY_SORT_RELEVANCE;
        else if (!strcmp(optarg, "date")) o->sort = QY_SORT_DATE;
        else if (!strcmp(optarg, "date-asc")) o->sort = QY_SORT_DATE_ASC;
        else
            return usage_error("bad --sort '%s' (want relevance, date or "
                               "date-asc)", optarg);
        return 0;
    }
    return 0;
}

static int parse_search(int argc, char **argv, cli *c, search_cli *sc)
{
    static const struct option lo[] = {
        COMMON_LONGOPTS,
        {"since", required_argument, NULL, 'S'},
        {"until", required_argument, NULL, 'U'},
        {"include-undated", no_argument, NULL, 'I'},
        {"limit", required_argument, NULL, 'n'},
        {"offset", required_argument, NULL, 'O'},
        {"sort", required_argument, NULL, 's'},
        {"count", no_argument, NULL, 'C'},
        {"sections", no_argument, NULL, 'A'},
        {"facets", required_argument, NULL, 'F'},
        {"by", required_argument, NULL, 'B'},
        {"collapse", no_argument, NULL, 'K'},
        {"no-collapse", no_argument, NULL, 'k'},
        {"explain", no_argument, NULL, 'E'},
        {NULL, 0, NULL, 0}};
    int ch, rc = 0;
    while (!rc && (ch = getopt_long(argc, argv, "d:f:hn:", lo, NULL)) != -1) {
        if (common_opt(ch, c, &rc))
            continue;
        if (ch == 'E')
            c->explain = 1;
        else
            rc = search_opt(ch, sc);
    }
    if (!rc && optind >= argc)
        rc = usage_error("%s", "search needs a query");
    if (!rc)
        rc = check_format(c, "search", 1u << QY_TEXT | 1u << QY_JSON |
                                           1u << QY_MD | 1u << QY_CSV |
                                           1u << QY_IDS);
    /* one line per dossier: the default of text output only */
    sc->o.collapse = sc->collapse < 0 ? c->fmt == QY_TEXT && !sc->count &&
                                            !sc->by_year
                                      : sc->collapse;
    return rc;
}

/* Say on stderr what a reader of the results must know. */
static void search_notes(const qy_hits *h, const qy_search_opts *o)
{
    if (h->fallback)
        say("no decision has all the words of '%s'%s%s%s; showing "
            "decisions with any of them", o->query,
            h->killer ? " ('" : "", h->killer ? h->killer : "",
            h->killer ? "' left none)" : "");
    if (h->suggestion)
        say("did you mean: %s", h->suggestion);
    if (h->undated_left)
        say("%u matching decision%s without a date left out "
            "(--include-undated keeps them)", h->undated_left,
            h->undated_left == 1 ? "" : "s");
}

static int print_search(const cli *c, const search_cli *sc, const qy_hits *h,
                        const char *snapshot)
{
    const qy_search_opts *o = &sc->o;
    if (sc->count)
        printf("%u\n", h->total);
    else if (sc->by_year)
        qy_print_by_year(stdout, h);
    else if (qy_print_search_head(stdout, h, o, snapshot, c->fmt) ||
             qy_print_hits(stdout, h, c->fmt, &c->style) ||
             qy_print_search_tail(stdout, h, o, c->fmt, &c->style))
        return ferror(stdout) ? write_failed("%s", "to standard output")
                              : unencodable(NULL, "the results");
    if (!h->total) {
        say("no decisions match '%s'", o->query);
        return EX_NONE;
    }
    if (!h->n && o->limit && !sc->count && !sc->by_year) {
        say("--offset %u is past the last of %u results", o->offset,
            h->results);
        return EX_NONE;
    }
    return EX_OK;
}

static int search_sections(const cli *c, const search_cli *sc)
{
    ix_snapshot *s = NULL;
    qy_section_hits *h = NULL;
    xs_err err = {0};
    int rc = open_snapshot(c, &s);
    if (!rc) {
        xs_status st = qy_search_sections(s, sc->o.query, sc->o.limit, &h,
                                          &err);
        if (st)
            rc = fail(NULL, st, &err);
        else if (sc->count)
            printf("%u\n", h->total);
        else if (qy_print_section_hits(stdout, h, c->fmt, &c->style))
            rc = write_failed("%s", "to standard output");
        if (!rc && !h->total) {
            say("no sections match '%s'", sc->o.query);
            rc = EX_NONE;
        }
    }
    qy_section_hits_free(h);
    ix_snapshot_close(s);
    return rc;
}

static int cmd_search(int argc, char **argv, cli *c)
{
    search_cli sc = {.o = {.limit = 10}, .collapse = -1};
    int rc = parse_search(argc, argv, c, &sc);
    if (rc)
        return rc < 0 ? EX_OK : rc;
    char *q = join_args(argc, argv, optind);
    ix_snapshot *s = NULL;
    qy_hits *h = NULL;
    xs_err err = {0};
    if (!q)
        return out_of_memory();
    sc.o.query = q;
    if (sc.sections) {
        rc = sc.by_year || sc.o.facets || c->fmt == QY_CSV
                 ? usage_error("%s", "search --sections takes no --by, "
                               "--facets or -f csv")
                 : search_sections(c, &sc);
        free(q);
        return rc;
    }
    if (sc.count || sc.by_year)
        sc.o.limit = 0;
    rc = open_snapshot(c, &s);
    if (!rc) {
        xs_status st = qy_search(s, &sc.o, &h, &err);
        if (!st && c->explain)
            say("%s", h->explain);
        if (!st)
            search_notes(h, &sc.o);
        rc = st ? fail(NULL, st, &err) : print_search(c, &sc, h,
                                                      ix_snapshot_id(s));
    }
    qy_hits_free(h);
    ix_snapshot_close(s);
    xs_err_clear(&err);
    free(q);
    return rc;
}

static int cmd_similar(int argc, char **argv, cli *c)
{
    static const struct option lo[] = {
        COMMON_LONGOPTS, {"limit", required_argument, NULL, 'n'},
        {NULL, 0, NULL, 0}};
    search_cli sc = {.o = {.limit = 10}};
    int ch, rc = 0;
    while (!rc && (ch = getopt_long(argc, argv, "d:f:hn:", lo, NULL)) != -1)
        if (!common_opt(ch, c, &rc))
            rc = search_opt(ch, &sc);
    if (rc)
        return rc < 0 ? EX_OK : rc;
    if (optind != argc - 1)
        return usage_error("%s", "similar needs exactly one decision id");
    if ((rc = check_format(c, "similar", 1u << QY_TEXT | 1u << QY_JSON |
                                             1u << QY_MD | 1u << QY_CSV |
                                             1u << QY_IDS)))
        return rc;
    ix_snapshot *s = NULL;
    qy_hits *h = NULL;
    xs_err err = {0};
    sc.o.query = argv[optind];
    rc = open_snapshot(c, &s);
    if (!rc) {
        xs_status st = qy_similar(s, argv[optind], sc.o.limit, &h, &err);
        rc = st ? fail(NULL, st, &err) : print_search(c, &sc, h,
                                                      ix_snapshot_id(s));
    }
    qy_hits_free(h);
    ix_snapshot_close(s);
    return rc;
}

/* ---------------------------------------------------------- cited-by */

#define CITED_BY_DEPTH 100

typedef struct cited_ctx {
    qy_params p;
    const qy_evaluator *ev;
    xs_docid did;
    size_t found;
} cited_ctx;

/* How report r uses decision did: the sentences citing it, and whether
 * it is only related; its rank; -1 for none of these. */
static int cited_line(FILE *out, const qy_report *r, xs_docid did)
{
    size_t rank = 0, cites = 0, related = 0;
    for (size_t i = 0; i < r->a.nranking && i < CITED_BY_DEPTH && !rank; i++)
        if (r->a.ranking[i].doc == did)
            rank = i + 1;
    for (size_t k = 0; k < r->nrefs; k++) {
        if (r->refs[k].d.docid != did)
            continue;
        for (size_t i = 0; i < r->nitems; i++) {
            for (size_t j = 0; j < r->items[i].ncites; j++)
                cites += r->items[i].cites[j].ref == k;
            for (size_t j = 0; j < r->items[i].nrelated; j++)
                related += r->items[i].related[j].ref == k;
        }
    }
    if (!rank && !cites && !related)
        return -1;
    char rk[24] = "-";
    if (rank)
        snprintf(rk, sizeof rk, "%zu", rank);
    fprintf(out, "%s\t%s\t%zu\t%s\n", r->a.sec.id, rk, cites,
            cites ? "cited" : related ? "related" : "ranked");
    return 0;
}

static int cited_job(const ix_snapshot *s, const char *id, FILE *out,
                     void *vctx)
{
    cited_ctx *cc = vctx;
    qy_report r;
    xs_err err = {0};
    xs_status st = qy_evaluate(s, cc->ev, &cc->p, id, &r, &err);
    if (st)
        return fail(NULL, st, &err);
    cited_line(out, &r, cc->did);
    qy_report_release(&r);
    return ferror(out) ? out_of_memory() : EX_OK;
}

static int count_lines(void *ctx, const char *id, const char *out, size_t len,
                       int rc)
{
    cited_ctx *cc = ctx;
    (void)id;
    if (len && fwrite(out, 1, len, stdout) != len)
        return write_failed("%s", "to standard output");
    cc->found += len > 0;
    return rc;
}

/* show ID --cited-by: the sections whose ranking (top 100) or report
 * holds decision d. */
static int cited_by(const cli *c, const ix_snapshot *s, const qy_decision *d)
{
    cited_ctx cc = {.p = qy_params_default(), .did = d->docid};
    qy_evaluator *ev = NULL;
    xs_err err = {0};
    int rc = params_from_env(&cc.p);
    ix_snapshot *rs = NULL;
    if (!rc)
        rc = open_for_ranking(c, &rs);
    if (!rc && qy_evaluator_new(rs, &ev, &err))
        rc = fail(NULL, err.code, &err);
    cc.ev = ev;
    if (!rc) {
        fputs("section\trank\tsentences\thow\n", stdout);
        rc = all_sections(s, cited_job, &cc, count_lines, &cc);
    }
    if (!rc && !cc.found) {
        say("no section ranks or cites '%s'", d->id);
        rc = EX_NONE;
    }
    qy_evaluator_free(ev);
    ix_snapshot_close(rs);
    return rc;
}

static int cmd_show(int argc, char **argv, cli *c)
{
    static const struct option lo[] = {
        COMMON_LONGOPTS, {"cited-by", no_argument, NULL, 'B'},
        {NULL, 0, NULL, 0}};
    int ch, rc = 0, cited = 0;
    while (!rc && (ch = getopt_long(argc, argv, "d:f:h", lo, NULL)) != -1)
        if (!common_opt(ch, c, &rc) && ch == 'B')
            cited = 1;
    if (rc)
        return rc < 0 ? EX_OK : rc;
    if (optind != argc - 1)
        return usage_error("%s", "show needs exactly one decision or section id");
    if ((rc = check_format(c, "show", 1u << QY_TEXT | 1u << QY_JSON | 1u << QY_MD)))
        return rc;
    ix_snapshot *s = NULL;
    qy_decision d = {0};
    qy_section sec = {0};
    xs_err err = {0};
    rc = open_snapshot(c, &s);
    if (!rc) {
        const char *id = argv[optind];
        xs_status st = qy_decision_find(s, id, &d, &err);
        int is_section = 0;
        xs_err serr = {0};
        xs_status sst = st == XS_NOT_FOUND ? qy_section_find(s, id, &sec, &serr)
                                           : XS_OK;
        /* a section's id, or one that comes near some (did you mean) */
        if (st == XS_NOT_FOUND && (sst != XS_NOT_FOUND || strchr(id, '/') ||
                                   strstr(serr.msg, "did you mean"))) {
            xs_err_clear(&err);
            err = serr;
            serr = (xs_err){0};
            st = sst;
            is_section = 1;
        }
        xs_err_clear(&serr);
        if (st)
            rc = fail(NULL, st, &err);
        else if (cited && is_section)
            rc = usage_error("%s", "--cited-by takes a decision id");
        else if (cited)
            rc = cited_by(c, s, &d);
        else if (is_section ? qy_print_section(stdout, &sec, c->fmt, &c->style)
                            : qy_print_decision(stdout, &d, c->fmt, &c->style))
            rc = write_failed("%s", is_section ? "the section" : "the decision");
    }
    qy_section_release(&sec);
    qy_decision_release(&d);
    ix_snapshot_close(s);
    xs_err_clear(&err);
    return rc;
}

/* Does sec belong to chapter, given by name ("Bestuurzaken", any case)
 * or by the slug its ids start with ("bestuurzaken")? */
static int in_chapter(const qy_section *sec, const char *chapter)
{
    size_t n = strlen(chapter);
    char *a = xs_fold(sec->chapter, strlen(sec->chapter));
    char *b = xs_fold(chapter, n);
    /* Financiën en begroting: "financien en begroting", "Financiën" */
    size_t bn = b ? strlen(b) : 0;
    int same = a && b && bn && !strncmp(a, b, bn) &&
               (a[bn] == '\0' || a[bn] == ' ' || a[bn] == ',');
    free(a);
    free(b);
    return same || (!strncmp(sec->id, chapter, n) && sec->id[n] == '/');
}

static int list_sections(const ix_snapshot *s, const char *chapter,
                         qy_format fmt)
{
    unsigned n = xs_db_doccount(ix_snapshot_sections(s)), listed = 0;
    xs_err err = {0};
    xs_status dst = xs_db_error(ix_snapshot_sections(s), &err);
    if (dst)
        return fail(NULL, dst, &err);
    int rc = EX_OK;
    for (xs_docid did = 1; rc == EX_OK && did <= n; did++) {
        qy_section sec;
        xs_status st = qy_section_load(s, did, &sec, &err);
        if (st)
            return fail(NULL, st, &err);
        if (!chapter || in_chapter(&sec, chapter)) {
            rc = qy_print_section_row(stdout, &sec, fmt)
                     ? write_failed("%s", "the sections") : EX_OK;
            listed++;
        }
        qy_section_release(&sec);
    }
    if (rc == EX_OK && !listed) {
        say("no sections%s%s%s",
                chapter ? " in chapter '" : "", chapter ? chapter : "",
                chapter ? "'" : "");
        rc = EX_NONE;
    }
    return rc;
}

static int cmd_sections(int argc, char **argv, cli *c)
{
    static const struct option lo[] = {
        COMMON_LONGOPTS, {"chapter", required_argument, NULL, 'c'},
        {NULL, 0, NULL, 0}};
    const char *chapter = NULL;
    int ch, rc = 0;
    while (!rc && (ch = getopt_long(argc, argv, "d:f:hc:", lo, NULL)) != -1)
        if (!common_opt(ch, c, &rc) && ch == 'c')
            chapter = optarg;
    if (rc)
        return rc < 0 ? EX_OK : rc;
    if (optind != argc)
        return usage_error("unexpected argument '%s'", argv[optind]);
    if ((rc = check_format(c, "sections", 1u << QY_TEXT | 1u << QY_JSON | 1u << QY_MD)))
        return rc;
    ix_snapshot *s = NULL;
    rc = open_snapshot(c, &s);
    if (!rc)
        rc = list_sections(s, chapter, c->fmt);
    ix_snapshot_close(s);
    return rc;
}

/* Print a section's ranking as TREC run lines. */
static int rank_one(const ix_snapshot *s, const qy_params *p, const char *id,
                    unsigned n, int naive, int csv, FILE *out)
{
    qy_analysis a;
    xs_err err = {0};
    xs_status st = naive ? qy_analyse_naive(s, id, n, &a, &err)
                         : qy_analyse(s, p, id, &a, &err);
    if (st)
        return fail(NULL, st, &err);
    int rc = EX_OK;
    for (size_t i = 0; !rc && i < a.nranking && i < n; i++) {
        const char *did = ix_tables_id(ix_snapshot_get_tables(s),
                                       a.ranking[i].doc);
        const char *bad = rd_run_line(out, id, did, i + 1, a.ranking[i].score,
                                      naive ? "naive" : "akkoord", csv);
        if (bad) {
            say("id '%s' is empty or holds whitespace or a control "
                "character; it cannot be written in a TREC run", bad);
            rc = EX_FAIL;
        }
    }
    qy_analysis_release(&a);
    return rc;
}

typedef struct rank_ctx { qy_params p; unsigned n; int naive, csv; } rank_ctx;

static int rank_job(const ix_snapshot *s, const char *id, FILE *out, void *vctx)
{
    rank_ctx *r = vctx;
    return rank_one(s, &r->p, id, r->n, r->naive, r->csv, out);
}

/* Copy a section's output to the FILE in ctx; stop at the first error. */
static int copy_out(void *ctx, const char *id, const char *out, size_t len,
                    int rc)
{
    (void)id;
    if (len && fwrite(out, 1, len, (FILE *)ctx) != len)
        return write_failed("%s", "the ranking");
    return rc;
}

/* Run job on every section in parallel, passing outputs to done. */
static int all_sections(const ix_snapshot *s, qy_section_job job, void *ctx,
                        qy_section_done done, void *dctx)
{
    xs_err err = {0};
    int rc = qy_each_section(s, job, ctx, done, dctx, &err);
    if (rc < 0)
        rc = fail(NULL, err.code, &err);
    xs_err_clear(&err);
    return rc;
}

static int cmd_rank(int argc, char **argv, cli *c)
{
    static const struct option lo[] = {
        COMMON_LONGOPTS, {"all", no_argument, NULL, 'A'},
        {"limit", required_argument, NULL, 'n'},
        {"naive", no_argument, NULL, 'N'}, {NULL, 0, NULL, 0}};
    rank_ctx r = {qy_params_default(), 100, 0, 0};
    int ch, rc = 0, all = 0;
    while (!rc && (ch = getopt_long(argc, argv, "d:f:hn:", lo, NULL)) != -1) {
        if (common_opt(ch, c, &rc))
            continue;
        if (ch == 'A')
            all = 1;
        else if (ch == 'N')
            r.naive = 1;
        else if (ch == 'n' && parse_uint(optarg, &r.n))
            rc = usage_error("bad --limit '%s' (want a number)", optarg);
    }
    if (rc)
        return rc < 0 ? EX_OK : rc;
    if (all == (optind < argc) || optind + 1 < argc)
        return usage_error("%s", "rank needs one SECTION_ID or --all");
    if ((rc = check_format(c, "rank", 1u << QY_TEXT | 1u << QY_CSV)))
        return rc;
    if ((r.csv = c->fmt == QY_CSV))
        fputs("section,rank,decision,score\r\n", stdout);
    if ((rc = params_from_env(&r.p)))
        return rc;
    ix_snapshot *s = NULL;
    rc = all ? open_snapshot(c, &s) : open_for_ranking(c, &s);
    if (!rc)
        rc = all ? all_sections(s, rank_job, &r, copy_out, stdout)
                 : rank_one(s, &r.p, argv[optind], r.n, r.naive, r.csv,
                            stdout);
    ix_snapshot_close(s);
    return rc;
}

/* ---------------------------------------------------------- evaluate */

typedef struct eval_ctx {
    qy_params p;
    const qy_evaluator *ev;
    const rd_renderer *rr;
    const char *out_dir;
    const qy_fixes *fixes; /* --corrections, or NULL                      */
    unsigned char *marks;  /* per correction: qy_fixes_apply's mark       */
    qy_overview overview;  /* of --all, filled in agreement order         */
} eval_ctx;

/* Something to write to an output: put returns 0, or -1 on a write
 * error or a record that could not be encoded. */
typedef int (*put_fn)(FILE *f, const void *arg);

/* A printer failed without a write error: out of memory (errno), or a
 * string jansson would not encode. */
static int unencodable(const char *path, const char *what)
{
    int e = errno;
    say("%s%s%scannot encode %s: %s", path ? "'" : "", path ? path : "",
        path ? "' not written: " : "", what,
        e == ENOMEM ? "out of memory"
                    : "a text of the index is not valid UTF-8");
    return EX_FAIL;
}

/* Write path (NULL: stdout, whose write errors main reports) whole with
 * put, or leave it as it was; say what failed. */
static int put_output(const char *path, put_fn put, const void *arg,
                      const char *what)
{
    if (!path) {
        if (!put(stdout, arg))
            return EX_OK;
        return ferror(stdout) ? write_failed("%s", what)
                              : unencodable(NULL, what);
    }
    qy_file o;
    xs_err err = {0};
    xs_status st = qy_file_open(&o, path, &err);
    int bad = !st && put(o.f, arg) != 0;
    int cannot_encode = bad && !ferror(o.f);
    int e = errno;
    if (!st)
        st = qy_file_close(&o, !cannot_encode, &err);
    errno = e;
    if (cannot_encode)
        unencodable(path, what);
    else if (st)
        say("%s", err.msg ? err.msg : xs_status_str(st));
    xs_err_clear(&err);
    return st || bad ? EX_FAIL : EX_OK;
}

typedef struct report_out { const qy_report *r; const rd_renderer *rr; } report_out;

static int put_report(FILE *f, const void *arg)
{
    const report_out *o = arg;
    return o->rr->report(f, o->r);
}

/* Evaluate one section into path (NULL: stdout); with row, also write
 * its line of the overview there. */
static int eval_one(const ix_snapshot *s, const eval_ctx *e, const char *id,
                    const char *path, FILE *row)
{
    qy_report r;
    xs_err err = {0};
    xs_status st = qy_evaluate(s, e->ev, &e->p, id, &r, &err);
    if (st)
        return fail(NULL, st, &err);
    qy_fixes_apply(e->fixes, &r, e->marks);
    char what[300];
    snprintf(what, sizeof what, "the report of '%s'", id);
    report_out out = {&r, e->rr};
    int rc = put_output(path, put_report, &out, what);
    if (!rc && row && qy_overview_record(row, &r, strrchr(path, '/') + 1)) {
        say("%s: out of memory", id);
        rc = EX_FAIL;
    }
    qy_report_release(&r);
    return rc;
}

static int eval_job(const ix_snapshot *s, const char *id, FILE *row,
                    void *vctx)
{
    const eval_ctx *e = vctx;
    char *path = rd_report_path(e->out_dir, id, e->rr);
    int rc = path ? eval_one(s, e, id, path, row) : out_of_memory();
    free(path);
    return rc;
}

/* Collect a section's overview record (main thread, agreement order). */
static int take_row(void *ctx, const char *id, const char *out, size_t len,
                    int rc)
{
    eval_ctx *e = ctx;
    xs_status st = rc ? XS_OK : qy_overview_take(&e->overview, out, len);
    if (st == XS_NOMEM)
        return out_of_memory();
    if (st) {
        say("%s: no overview row", id);
        return EX_FAIL;
    }
    return rc;
}

typedef struct overview_out {
    int (*write)(FILE *, const qy_overview *, const char *);
    const qy_overview *ov;
    const char *snapshot;
} overview_out;

static int put_overview(FILE *f, const void *arg)
{
    const overview_out *o = arg;
    return o->write(f, o->ov, o->snapshot);
}

/* Write DIR/index.EXT (the overview in rr's format) whole; report a
 * failure. */
static int write_file(const char *dir, const rd_renderer *rr,
                      const qy_overview *ov, const char *snapshot)
{
    char *path = rd_report_path(dir, "index", rr);
    if (!path) {
        fputs("akkoord-query: out of memory\n", stderr);
        return EX_FAIL;
    }
    overview_out o = {rr->overview, ov, snapshot};
    int rc = put_output(path, put_overview, &o, "the overview");
    free(path);
    return rc;
}

typedef struct named { char *name; char *id; } named;

static int by_name(const void *x, const void *y)
{
    const named *a = x, *b = y;
    int c = strcmp(a->name, b->name);
    return c ? c : strcmp(a->id, b->id);
}

/* The first problem of the report names of all sections (two sections
 * to one file, a section on the overview's name), printed; 0 if none. */
static int name_problem(named *v, size_t n)
{
    qsort(v, n, sizeof *v, by_name);
    for (size_t i = 0; i < n; i++) {
        const char *base = strrchr(v[i].name, '/') + 1;
        if (!strcmp(base, "index.md") || !strcmp(base, "index.json")) {
            say("section '%s' would be written to "
                    "'%s', the name of the overview; nothing written",
                    v[i].id, v[i].name);
            return EX_FAIL;
        }
        if (i + 1 < n && !strcmp(v[i].name, v[i + 1].name)) {
            say("sections '%s' and '%s' would both "
                    "be written to '%s'; nothing written", v[i].id,
                    v[i + 1].id, v[i].name);
            return EX_FAIL;
        }
    }
    return EX_OK;
}

/* Before any report is written: every section has a file of its own. */
static int check_report_names(const ix_snapshot *s, const eval_ctx *e)
{
    unsigned n = xs_db_doccount(ix_snapshot_sections(s));
    xs_err derr = {0};
    xs_status dst = xs_db_error(ix_snapshot_sections(s), &derr);
    if (dst)
        return fail(NULL, dst, &derr);
    named *v = calloc(n ? n : 1, sizeof *v);
    int rc = v ? EX_OK : EX_FAIL;
    if (!v)
        fputs("akkoord-query: out of memory\n", stderr);
    size_t got = 0;
    for (xs_docid did = 1; !rc && did <= n; did++) {
        xs_err err = {0};
        xs_status st = xs_db_value(ix_snapshot_sections(s), did, IX_SLOT_ID,
                                   &v[got].id,
                                   &err);
        if (st) {
            rc = fail(NULL, st, &err);
            break;
        }
        if (!(v[got].name = rd_report_path(e->out_dir, v[got].id, e->rr)))
            rc = EX_FAIL;
        got++;
    }
    if (rc == EX_FAIL && v)
        fputs("akkoord-query: out of memory\n", stderr);
    if (!rc)
        rc = name_problem(v, got);
    for (size_t i = 0; v && i < got; i++) {
        free(v[i].name);
        free(v[i].id);
    }
    free(v);
    return rc;
}

/* DIR of --all: made if absent; never a file or an index. */
static int make_out_dir(const char *dir)
{
    struct stat sb;
    if (ix_dir_is_snapshot(dir)) {
        say("'%s' is an akkoord index; write the reports elsewhere", dir);
        return EX_USAGE;
    }
    if (mkdir(dir, 0755) == 0)
        return EX_OK;
    if (errno != EEXIST) {
        say("cannot create '%s': %s", dir, strerror(errno));
        return EX_FAIL;
    }
    if (stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
        say("'%s' exists and is not a directory", dir);
        return EX_FAIL;
    }
    return EX_OK;
}

/* The directory of -o FILE is not an index. */
static int check_out_file(const char *path)
{
    char *c = strdup(path);
    int in_index = c && ix_dir_is_snapshot(dirname(c));
    free(c);
    if (in_index) {
        say("'%s' is inside an akkoord index; write the report elsewhere",
            path);
        return EX_USAGE;
    }
    return EX_OK;
}

static int eval_all(const ix_snapshot *s, eval_ctx *e)
{
    int rc = check_report_names(s, e);
    if (rc)
        return rc;
    rc = make_out_dir(e->out_dir);
    if (rc)
        return rc;
    /* A section that failed leaves the overview as it was: it is written
     * only for a complete run. */
    rc = all_sections(s, eval_job, e, take_row, e);
    const rd_renderer *md = rd_renderer_of(QY_MD);    /* always index.md */
    if (!rc)
        rc = write_file(e->out_dir, md, &e->overview, ix_snapshot_id(s));
    if (!rc && e->rr != md && e->rr->overview)
        rc = write_file(e->out_dir, e->rr, &e->overview, ix_snapshot_id(s));
    qy_overview_release(&e->overview);
    return rc;
}

/* Say which corrections were not applied (of section only, when not
 * NULL): a stale correction is reported, never dropped in silence. */
static void fixes_report(const qy_fixes *fx, const unsigned char *marks,
                         const char *section)
{
    for (size_t k = 0; fx && k < fx->n; k++) {
        const qy_fix *x = &fx->v[k];
        if (section && strcmp(section, x->field[QY_FIX_SECTION]))
            continue;
        const char *why = qy_fix_problem(marks[k]);
        if (why) {
            fprintf(stderr, "akkoord-query: %s:%u: correction not applied: ",
                    fx->path, x->line);
            rd_text_put(stderr, why);
            fputs(" ('", stderr);
            rd_text_put(stderr, x->field[QY_FIX_SECTION]);
            fputs("')\n", stderr);
        }
    }
}

/* --corrections FILE: read it, or say what is wrong with it. */
static int fixes_load(const char *path, qy_fixes **fx, unsigned char **marks)
{
    xs_err err = {0};
    *fx = NULL;
    *marks = NULL;
    if (!path)
        return EX_OK;
    xs_status st = qy_fixes_load(path, fx, &err);
    if (st == XS_INVALID || st == XS_NOT_FOUND) {
        say("%s", err.msg ? err.msg : xs_status_str(st));
        xs_err_clear(&err);
        return st == XS_INVALID ? EX_USAGE : EX_NONE;
    }
    if (st)
        return fail(NULL, st, &err);
    if (!(*marks = calloc((*fx)->n ? (*fx)->n : 1, 1))) {
        qy_fixes_free(*fx);
        *fx = NULL;
        return out_of_memory();
    }
    return EX_OK;
}

static int cmd_evaluate(int argc, char **argv, cli *c)
{
    static const struct option lo[] = {
        COMMON_LONGOPTS, {"all", no_argument, NULL, 'A'},
        {"output", required_argument, NULL, 'o'},
        {"corrections", required_argument, NULL, 'C'}, {NULL, 0, NULL, 0}};
    eval_ctx e = {.p = qy_params_default()};
    const char *out = NULL, *fixes = NULL;
    int ch, rc = 0, all = 0;
    c->fmt = QY_MD;
    while (!rc && (ch = getopt_long(argc, argv, "d:f:ho:", lo, NULL)) != -1) {
        if (common_opt(ch, c, &rc))
            continue;
        if (ch == 'A')
            all = 1;
        else if (ch == 'o')
            out = optarg;
        else if (ch == 'C')
            fixes = optarg;
    }
    if (rc)
        return rc < 0 ? EX_OK : rc;
    if (all == (optind < argc) || optind + 1 < argc)
        return usage_error("%s", "evaluate needs one SECTION_ID or --all");
    if (all && !out)
        return usage_error("%s", "evaluate --all needs -o DIR");
    if ((rc = check_format(c, "evaluate",
                           1u << QY_MD | 1u << QY_JSON | 1u << QY_CSV)))
        return rc;
    if (out && !all && (rc = check_out_file(out)))
        return rc;
    if ((rc = params_from_env(&e.p)))
        return rc;
    e.rr = rd_renderer_of(c->fmt);
    e.out_dir = out;
    qy_fixes *fx = NULL;
    if ((rc = fixes_load(fixes, &fx, &e.marks)))
        return rc;
    e.fixes = fx;
    ix_snapshot *s = NULL;
    qy_evaluator *ev = NULL;
    xs_err err = {0};
    rc = open_for_ranking(c, &s);
    if (!rc && qy_evaluator_new(s, &ev, &err))
        rc = fail(NULL, err.code, &err);
    e.ev = ev;
    if (!rc)
        rc = all ? eval_all(s, &e) : eval_one(s, &e, argv[optind], out, NULL);
    if (!rc)
        fixes_report(fx, e.marks, all ? NULL : argv[optind]);
    qy_fixes_free(fx);
    free(e.marks);
    qy_evaluator_free(ev);
    ix_snapshot_close(s);
    return rc;
}

/* -------------------------------------------------------------- site */

/* site -o DIR: every section evaluated, the site built in memory, then
 * written whole (site/st.h). */
static int cmd_site(int argc, char **argv, cli *c)
{
    static const struct option lo[] = {
        COMMON_LONGOPTS, {"output", required_argument, NULL, 'o'},
        {"corrections", required_argument, NULL, 'C'}, {NULL, 0, NULL, 0}};
    const char *out = NULL, *fixes = NULL;
    int ch, rc = 0;
    while (!rc && (ch = getopt_long(argc, argv, "d:ho:", lo, NULL)) != -1) {
        if (common_opt(ch, c, &rc))
            continue;
        if (ch == 'o')
            out = optarg;
        else if (ch == 'C')
            fixes = optarg;
    }
    if (rc)
        return rc < 0 ? EX_OK : rc;
    if (!out || optind < argc)
        return usage_error("%s", "site needs -o DIR and no other argument");
    qy_params p = qy_params_default();
    st_opts o = {.params = &p};
    qy_fixes *fx = NULL;
    if ((rc = params_from_env(&p)) || (rc = fixes_load(fixes, &fx, &o.marks)))
        return rc;
    o.fixes = fx;
    ix_snapshot *s = NULL;
    qy_evaluator *ev = NULL;
    st_site *site = NULL;
    xs_err err = {0};
    rc = open_for_ranking(c, &s);
    if (!rc && qy_evaluator_new(s, &ev, &err))
        rc = fail(NULL, err.code, &err);
    o.ev = ev;
    if (!rc && st_build(s, &o, &site, &err))
        rc = fail(NULL, err.code, &err);
    if (!rc && st_write(site, out, &err))
        rc = fail(NULL, err.code, &err);
    if (!rc) {
        fixes_report(fx, o.marks, NULL);
        fprintf(stderr, "akkoord-query: site of %zu sections and %zu "
                "decisions (%zu files, %.1f MB) in '%s'; open %s/index.html\n",
                site->sections, site->decisions, site->n,
                (double)site->bytes / 1e6, out, out);
    }
    st_free(site);
    qy_fixes_free(fx);
    free(o.marks);
    qy_evaluator_free(ev);
    ix_snapshot_close(s);
    return rc;
}

/* ------------------------------------------------------------- serve */

static int cmd_serve(int argc, char **argv, cli *c)
{
    static const struct option lo[] = {
        COMMON_LONGOPTS, {"bind", required_argument, NULL, 'b'},
        {"port", required_argument, NULL, 'p'},
        {"corrections", required_argument, NULL, 'C'}, {NULL, 0, NULL, 0}};
    qy_params p = qy_params_default();
    sv_opts o = {.db = c->db, .port = 8080, .params = &p, .poll_ms = 500};
    const char *fixes = NULL;
    int ch, rc = 0;
    while (!rc && (ch = getopt_long(argc, argv, "d:hb:p:", lo, NULL)) != -1) {
        if (common_opt(ch, c, &rc))
            continue;
        if (ch == 'b')
            o.bind = optarg;
        else if (ch == 'p' && (parse_uint(optarg, &o.port) || o.port > 65535))
            rc = usage_error("bad --port '%s' (want 0..65535)", optarg);
        else if (ch == 'C')
            fixes = optarg;
    }
    if (rc)
        return rc < 0 ? EX_OK : rc;
    if (optind < argc)
        return usage_error("%s", "serve takes no arguments");
    o.db = c->db ? c->db : ix_default_dir();
    qy_fixes *fx = NULL;
    unsigned char *marks = NULL;
    if ((rc = params_from_env(&p)) || (rc = fixes_load(fixes, &fx, &marks)))
        return rc;
    free(marks);            /* each generation marks its own */
    o.fixes = fx;
    xs_err err = {0};
    xs_status st = sv_run(&o, &err);
    rc = st == XS_INVALID ? (say("%s", err.msg), xs_err_clear(&err), EX_USAGE)
         : st ? fail(NULL, st, &err) : EX_OK;
    qy_fixes_free(fx);
    return rc;
}

/* Levenshtein distance of a and b, up to 31 bytes each (else 99). */
static int distance(const char *a, const char *b)
{
    size_t m = strlen(a), n = strlen(b);
    if (m > 31 || n > 31)
        return 99;
    int d[32][32];
    for (size_t i = 0; i <= m; i++)
        d[i][0] = (int)i;
    for (size_t j = 0; j <= n; j++)
        d[0][j] = (int)j;
    for (size_t i = 1; i <= m; i++)
        for (size_t j = 1; j <= n; j++) {
            int sub = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
            int del = d[i - 1][j] + 1, ins = d[i][j - 1] + 1;
            d[i][j] = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
        }
    return d[m][n];
}

static int unknown_command(const char *cmd)
{
    static const char *const cmds[] = {"search", "show", "sections", "rank",
                                       "evaluate", "similar", "site",
                                       "serve", NULL};
    const char *best = NULL;
    int bd = 3;                        /* at most two edits away */
    for (size_t i = 0; cmds[i]; i++) {
        int d = distance(cmd, cmds[i]);
        if (d < bd) {
            bd = d;
            best = cmds[i];
        }
    }
    char msg[160];
    snprintf(msg, sizeof msg, "unknown command '%.40s'%s%s%s", cmd,
             best ? " (did you mean '" : "", best ? best : "", best ? "'?)" : "");
    return usage_error("%s", msg);
}

static int run(int argc, char **argv, cli *c)
{
    static const struct option lo[] = {
        {"db", required_argument, NULL, 'd'},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0}};
    int ch;
    while ((ch = getopt_long(argc, argv, "+d:hV", lo, NULL)) != -1) {
        if (ch == 'd') {
            c->db = optarg;
        } else if (ch == 'h') {
            fputs(help_text, stdout);
            return EX_OK;
        } else if (ch == 'V') {
            printf("akkoord-query %s (xapian %s, %s)\n", AK_VERSION,
                   xs_xapian_version(), xs_stem_name());
            return EX_OK;
        } else {
            return usage_error("%s", "bad option");
        }
    }
    if (optind >= argc)
        return usage_error("%s", "no command given");
    const char *cmd = argv[optind];
    argc -= optind;
    argv += optind;
    optind = 0;   /* fully re-initialise GNU getopt for the subcommand */
    if (!strcmp(cmd, "search")) return cmd_search(argc, argv, c);
    if (!strcmp(cmd, "show")) return cmd_show(argc, argv, c);
    if (!strcmp(cmd, "sections")) return cmd_sections(argc, argv, c);
    if (!strcmp(cmd, "rank")) return cmd_rank(argc, argv, c);
    if (!strcmp(cmd, "evaluate")) return cmd_evaluate(argc, argv, c);
    if (!strcmp(cmd, "similar")) return cmd_similar(argc, argv, c);
    if (!strcmp(cmd, "site")) return cmd_site(argc, argv, c);
    if (!strcmp(cmd, "serve")) return cmd_serve(argc, argv, c);
    return unknown_command(cmd);
}

static qy_style terminal_style(void)
{
    qy_style st = {.color = 0, .width = 80};
    const char *nc = getenv("NO_COLOR");
    if (isatty(STDOUT_FILENO)) {
        struct winsize ws;
        st.color = !(nc && *nc);
        if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col >= 40)
            st.width = ws.ws_col;
    }
    return st;
}

int main(int argc, char **argv)
{
    cli c = {.db = NULL, .fmt = QY_TEXT, .style = terminal_style()};
    /* A file-size limit must fail a write (EFBIG), not kill us before
     * the temporary file of a report is removed. */
    signal(SIGXFSZ, SIG_IGN);
    int rc = run(argc, argv, &c);
    int werr = ferror(stdout), e = errno;
    if (fclose(stdout) != 0) {
        werr = 1;
        e = errno;
    }
    if (werr && (rc == EX_OK || rc == EX_NONE)) {  /* not yet reported */
        say("cannot write to standard output: %s", strerror(e));
        rc = EX_FAIL;
    }
    return rc;
}
