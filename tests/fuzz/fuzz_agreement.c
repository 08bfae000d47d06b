/*
 * fuzz_agreement.c -- libFuzzer target for the agreement reader (corpus/cp.h).
 *
 * Owns: feeding arbitrary bytes to cp_reader_next_section through a file,
 * reading to the end, and checking the reader's contract (fz.c) and the
 * section fields: id and text present, text and title normalised.
 * Never: touches Xapian.
 */
#include "fz.h"

static cp_status next(cp_reader *r, void *rec)
{
    return cp_reader_next_section(r, rec);
}

static void check(const void *rec)
{
    const cp_section *s = rec;
    fz_check_str(s->id);
    CHECK(s->id.ptr && s->id.len > 0);
    fz_check_str(s->chapter);
    CHECK(s->chapter_number >= 0);
    fz_check_str(s->number);
    fz_check_norm(s->title);
    fz_check_str(s->path);
    fz_check_norm(s->text);
    CHECK(s->text.len > 0);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fz_setup("agreement.jsonl");
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    cp_section s;
    fz_read_all(data, size, next, &s, check);
    return 0;
}
