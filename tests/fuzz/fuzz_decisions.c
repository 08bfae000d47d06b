/*
 * fuzz_decisions.c -- libFuzzer target for the decision reader (corpus/cp.h).
 *
 * Owns: feeding arbitrary bytes (JSON Lines, gzip or garbage) to
 * cp_reader_next_decision through a file, reading to the end, and checking
 * the reader's contract on every record (fz.c) and the decision fields:
 * id present, date valid with its year, title/text normalised.
 * Never: touches Xapian.
 */
#include "fz.h"

#include <string.h>

static cp_status next(cp_reader *r, void *rec)
{
    return cp_reader_next_decision(r, rec);
}

static void check(const void *rec)
{
    const cp_decision *d = rec;
    fz_check_str(d->id);
    CHECK(d->id.ptr && d->id.len > 0);
    fz_check_str(d->date);
    if (d->date.ptr) {
        CHECK(cp_date_valid(d->date.ptr, d->date.len));
        CHECK(d->year == atoi(d->date.ptr));
    } else {
        CHECK(d->year == 0);
    }
    fz_check_str(d->kind);
    fz_check_str(d->url);
    fz_check_norm(d->title);
    fz_check_norm(d->text);
    CHECK(d->title.len > 0 || d->text.len > 0);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fz_setup("decisions.jsonl");
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    cp_decision d;
    fz_read_all(data, size, next, &d, check);
    return 0;
}
