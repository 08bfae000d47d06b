/*
 * xs_doc.cc -- documents under construction and the database writer.
 *
 * Owns: tokenizing text into a Xapian::Document with TermGenerator (every
 * term stemmed through xs_stem, "Z"-prefixed, with positions), plus one
 * joined term for words with a one- or two-letter part before a hyphen
 * ("M-decreet" -> "Zmdecreet", which TermGenerator cuts into "m" and
 * "decreet"; joined words over 64 bytes are skipped, as TermGenerator
 * skips them), the words of a text for the spelling table (through a
 * stemmer tap, so the text is tokenized once), boolean
 * terms, values, data; writing documents and metadata with
 * Xapian::WritableDatabase.
 * Never: decides what goes in which field or slot (indexer/ix.h and its
 * table in ix_layout.c do; the "Z" below is Xapian's prefix of stemmed
 * terms, IX_STEM_PREFIX there).
 */
#include "xs-int.h"

#include <memory>

namespace {
/* The document's stemmer as TermGenerator sees it: with STEM_ALL_Z it is
 * called once for every word it indexes, in order, with the word
 * lowercased (words over 64 bytes never reach it).  The tap notes the
 * word when the document asks for words (flags), and stems with the one
 * stemmer.  (Exact terms with positions would take get_termpos() + 1
 * here: measured and left out, see XS_DOC_EXACT.) */
class TapStem : public Xapian::StemImplementation {
    xs_doc *d;

  public:
    explicit TapStem(xs_doc *doc) : d(doc) {}
    std::string operator()(const std::string &word) override
    {
        if (d->flags)
            d->tapped.push_back(word);
        return d->stem(word);
    }
    std::string get_description() const override
    {
        return d->stem.get_description();
    }
};
} // namespace

extern "C" xs_status xs_doc_new(xs_stem *stem, xs_doc **out, xs_err *err)
{
    *out = NULL;
    try {
        std::unique_ptr<xs_doc> d(new xs_doc());
        d->stem = stem->stem;
        d->tg.set_stemmer(Xapian::Stem(new TapStem(d.get())));
        d->tg.set_stemming_strategy(Xapian::TermGenerator::STEM_ALL_Z);
        d->tg.set_document(d->doc);
        *out = d.release();
        return XS_OK;
    }
    XS_CATCH_ALL(err)
}

extern "C" void xs_doc_set_flags(xs_doc *doc, unsigned flags)
{
    doc->flags = flags;
}

extern "C" void xs_doc_free(xs_doc *doc)
{
    delete doc;
}

extern "C" xs_status xs_doc_clear(xs_doc *doc, xs_err *err)
{
    try {
        doc->doc = Xapian::Document();
        doc->tg.set_document(doc->doc);
        doc->spelling.clear();
        return XS_OK;
    }
    XS_CATCH_ALL(err)
}

