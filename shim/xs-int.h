/*
 * xs-int.h -- private to shim/: the structs behind the opaque handles of
 * xs.h and the one exception translator.
 *
 * Owns: the layout of xs_stem, xs_doc, xs_writer, xs_db, xs_query, xs_mset.
 * Never: included outside shim/.  Every exported function wraps its body in
 * one try and hands whatever it catches to xs_translate().
 */
#ifndef XS_INT_H
#define XS_INT_H

#include "xs.h"

#include <xapian.h>
#include <memory>
#include <string>
#include <vector>
#include <unordered_map>
#include <vector>

struct xs_stem {
    Xapian::Stem stem;            /* wraps our StemImplementation          */
    Xapian::StemImplementation *impl; /* borrowed from stem, for direct use */
    std::string last;             /* result of the last xs_stem_word()     */
};

struct xs_doc {
    Xapian::Document doc;
    Xapian::TermGenerator tg;   /* stems through a tap (xs_doc.cc) that
                                   sees each word and calls stem      */
    Xapian::Stem stem;          /* the one stemmer (shared handle) */
    unsigned flags = 0;         /* enum xs_doc_flags                  */
    /* the words the tap saw in the running xs_doc_index_text call (as
     * TermGenerator lowercased them) */
    std::vector<std::string> tapped;
    /* folded words of the unprefixed field and their occurrences, since
     * the last clear (XS_DOC_SPELLING) */
    std::unordered_map<std::string, unsigned> spelling;
};

struct xs_writer {
    Xapian::WritableDatabase db;
    /* words for the spelling table and their occurrences, added to it by
     * the next commit (xs_writer_add_spelling) */
    std::unordered_map<std::string, unsigned> spelling;
};

struct xs_db {
    Xapian::Database db;
    Xapian::docid last;     /* get_lastdocid() at open: a snapshot is never
                               written in place                         */
    std::string index, part; /* names in corruption messages (xs_db_set_name) */
    /* xs_db_termfreq answers, by term: ranking asks for the same terms
     * again and again (each B-tree lookup reads a block). */
    mutable std::unordered_map<std::string, unsigned> df;
    /* first failure of a call that returns a number (xs_db_error) */
    mutable xs_err fail = {XS_OK, nullptr};
};

struct xs_query {
    Xapian::Query q;
    bool dated;          /* xs_query_parse met a date filter           */
};

struct xs_mset {
    Xapian::MSet mset;
    /* the facets' spies (xs_search_opts.facet_slots), filled by the match */
    std::vector<std::unique_ptr<Xapian::MatchSpy>> spies;  /* ValueCount
                                          or SplitCount (xs_db.cc) */
};

/* Rethrow the exception in flight and map it, most specific first, to an
 * xs_status with a message in err.  Call only from inside a catch block.
 * xs_translate_read is for functions reading the open database db: there
 * an exception that means damaged files is XS_CORRUPT with db's names
 * in the message (see xs_err.cc). */
xs_status xs_translate(xs_err *err);
xs_status xs_translate_read(const xs_db *db, xs_err *err);

/* The stem implementation behind xs_stem (also used by the query parser
 * and the snippet generator through Xapian::Stem). */
Xapian::StemImplementation *xs_stem_impl_new();

/* Fold s into out (cleared first), as xs_fold does; and as xs_word_fold
 * does (Unicode lowercase first). */
void xs_fold_into(std::string &out, const char *s, size_t len);
void xs_word_fold_into(std::string &out, const char *s, size_t len);

/* malloc'd copy of s (NULL on allocation failure). */
char *xs_strdup(const std::string &s);

#define XS_CATCH_ALL(err) \
    catch (...) { return xs_translate(err); }
#define XS_CATCH_READ(db, err) \
    catch (...) { return xs_translate_read(db, err); }

#endif /* XS_INT_H */
