/*
 * main.c -- akkoord-index: build a snapshot from corpus files.
 *
 * Owns: the command line, signal handling, printing warnings, progress and
 * the summary, mapping a build status to an exit code.
 * Never: does the work itself (ix_build does).
 */
#include "ix.h"

#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The one piece of process-wide state: a signal handler can only talk to
 * the build through a flag. */
static volatile int interrupted;

static void on_signal(int sig)
{
    (void)sig;
    interrupted = 1;
}

static void usage(FILE *f)
{
    fputs(
        "usage: akkoord-index [-o DIR] [--agreement FILE] [--skip-bad] [--quiet]\n"
        "                     CORPUS...\n"
        "\n"
        "Build an akkoord index (a snapshot directory) from decisions in JSON\n"
        "Lines files (plain or gzip) and, optionally, the agreement sections.\n"
        "A decision file is an extract ({\"id\", \"date\", ...} per line) or\n"
        "the search API's items (one data[] element, or a whole page\n"
        "{\"count\", \"data\": [...]}, per line); the first record decides.  An\n"
        "extract record and an API item with the same id are merged: the\n"
        "API's date, uri, meeting, ministers and themes, the extract's title,\n"
        "kind and url, the longer text (manifest.json \"merge\").\n"
        "The build is written beside DIR and swapped in only when complete: an\n"
        "existing index at DIR keeps answering queries and survives any failure.\n"
        "\n"
        "options:\n"
        "  -o, --output DIR      index directory (default: $AKKOORD_DB or\n"
        "                        ./akkoord.db)\n"
        "  -a, --agreement FILE  agreement sections (JSON Lines) to index too\n"
        "      --skip-bad        skip invalid records, counting and naming them\n"
        "                        in the manifest, instead of stopping\n"
        "      --no-split        do not index the parts of Dutch compounds\n"
        "                        (for measuring what splitting brings)\n"
        "  -q, --quiet           no progress line and no summary\n"
        "  -h, --help            show this help and exit\n"
        "  -V, --version         show the version and exit\n"
        "\n"
        "exit status: 0 built; 1 bad input or build failure (the old index is\n"
        "untouched); 2 usage error; 3 built and swapped in, but the summary\n"
        "could not be written to standard output.  Formats: corpus/README.md.\n",
        f);
}

typedef struct cli {
    ix_build_opts o;
    int quiet;
} cli;

static void on_warn(void *ctx, const char *msg)
{
    (void)ctx;
    fprintf(stderr, "akkoord-index: warning: skipped %s\n", msg);
}

static void on_progress(void *ctx, const char *path, unsigned long records,
                        double fraction, double rate, int done)
{
    (void)ctx;
    if (done) {
        fprintf(stderr, "\r\033[Kakkoord-index: %s: %lu records\n", path,
                records);
        return;
    }
    double eta = rate > 0 && fraction > 0
                     ? (records / fraction - records) / rate : 0;
    fprintf(stderr, "\r\033[Kakkoord-index: %s: %lu records, %.0f/s, %3.0f%%, "
            "eta %.0fs", path, records, rate, fraction * 100, eta);
}

/* Parse argv into c; returns 0, or 2 for a usage error, or -1 for
 * --help/--version (already printed). */
static int parse_args(int argc, char **argv, cli *c)
{
    static const struct option longopts[] = {
        {"output", required_argument, NULL, 'o'},
        {"agreement", required_argument, NULL, 'a'},
        {"skip-bad", no_argument, NULL, 's'},
        {"no-split", no_argument, NULL, 'S'},
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0}};
    int ch;
    while ((ch = getopt_long(argc, argv, "o:a:qhV", longopts, NULL)) != -1) {
        switch (ch) {
        case 'o': c->o.out_dir = optarg; break;
        case 'a': c->o.agreement = optarg; break;
        case 's': c->o.skip_bad = 1; break;
        case 'S': c->o.no_split = 1; break;
        case 'q': c->quiet = 1; break;
        case 'h': usage(stdout); return -1;
        case 'V':
            printf("akkoord-index %s (xapian %s, %s)\n", AK_VERSION,
                   xs_xapian_version(), xs_stem_name());
            return -1;
        default:
            fputs("akkoord-index: try 'akkoord-index --help'\n", stderr);
            return 2;
        }
    }
    if (optind >= argc) {
        fputs("akkoord-index: no corpus file given; try 'akkoord-index "
              "--help'\n", stderr);
        return 2;
    }
    const char *bad = ix_out_dir_problem(c->o.out_dir);
    if (bad) {
        fprintf(stderr, "akkoord-index: -o '%s': %s\n", c->o.out_dir, bad);
        return 2;
    }
    c->o.corpus = (const char *const *)argv + optind;
    c->o.ncorpus = (size_t)(argc - optind);
    return 0;
}

static int run(cli *c)
{
    ix_build_result res = {0};
    xs_err err = {0};
    xs_status st = ix_build(&c->o, &res, &err);
    if (st) {
        fprintf(stderr, "akkoord-index: %s\n",
                err.msg ? err.msg : xs_status_str(st));
        xs_err_clear(&err);
        return 1;
    }
    if (!c->quiet)
        printf("akkoord-index: indexed %lu decisions and %lu sections into "
               "'%s' in %.2f s (%lu skipped, %lu duplicate ids)\n",
               res.decisions, res.sections, c->o.out_dir, res.seconds,
               res.skipped, res.duplicates);
    return 0;
}

int main(int argc, char **argv)
{
    cli c = {.o = {.out_dir = ix_default_dir(), .warn = on_warn,
                   .interrupted = &interrupted}};
    int rc = parse_args(argc, argv, &c);
    if (rc)
        return rc < 0 ? 0 : rc;
    if (!c.quiet && isatty(STDERR_FILENO))
        c.o.progress = on_progress;
    struct sigaction sa = {.sa_handler = on_signal};
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    /* A full disk or a file-size limit must fail a write (EFBIG), not kill
     * us: then the build ends with a message and removes its scratch. */
    signal(SIGXFSZ, SIG_IGN);
    rc = run(&c);
    /* The summary follows the swap: a failure to write it cannot undo the
     * build, so it has a code of its own (the new index is in place). */
    if (fclose(stdout) != 0 && rc == 0) {
        fprintf(stderr, "akkoord-index: cannot write the summary to standard "
                "output: %s; the new index '%s' is in place\n",
                strerror(errno), c.o.out_dir);
        rc = 3;
    }
    return rc;
}