static bool ascii_letter(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool word_byte(unsigned char c)
{
    return ascii_letter(c) || (c >= '0' && c <= '9') || c >= 0x80;
}

/* Add "Z" + prefix + stem(joined) for each "M-decreet", "e-loket": one or
 * two ASCII letters at a word start, a hyphen, at least three more word
 * bytes.  No positions: phrases still see the two parts. */
static void add_short_hyphen_terms(xs_doc *doc, const char *t, size_t len,
                                   unsigned wdf_inc, const char *prefix)
{
    Xapian::Stem &stem = doc->stem;
    for (size_t i = 0; i < len; i++) {
        if (!ascii_letter((unsigned char)t[i]) ||
            (i > 0 && (word_byte((unsigned char)t[i - 1]) || t[i - 1] == '-')))
            continue;
        size_t h = i + 1;
        if (h < len && ascii_letter((unsigned char)t[h]))
            h++;
        if (h >= len || t[h] != '-')
            continue;
        size_t e = h + 1;
        while (e < len && word_byte((unsigned char)t[e]))
            e++;
        /* like TermGenerator, no word over 64 bytes (its default
         * max_word_length): a term of 245 bytes would fail the write */
        if (e - h - 1 < 3 || (e < len && t[e] == '-') || e - i > 64)
            continue;
        std::string joined(t + i, h - i);
        joined.append(t + h + 1, e - h - 1);
        for (auto &c : joined)
            if (c >= 'A' && c <= 'Z')
                c = (char)(c - 'A' + 'a');
        doc->doc.add_term("Z" + std::string(prefix) + stem(joined), wdf_inc);
        i = e;
    }
}

/* What the flags ask of the words the tap saw in the last index_text. */
static void use_tapped(xs_doc *doc, unsigned wdf_inc, const char *prefix)
{
    std::string w, term;
    for (const auto &t : doc->tapped) {
        xs_fold_into(w, t.data(), t.size());
        if ((doc->flags & XS_DOC_SPELLING) && !*prefix)
            doc->spelling[w]++;
        if (!(doc->flags & XS_DOC_EXACT))
            continue;
        term.assign(prefix).append(w);
        if (term.size() > 245)      /* Xapian's limit (a long prefix) */
            continue;
        /* wdf 0: a document's length (the sum of wdf), and with it
         * every BM25 weight of the stems, stays as without exact terms;
         * an exact term matches and filters, and weighs nothing */
        doc->doc.add_term(term, 0);
    }
    (void)wdf_inc;
    doc->tapped.clear();
}

extern "C" xs_status xs_doc_index_text(xs_doc *doc, const char *text,
                                       size_t len, unsigned wdf_inc,
                                       const char *prefix, xs_err *err)
{
    try {
        doc->tapped.clear();
        doc->tg.index_text(Xapian::Utf8Iterator(text, len), wdf_inc, prefix);
        add_short_hyphen_terms(doc, text, len, wdf_inc, prefix);
        use_tapped(doc, wdf_inc, prefix);
        return XS_OK;
    }
    XS_CATCH_ALL(err)
}

extern "C" void xs_doc_gap(xs_doc *doc, unsigned gap)
{
    doc->tg.increase_termpos(gap);
}

extern "C" xs_status xs_doc_add_term(xs_doc *doc, const char *term,
                                     unsigned wdf_inc, xs_err *err)
{
    try {
        doc->doc.add_term(term, wdf_inc);
        return XS_OK;
    }
    XS_CATCH_ALL(err)
}

extern "C" xs_status xs_doc_set_value(xs_doc *doc, unsigned slot,
                                      const char *val, size_t len, xs_err *err)
{
    try {
        doc->doc.add_value(slot, std::string(val, len));
        return XS_OK;
    }
    XS_CATCH_ALL(err)
}

extern "C" xs_status xs_doc_set_data(xs_doc *doc, const char *data,
                                     size_t len, xs_err *err)
{
    try {
        doc->doc.set_data(std::string(data, len));
        return XS_OK;
    }
    XS_CATCH_ALL(err)
}

extern "C" xs_status xs_doc_each_term(xs_doc *doc, xs_term_fn fn, void *ctx,
                                      xs_err *err)
{
    try {
        for (auto t = doc->doc.termlist_begin(); t != doc->doc.termlist_end();
             ++t) {
            const std::string &s = *t;
            if (fn(ctx, s.data(), s.size(), t.get_wdf()))
                break;
        }
        return XS_OK;
    }
    XS_CATCH_ALL(err)
}

extern "C" xs_status xs_writer_open(const char *path, unsigned flags,
                                    xs_writer **out, xs_err *err)
{
    *out = NULL;
    try {
        int xflags = Xapian::DB_CREATE_OR_OVERWRITE | Xapian::DB_BACKEND_GLASS;
        /* Not DB_DANGEROUS: after a failed flush Xapian must be able to
         * cancel(), or the real error (disk full) is lost. */
        if (flags & XS_WRITER_SCRATCH)
            xflags |= Xapian::DB_NO_SYNC;
        xs_writer *w = new xs_writer{Xapian::WritableDatabase(path, xflags), {}};
        *out = w;
        return XS_OK;
    }
    XS_CATCH_ALL(err)
}

extern "C" xs_status xs_writer_replace(xs_writer *w, const char *id_term,
                                       const xs_doc *doc, xs_err *err)
{
    try {
        w->db.replace_document(id_term, doc->doc);
        return XS_OK;
    }
    XS_CATCH_ALL(err)
}

extern "C" xs_status xs_writer_set_metadata(xs_writer *w, const char *key,
                                            const char *val, xs_err *err)
{
    try {
        w->db.set_metadata(key, val);
        return XS_OK;
    }
    XS_CATCH_ALL(err)
}

extern "C" xs_status xs_writer_add_spelling(xs_writer *w, const xs_doc *doc,
                                            xs_err *err)
{
    try {
        for (const auto &s : doc->spelling)
            w->spelling[s.first] += s.second;
        return XS_OK;
    }
    XS_CATCH_ALL(err)
}

extern "C" xs_status xs_writer_commit(xs_writer *w, xs_err *err)
{
    try {
        /* once per word and commit: add_spelling looks each word up in
         * the table, which costs as much again as writing the documents
         * when it is done per document */
        for (const auto &s : w->spelling)
            w->db.add_spelling(s.first, s.second);
        w->spelling.clear();
        w->db.commit();
        return XS_OK;
    }
    XS_CATCH_ALL(err)
}

extern "C" void xs_writer_close(xs_writer *w)
{
    if (!w)
        return;
    try {
        /* An unflushed transaction makes close() (and the destructor)
         * cancel what is pending instead of committing it: after a
         * std::bad_alloc inside replace_document, Xapian 1.4's commit
         * reads its half-updated change lists and crashes when memory
         * is still short. */
        w->db.begin_transaction(false);
        w->db.close();
    } catch (...) {
        /* Closing after a failed write may throw again; the directory is a
         * scratch one the caller removes, so nothing is lost. */
    }
    delete w;
}

extern "C" xs_status xs_writer_data(xs_writer *w, const char *term,
                                    char **out, size_t *len, xs_err *err)
{
    *out = NULL;
    *len = 0;
    try {
        Xapian::PostingIterator p = w->db.postlist_begin(term);
        if (p == w->db.postlist_end(term))
            return XS_OK;
        std::string d = w->db.get_document(*p).get_data();
        if (!(*out = xs_strdup(d)))
            return xs_err_set(err, XS_NOMEM, "out of memory");
        *len = d.size();
        return XS_OK;
    }
    XS_CATCH_ALL(err)
}

extern "C" xs_status xs_writer_has_term(xs_writer *w, const char *term,
                                        int *out, xs_err *err)
{
    *out = 0;
    try {
        *out = w->db.term_exists(term) ? 1 : 0;
        return XS_OK;
    }
    XS_CATCH_ALL(err)
}

extern "C" xs_status xs_compact(const char *const *srcs, size_t n,
                                const char *dst, xs_err *err)
{
    try {
        Xapian::Database all;
        for (size_t i = 0; i < n; i++)
            all.add_database(Xapian::Database(srcs[i]));
        all.compact(dst, Xapian::DBCOMPACT_SINGLE_FILE);
        return XS_OK;
    }
    XS_CATCH_ALL(err)
}
