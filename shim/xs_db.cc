/*
 * xs_db.cc -- reading databases: statistics, documents, queries, searches.
 *
 * Owns: Xapian::Database handles, query construction (QueryParser for
 * user queries, term-by-term for generated ones), Enquire with BM25, result
 * sets and snippets.
 * Never: writes; parses paragraph text (generated queries are built term by
 * term, see query/); hands out a docid outside 1..last (damage, XS_CORRUPT).  Ranking: BM25 (Robertson & Zaragoza 2009) as
 * implemented by Xapian::BM25Weight.
 */
#include "xs-int.h"

#include <cstdlib>
#include <algorithm>
#include <cstring>
#include <map>
#include <memory>
#include <unordered_set>
#include <vector>

extern "C" xs_status xs_db_open(const char *path, xs_db **out, xs_err *err)
{
    *out = NULL;
    try {
        std::unique_ptr<xs_db> db(
            new xs_db{Xapian::Database(path), 0, path, std::string(), {}});
        db->last = db->db.get_lastdocid();
        *out = db.release();
        return XS_OK;
    }
    XS_CATCH_ALL(err)
}

extern "C" xs_status xs_db_set_name(xs_db *db, const char *index,
                                    const char *part, xs_err *err)
{
    try {
        db->index = index;
        db->part = part;
        return XS_OK;
    }
    XS_CATCH_ALL(err)
}

extern "C" unsigned xs_db_lastdocid(const xs_db *db)
{
    return db->last;
}

/* A docid read from db's files must be one of its documents: another is
 * damage (and would index past the caller's tables). */
static Xapian::docid checked(const xs_db *db, Xapian::docid did)
{
    if (did == 0 || did > db->last)
        throw Xapian::DatabaseCorruptError(
            "document id " + std::to_string(did) + " is not in 1.." +
            std::to_string(db->last));
    return did;
}

extern "C" void xs_db_close(xs_db *db)
{
    if (db)
        xs_err_clear(&db->fail);
    delete db;
}

/* Keep the first failure of a call that returns a number on the handle.
 * Call only inside a catch block; never throws. */
static void keep_failure(const xs_db *db)
{
    if (db->fail.code)
        return;
    try {
        xs_translate(&db->fail);
    } catch (...) {
        db->fail.code = XS_NOMEM;   /* the translator ran out of memory */
    }
}

extern "C" xs_status xs_db_error(const xs_db *db, xs_err *err)
{
    if (!db || !db->fail.code)
        return XS_OK;
    return xs_err_set(err, db->fail.code, "%s",
                      db->fail.msg ? db->fail.msg
                                   : xs_status_str(db->fail.code));
}

extern "C" unsigned xs_db_doccount(const xs_db *db)
{
    try {
        return db->db.get_doccount();
    } catch (...) {
        keep_failure(db);
        return 0;
    }
}

/* Xapian 1.4.22's glass cursor is not safe to use again after a
 * std::bad_alloc inside it (faultsim: the next get_termfreq read through a
 * NULL block), so once a number call has failed, the calls that read a
 * table answer 0 without asking Xapian: the caller is to see xs_db_error
 * anyway.  (get_doccount reads no table.) */
extern "C" unsigned xs_db_termfreq(const xs_db *db, const char *term)
{
    if (db->fail.code)
        return 0;
    try {
        auto hit = db->df.find(term);
        if (hit != db->df.end())
            return hit->second;
        unsigned df = db->db.get_termfreq(term);
        if (db->df.size() >= 1u << 20)      /* bound memory */
            db->df.clear();
        db->df.emplace(term, df);
        return df;
    } catch (...) {
        keep_failure(db);
        return 0;
    }
}

extern "C" unsigned xs_db_doclength(const xs_db *db, xs_docid did)
{
    if (db->fail.code)
        return 0;
    try {
        return db->db.get_doclength(did);
    } catch (...) {
        keep_failure(db);
        return 0;
    }
}

extern "C" xs_status xs_db_metadata(const xs_db *db, const char *key,
                                    char **out, xs_err *err)
{
    *out = NULL;
    try {
        *out = xs_strdup(db->db.get_metadata(key));
        return *out ? XS_OK : xs_err_set(err, XS_NOMEM, "out of memory");
    }
    XS_CATCH_READ(db, err)
}

extern "C" xs_status xs_db_lookup(const xs_db *db, const char *id_term,
                                  xs_docid *out, xs_err *err)
{
    *out = 0;
    try {
        Xapian::PostingIterator p = db->db.postlist_begin(id_term);
        if (p == db->db.postlist_end(id_term))
            return xs_err_set(err, XS_NOT_FOUND, "no document '%s'", id_term);
        *out = checked(db, *p);
        return XS_OK;
    }
    XS_CATCH_READ(db, err)
}

extern "C" xs_status xs_db_data(const xs_db *db, xs_docid did, char **out,
                                size_t *len, xs_err *err)
{
    *out = NULL;
    try {
        std::string d = db->db.get_document(did).get_data();
        *out = xs_strdup(d);
        if (!*out)
            return xs_err_set(err, XS_NOMEM, "out of memory");
        if (len)
            *len = d.size();
        return XS_OK;
    }
    XS_CATCH_READ(db, err)
}

extern "C" xs_status xs_db_postings(const xs_db *db, const char *term,
                                    xs_doc_fn fn, void *ctx, xs_err *err)
{
    try {
        for (auto p = db->db.postlist_begin(term); p != db->db.postlist_end(term);
             ++p)
            if (fn(ctx, checked(db, *p)))
                break;
        return XS_OK;
    }
    XS_CATCH_READ(db, err)
}

extern "C" xs_status xs_db_each_value(const xs_db *db, unsigned slot,
                                      xs_term_fn fn, void *ctx, xs_err *err)
{
    try {
        for (auto v = db->db.valuestream_begin(slot);
             v != db->db.valuestream_end(slot); ++v) {
            const std::string &s = *v;
            if (fn(ctx, s.data(), s.size(), 0))
                break;
        }
        return XS_OK;
    }
    XS_CATCH_READ(db, err)
}

extern "C" xs_status xs_db_value_table(const xs_db *db, unsigned slot,
                                       char ***out, size_t *n, xs_err *err)
{
    *out = NULL;
    *n = 0;
    try {
        size_t rows = (size_t)db->last + 1, bytes = 0;
        std::vector<std::pair<Xapian::docid, std::string>> vals;
        for (auto v = db->db.valuestream_begin(slot);
             v != db->db.valuestream_end(slot); ++v) {
            vals.emplace_back(checked(db, v.get_docid()), *v);
            bytes += vals.back().second.size() + 1;
        }
        char **tab = static_cast<char **>(
            std::malloc(rows * sizeof *tab + bytes + 1));
        if (!tab)
            return xs_err_set(err, XS_NOMEM, "out of memory");
        char *pool = reinterpret_cast<char *>(tab + rows);
        pool[bytes] = '\0';                 /* the "" of unset values */
        for (size_t i = 0; i < rows; i++)
            tab[i] = pool + bytes;
        for (const auto &v : vals) {
            std::memcpy(pool, v.second.c_str(), v.second.size() + 1);
            tab[v.first] = pool;
            pool += v.second.size() + 1;
        }
        *out = tab;
        *n = rows;
        return XS_OK;
    }
    XS_CATCH_READ(db, err)
}

extern "C" xs_status xs_db_value(const xs_db *db, xs_docid did,
                                 unsigned slot, char **out, xs_err *err)
{
    *out = NULL;
    try {
        *out = xs_strdup(db->db.get_document(did, Xapian::DOC_ASSUME_VALID)
                             .get_value(slot));
        return *out ? XS_OK : xs_err_set(err, XS_NOMEM, "out of memory");
    }
    XS_CATCH_READ(db, err)
}

extern "C" xs_status xs_db_each_term(const xs_db *db, const char *prefix,
                                     xs_term_fn fn, void *ctx, xs_err *err)
{
    try {
        for (auto t = db->db.allterms_begin(prefix);
             t != db->db.allterms_end(prefix); ++t) {
            const std::string &s = *t;
            if (fn(ctx, s.data(), s.size(), t.get_termfreq()))
                break;
        }
        return XS_OK;
    }
    XS_CATCH_READ(db, err)
}

extern "C" xs_status xs_db_doc_terms(const xs_db *db, xs_docid did,
                                     xs_term_fn fn, void *ctx, xs_err *err)
{
    try {
        for (auto t = db->db.termlist_begin(did); t != db->db.termlist_end(did);
             ++t) {
            const std::string &s = *t;
            if (fn(ctx, s.data(), s.size(), t.get_wdf()))
                break;
        }
        return XS_OK;
    }
    XS_CATCH_READ(db, err)
}

/* ---------------------------------------------------------------- query */

static xs_status query_out(Xapian::Query q, xs_query **out)
{
    *out = new xs_query{q, false};
    return XS_OK;
}

namespace {
/* The date filters of one parse: whether it met one, and with undated_too
 * each lets the documents without a date (no value in slot) through. */
struct DateFilters {
    bool met = false;
    bool undated_too;
    Xapian::valueno slot;

    DateFilters(const xs_parser_conf *conf)
        : undated_too(conf->undated_too && conf->date_slot >= 0),
          slot(conf->date_slot >= 0 ? (Xapian::valueno)conf->date_slot : 0)
    {
    }
    Xapian::Query apply(const Xapian::Query &filter)
    {
        met = true;
        if (!undated_too)
            return filter;
        Xapian::Query dated(Xapian::Query::OP_VALUE_GE, slot, "0");
        Xapian::Query none(Xapian::Query::OP_AND_NOT, Xapian::Query::MatchAll,
                           dated);
        return Xapian::Query(Xapian::Query::OP_OR, filter, none);
    }
};

/* A boolean field with a FieldProcessor: values indexed ASCII-lowercased
 * (kind:Nota must find what kind:nota finds), or a date filter (year:). */
class BoolField : public Xapian::FieldProcessor {
    std::string prefix;
    bool lower, fold;      /* fold: as a name (xs_name_fold) */
    DateFilters *dates;    /* NULL: not a date filter */

  public:
    BoolField(const char *p, bool low, bool f, DateFilters *d)
        : prefix(p), lower(low), fold(f), dates(d)
    {
    }
    Xapian::Query operator()(const std::string &value) override
    {
        std::string t = prefix;
        if (fold) {
            char *f = xs_name_fold(value.data(), value.size());
            if (!f)
                throw std::bad_alloc();
            t += f;
            free(f);
        } else {
            for (char c : value)
                t += (lower && c >= 'A' && c <= 'Z') ? (char)(c + 32) : c;
        }
        return dates ? dates->apply(Xapian::Query(t)) : Xapian::Query(t);
    }
};

/* YYYY-MM-DD..YYYY-MM-DD on the date slot, as one of the date filters. */
class DateRange : public Xapian::DateRangeProcessor {
    DateFilters *dates;

  public:
    explicit DateRange(DateFilters *d)
        : Xapian::DateRangeProcessor(d->slot), dates(d)
    {
    }
    Xapian::Query operator()(const std::string &b,
                             const std::string &e) override
    {
        Xapian::Query r = Xapian::DateRangeProcessor::operator()(b, e);
        return r.get_type() == Xapian::Query::OP_INVALID ? r : dates->apply(r);
    }
};
} // namespace

static void parser_configure(Xapian::QueryParser &qp,
                             const xs_parser_conf *conf, DateFilters *dates)
{
    for (size_t i = 0; i < XS_PARSER_MAX && conf->free_prefixes[i][0]; i++)
        qp.add_prefix(conf->free_prefixes[i][0], conf->free_prefixes[i][1]);
    for (size_t i = 0; i < XS_PARSER_MAX && conf->bool_prefixes[i][0]; i++) {
        bool lower = conf->bool_lower & (1u << i);
        bool fold = conf->bool_fold & (1u << i);
        DateFilters *d = conf->bool_dated & (1u << i) ? dates : NULL;
        if (lower || fold || d)
            qp.add_boolean_prefix(
                conf->bool_prefixes[i][0],
                (new BoolField(conf->bool_prefixes[i][1], lower, fold, d))
                    ->release());
        else
            qp.add_boolean_prefix(conf->bool_prefixes[i][0],
                                  conf->bool_prefixes[i][1]);
    }
    if (conf->date_slot >= 0)
        qp.add_rangeprocessor((new DateRange(dates))->release());
}

/* The Dutch stopwords (Snowball's list, from Debian's
 * liblingua-stopwords-perl, embedded by the Makefile), one per line. */
extern "C" const char xs_stopwords[];
/* shim/word-variants.tsv, embedded by tools/embed. */
extern "C" const char xs_word_variants[];

namespace {
class DutchStopper : public Xapian::Stopper {
    std::unordered_set<std::string> words;

  public:
    DutchStopper()
    {
        for (const char *p = xs_stopwords; *p;) {
            size_t n = strcspn(p, "\n");
            if (n)
                words.emplace(p, n);
            p += n + (p[n] == '\n');
        }
    }
    bool operator()(const std::string &w) const override
    {
        return words.count(w) != 0;
    }
};

/* Is t a stemmed free-text term ("Z" + stem, or "Z" + field prefix +
 * stem) whose stem has at least min letters (bytes)?  *stem_at gets
 * where the stem starts. */
bool stem_term(const std::string &t, size_t min, size_t *stem_at)
{
    if (t.empty() || t[0] != 'Z')
        return false;
    size_t i = 1;
    while (i < t.size() && t[i] >= 'A' && t[i] <= 'Z')
        i++;
    *stem_at = i;
    return t.size() - i >= min;
}

Xapian::Query wildcard(const std::string &t)
{
    return Xapian::Query(Xapian::Query::OP_WILDCARD, t, XS_WILDCARD_MAX,
                         Xapian::Query::WILDCARD_LIMIT_MOST_FREQUENT);
}

/* The ending pairs of shim/word-variants.tsv ("centra", "centrum"). */
class WordVariants {
    std::vector<std::pair<std::string, std::string>> pairs;

  public:
    WordVariants()
    {
        for (const char *p = xs_word_variants; *p;) {
            size_t n = strcspn(p, "\n");
            const char *tab = (const char *)memchr(p, '\t', n);
            if (*p != '#' && tab)
                pairs.emplace_back(std::string(p, tab),
                                   std::string(tab + 1, p + n));
            p += n + (p[n] == '\n');
        }
    }
    /* The other forms of folded word w: its ending swapped by each pair
     * ("woonzorgcentra" -> "woonzorgcentrum"). */
    std::vector<std::string> of(const std::string &w) const
    {
        std::vector<std::string> out;
        for (const auto &pr : pairs)
            for (int k = 0; k < 2; k++) {
                const std::string &from = k ? pr.second : pr.first;
                const std::string &to = k ? pr.first : pr.second;
                if (w.size() >= from.size() &&
                    !w.compare(w.size() - from.size(), from.size(), from))
                    out.push_back(w.substr(0, w.size() - from.size()) + to);
            }
        return out;
    }
};

/* How rewrite() widens the stemmed words of a user query. */
struct Widen {
    bool compounds, variants;
    const Xapian::Stem &stem;
};

/* Stemmed term t (at: where its stem starts) as one synonym of the forms
 * a user means by the folded words it was stemmed from: with compounds,
 * the stemmed terms starting with a word of XS_COMPOUND_MIN letters or
 * more (the word, not its stem: "digitaal", stem "digital", must not find
 * "digitaliseren"); with variants, the stems of the word's other endings
 * (word-variants.tsv). */
Xapian::Query forms_of(const Xapian::QueryParser &qp, const std::string &t,
                       size_t at, const Widen &how)
{
    static const WordVariants variants;
    std::vector<Xapian::Query> alt{Xapian::Query(t)};
    for (auto u = qp.unstem_begin(t); u != qp.unstem_end(t); ++u) {
        const std::string &w = *u;
        char *f = xs_fold(w.data(), w.size());
        if (!f)
            throw std::bad_alloc();
        std::string word(f);
        free(f);
        if (how.compounds && word.size() >= XS_COMPOUND_MIN)
            alt.push_back(wildcard(t.substr(0, at) + word));
        if (how.variants)
            for (const std::string &v : variants.of(word))
                alt.push_back(Xapian::Query(t.substr(0, at) + how.stem(v)));
    }
    if (alt.size() == 1)
        return alt[0];
    return Xapian::Query(Xapian::Query::OP_SYNONYM, alt.begin(), alt.end());
}

/* A wildcard's pattern ("Sstik" of title:stik*).  Xapian 1.4 has no
 * accessor for it, only the description "Query(WILDCARD SYNONYM Sstik)";
 * false if that is not its form. */
bool wildcard_pattern(const Xapian::Query &q, std::string &pattern)
{
    static const std::string head = "Query(WILDCARD ";
    std::string d = q.get_description();
    size_t sp = d.find(' ', head.size());
    if (d.compare(0, head.size(), head) != 0 || sp == std::string::npos ||
        d.size() < sp + 3 || d.back() != ')')
        return false;
    pattern = d.substr(sp + 1, d.size() - sp - 2);
    return pattern.find(' ') == std::string::npos;
}

/* stik*: the exact forms (indexer/ix.h) carry no weight (wdf 0), so the
 * stemmed terms that start so join them in one synonym: a match still
 * needs a word starting with stik, and ranks by BM25 over the stems. */
Xapian::Query weighted_wildcard(const Xapian::Query &q)
{
    std::string p;
    if (!wildcard_pattern(q, p))
        return q;
    Xapian::Query both[2] = {q, wildcard("Z" + p)};
    return Xapian::Query(Xapian::Query::OP_SYNONYM, both, both + 2);
}

/* q with every wildcard weighted, and every stemmed term replaced by
 * forms_of it, outside phrases and proximity, which need the exact term. */
Xapian::Query rewrite(const Xapian::QueryParser &qp, const Xapian::Query &q,
                      const Widen &how)
{
    using Q = Xapian::Query;
    size_t at;
    switch (q.get_type()) {
    case Q::LEAF_TERM: {
        std::string t = *q.get_terms_begin();
        bool widen = how.compounds || how.variants;
        return widen && stem_term(t, 1, &at) ? forms_of(qp, t, at, how) : q;
    }
    case Q::OP_WILDCARD:
        return weighted_wildcard(q);
    case Q::OP_AND: case Q::OP_OR: case Q::OP_AND_NOT: case Q::OP_XOR:
    case Q::OP_AND_MAYBE: case Q::OP_FILTER: case Q::OP_SYNONYM:
    case Q::OP_MAX: {
        std::vector<Q> subs;
        for (size_t i = 0; i < q.get_num_subqueries(); i++)
            subs.push_back(rewrite(qp, q.get_subquery(i), how));
        return Q(q.get_type(), subs.begin(), subs.end());
    }
    default:
        return q;
    }
}

/* exact:Overheid: the unstemmed term of the folded word (indexer/ix.h:
 * unprefixed, as Xapian's convention has it), which carries no weight
 * (wdf 0): the matches rank by BM25 of the word's stem. */
class ExactField : public Xapian::FieldProcessor {
    Xapian::Stem stem;

  public:
    explicit ExactField(const Xapian::Stem &s) : stem(s) {}
    Xapian::Query operator()(const std::string &value) override
    {
        char *f = xs_word_fold(value.data(), value.size());
        if (!f)
            throw std::bad_alloc();
        std::string t(f);
        free(f);
        return Xapian::Query(Xapian::Query::OP_AND_MAYBE, Xapian::Query(t),
                             Xapian::Query("Z" + stem(t)));
    }
};
} // namespace

extern "C" int xs_is_stopword(const char *word)
{
    static const DutchStopper stop;
    return stop(word);
}

/* Set qp up for db and conf (stop and dates outlive it); its flags. */
static unsigned parser_setup(Xapian::QueryParser &qp, const xs_db *db,
                             xs_stem *stem, const xs_parser_conf *conf,
                             DutchStopper *stop, DateFilters *dates)
{
    qp.set_database(db->db);
    qp.set_stemmer(stem->stem);
    qp.set_stemming_strategy(Xapian::QueryParser::STEM_ALL_Z);
    qp.set_default_op(conf->default_or ? Xapian::Query::OP_OR
                                       : Xapian::Query::OP_AND);
    if (conf->stopwords)
        qp.set_stopper(stop);
    parser_configure(qp, conf, dates);
    if (conf->exact)
        qp.add_prefix("exact", (new ExactField(stem->stem))->release());
    unsigned flags = Xapian::QueryParser::FLAG_DEFAULT |
                     Xapian::QueryParser::FLAG_PURE_NOT;
    if (conf->wildcards) {  /* over the exact forms (indexer/ix.h) */
        flags |= Xapian::QueryParser::FLAG_WILDCARD;
        qp.set_max_expansion(XS_WILDCARD_MAX,
                             Xapian::Query::WILDCARD_LIMIT_MOST_FREQUENT);
    }
    return flags;
}

/* A QueryParser set up for a user query, with what it borrows. */
struct UserParser {
    Xapian::QueryParser qp;
    DutchStopper stop;
    DateFilters dates;
    unsigned flags;

    UserParser(const xs_db *db, xs_stem *stem, const xs_parser_conf *conf)
        : dates(conf), flags(parser_setup(qp, db, stem, conf, &stop, &dates))
    {
    }
};

extern "C" xs_status xs_query_correct(const xs_db *db, xs_stem *stem,
                                      const xs_parser_conf *conf,
                                      const char *text, char **out,
                                      xs_err *err)
{
    *out = NULL;
    try {
        UserParser p(db, stem, conf);
        p.qp.parse_query(text, p.flags |
                                   Xapian::QueryParser::FLAG_SPELLING_CORRECTION);
        *out = xs_strdup(p.qp.get_corrected_query_string());
        return *out ? XS_OK : xs_err_set(err, XS_NOMEM, "out of memory");
    }
    XS_CATCH_READ(db, err)
}

extern "C" xs_status xs_query_parse(const xs_db *db, xs_stem *stem,
                                    const xs_parser_conf *conf,
                                    const char *text, xs_query **out,
                                    xs_err *err)
{
    *out = NULL;
    try {
        UserParser p(db, stem, conf);
        Xapian::Query q = p.qp.parse_query(text, p.flags);
        Widen how = {conf->compounds != 0, conf->variants != 0, stem->stem};
        bool walk = how.compounds || how.variants || conf->wildcards;
        xs_status st = query_out(walk ? rewrite(p.qp, q, how) : q, out);
        (*out)->dated = p.dates.met;
        return st;
    }
    XS_CATCH_ALL(err)
}

extern "C" int xs_query_dated(const xs_query *q)
{
    return q->dated;
}

extern "C" xs_status xs_query_all(xs_query **out, xs_err *err)
{
    *out = NULL;
    try {
        return query_out(Xapian::Query::MatchAll, out);
    }
    XS_CATCH_ALL(err)
}

extern "C" xs_status xs_query_term(const char *term, unsigned wqf,
                                   xs_query **out, xs_err *err)
{
    *out = NULL;
    try {
        return query_out(Xapian::Query(term, wqf), out);
    }
    XS_CATCH_ALL(err)
}

static Xapian::Query::op op_of(xs_op op)
{
    switch (op) {
    case XS_OP_AND: return Xapian::Query::OP_AND;
    case XS_OP_AND_NOT: return Xapian::Query::OP_AND_NOT;
    case XS_OP_FILTER: return Xapian::Query::OP_FILTER;
    case XS_OP_OR: break;
    }
    return Xapian::Query::OP_OR;
}

extern "C" xs_status xs_query_combine(xs_op op, xs_query *const *subs,
                                      size_t n, unsigned param,
                                      xs_query **out, xs_err *err)
{
    *out = NULL;
    try {
        std::vector<Xapian::Query> qs;
        qs.reserve(n);
        for (size_t i = 0; i < n; i++)
            qs.push_back(subs[i]->q);
        (void)param;
        return query_out(Xapian::Query(op_of(op), qs.begin(), qs.end()), out);
    }
    XS_CATCH_ALL(err)
}

extern "C" xs_status xs_query_scale(const xs_query *q, double factor,
                                    xs_query **out, xs_err *err)
{
    *out = NULL;
    try {
        return query_out(Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, q->q,
                                       factor),
                         out);
    }
    XS_CATCH_ALL(err)
}

extern "C" xs_status xs_query_range(unsigned slot, const char *lo,
                                    const char *hi, xs_query **out,
                                    xs_err *err)
{
    *out = NULL;
    try {
        if (*lo && *hi)
            return query_out(
                Xapian::Query(Xapian::Query::OP_VALUE_RANGE, slot, lo, hi), out);
        if (*lo)
            return query_out(Xapian::Query(Xapian::Query::OP_VALUE_GE, slot, lo),
                             out);
        return query_out(Xapian::Query(Xapian::Query::OP_VALUE_LE, slot, hi),
                         out);
    }
    XS_CATCH_ALL(err)
}

extern "C" int xs_query_empty(const xs_query *q)
{
    return q->q.empty();
}

extern "C" char *xs_query_describe(const xs_query *q)
{
    try {
        return xs_strdup(q->q.get_description());
    } catch (...) {
        return NULL;
    }
}

extern "C" void xs_query_free(xs_query *q)
{
    delete q;
}

/* ---------------------------------------------------------------- search */

namespace {
/* A facet over a slot holding a list of values joined with '\n' (the
 * ministers of a decision): each value counted once per document. */
class SplitCount : public Xapian::MatchSpy {
    Xapian::valueno slot;
    std::map<std::string, unsigned> counts;

  public:
    explicit SplitCount(Xapian::valueno s) : slot(s) {}
    void operator()(const Xapian::Document &doc, double) override
    {
        std::string v = doc.get_value(slot);
        size_t at = 0;
        while (at < v.size()) {
            size_t nl = v.find('\n', at);
            if (nl == std::string::npos)
                nl = v.size();
            if (nl > at)
                counts[v.substr(at, nl - at)]++;
            at = nl + 1;
        }
    }
    /* As xs_mset_facet: all by value (max 0), or the max most frequent
     * (ties by value). */
    void each(unsigned max, xs_term_fn fn, void *ctx) const
    {
        std::vector<std::pair<std::string, unsigned>> v(counts.begin(),
                                                        counts.end());
        if (max) {
            std::stable_sort(v.begin(), v.end(),
                             [](const std::pair<std::string, unsigned> &a,
                                const std::pair<std::string, unsigned> &b) {
                                 return a.second > b.second;
                             });
            if (v.size() > max)
                v.resize(max);
        }
        for (const auto &e : v)
            if (fn(ctx, e.first.data(), e.first.size(), e.second))
                break;
    }
};
} // namespace

extern "C" xs_status xs_search(const xs_db *db, const xs_query *q,
                               const xs_search_opts *o, xs_mset **out,
                               xs_err *err)
{
    *out = NULL;
    try {
        Xapian::Enquire enq(db->db);
        enq.set_query(q->q);
        double k1 = o->bm25_k1 > 0 ? o->bm25_k1 : 1.0;
        double b = o->bm25_b > 0 ? o->bm25_b : 0.5;
        double k3 = o->bm25_k3 > 0 ? o->bm25_k3 : 1.0;
        enq.set_weighting_scheme(Xapian::BM25Weight(k1, 0, k3, b, 0.5));
        /* ascending: a document without the value sorts after all */
        Xapian::MultiValueKeyMaker key;
        if (o->sort_slot >= 0) {
            key.add_value((Xapian::valueno)o->sort_slot, !o->sort_ascending,
                          o->sort_ascending ? std::string(1, '\xff')
                                            : std::string());
            enq.set_sort_by_key_then_relevance(&key, false);
        } else if (o->tie_slot > 0) {
            enq.set_sort_by_relevance_then_value(
                (Xapian::valueno)o->tie_slot, false);
        } else {
            enq.set_docid_order(Xapian::Enquire::ASCENDING);
        }
        std::unique_ptr<xs_mset> m(new xs_mset{Xapian::MSet(), {}});
        if (o->collapse)
            enq.set_collapse_key((Xapian::valueno)o->collapse_slot);
        /* owned before it is stored: a vector that fails to grow must
         * not leak the spy (make faultsim, search N=536) */
        m->spies.reserve(XS_MAX_FACETS);
        for (size_t k = 0; k < o->nfacets && k < XS_MAX_FACETS; k++) {
            std::unique_ptr<Xapian::MatchSpy> spy;
            if (o->facet_multi & (1u << k))
                spy.reset(new SplitCount(o->facet_slots[k]));
            else
                spy.reset(new Xapian::ValueCountMatchSpy(o->facet_slots[k]));
            m->spies.push_back(std::move(spy));
            enq.add_matchspy(m->spies.back().get());
        }
        Xapian::doccount all = o->exact ? db->db.get_doccount() : 0;
        m->mset = enq.get_mset(o->offset, o->limit, all);
        for (auto i = m->mset.begin(); i != m->mset.end(); ++i)
            checked(db, *i);
        *out = m.release();
        return XS_OK;
    }
    XS_CATCH_READ(db, err)
}

extern "C" void xs_mset_free(xs_mset *m)
{
    delete m;
}

extern "C" unsigned xs_mset_size(const xs_mset *m)
{
    return m->mset.size();
}

extern "C" unsigned xs_mset_estimate(const xs_mset *m)
{
    return m->mset.get_matches_estimated();
}

extern "C" unsigned xs_mset_total(const xs_mset *m)
{
    return m->mset.get_uncollapsed_matches_estimated();
}

extern "C" unsigned xs_mset_results(const xs_mset *m)
{
    return m->mset.get_matches_estimated();
}

extern "C" unsigned xs_mset_collapsed(const xs_mset *m, unsigned i)
{
    return m->mset[i].get_collapse_count();
}

extern "C" xs_status xs_mset_facet(const xs_mset *m, size_t k, unsigned max,
                                   xs_term_fn fn, void *ctx, xs_err *err)
{
    try {
        if (k >= m->spies.size())
            return xs_err_set(err, XS_INVALID, "no facet %zu", k);
        auto *split = dynamic_cast<const SplitCount *>(m->spies[k].get());
        if (split)
            return split->each(max, fn, ctx), XS_OK;
        const Xapian::ValueCountMatchSpy &spy =
            *static_cast<const Xapian::ValueCountMatchSpy *>(
                m->spies[k].get());
        if (!max) {                     /* all of them, by value */
            for (auto v = spy.values_begin(); v != spy.values_end(); ++v) {
                const std::string &s = *v;
                if (fn(ctx, s.data(), s.size(), v.get_termfreq()))
                    break;
            }
            return XS_OK;
        }
        for (auto v = spy.top_values_begin(max); v != spy.top_values_end(max);
             ++v) {
            const std::string &s = *v;
            if (fn(ctx, s.data(), s.size(), v.get_termfreq()))
                break;
        }
        return XS_OK;
    }
    XS_CATCH_ALL(err)
}

extern "C" xs_docid xs_mset_docid(const xs_mset *m, unsigned i)
{
    return *m->mset[i];
}

extern "C" double xs_mset_weight(const xs_mset *m, unsigned i)
{
    return m->mset[i].get_weight();
}

namespace {
class PrefixDecider : public Xapian::ExpandDecider {
    std::string want, skip;

  public:
    PrefixDecider(const char *w, const char *s) : want(w), skip(s) {}
    bool operator()(const std::string &t) const override
    {
        return t.compare(0, want.size(), want) == 0 &&
               (skip.empty() || t.compare(0, skip.size(), skip) != 0);
    }
};
} // namespace

extern "C" xs_status xs_expand(const xs_db *db, const xs_docid *docs, size_t n,
                               unsigned nterms, const char *prefix,
                               const char *skip_prefix, xs_term_fn fn,
                               void *ctx, xs_err *err)
{
    try {
        Xapian::RSet rset;
        for (size_t i = 0; i < n; i++)
            rset.add_document(docs[i]);
        Xapian::Enquire enq(db->db);
        PrefixDecider dec(prefix, skip_prefix);
        /* exact term frequencies: over several shards Xapian estimates
         * them otherwise, and the terms would depend on the layout */
        Xapian::ESet eset = enq.get_eset(
            nterms, rset, Xapian::Enquire::USE_EXACT_TERMFREQ, &dec);
        for (auto t = eset.begin(); t != eset.end(); ++t) {
            const std::string &s = *t;
            unsigned w = (unsigned)(t.get_weight() * 1000 + 0.5);
            if (fn(ctx, s.data(), s.size(), w))
                break;
        }
        return XS_OK;
    }
    XS_CATCH_READ(db, err)
}

/* Undo the HTML escaping MSet::snippet() applies (&amp; &lt; &gt;), in one
 * left-to-right pass so "&amp;lt;" becomes "&lt;". */
static std::string html_unescape(const std::string &s)
{
    static const struct { const char *ent; char c; } ents[] = {
        {"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}};
    std::string out;
    out.reserve(s.size());
    for (size_t i = 0; i < s.size();) {
        bool hit = false;
        for (const auto &e : ents) {
            size_t n = strlen(e.ent);
            if (s.compare(i, n, e.ent) == 0) {
                out += e.c;
                i += n;
                hit = true;
                break;
            }
        }
        if (!hit)
            out += s[i++];
    }
    return out;
}

extern "C" char *xs_mset_snippet(const xs_mset *m, xs_stem *stem,
                                 const char *text, size_t len, size_t chars,
                                 const char *hi_start, const char *hi_end)
{
    try {
        /* no SNIPPET_BACKGROUND_MODEL: it looks up the frequency of every
         * word of the text and took 0.4 of the 1.1 ms of an ad-hoc search
         * (bench/search.sh); the passage still centres on the query's
         * words */
        std::string s = m->mset.snippet(std::string(text, len), chars,
                                        stem->stem,
                                        Xapian::MSet::SNIPPET_EXHAUSTIVE,
                                        hi_start, hi_end, "…");
        return xs_strdup(html_unescape(s));
    } catch (...) {
        return NULL;
    }
}

/* --------------------------------------------------------- spelling */

extern "C" xs_status xs_db_suggest(const xs_db *db, const char *word,
                                   char **out, xs_err *err)
{
    *out = NULL;
    try {
        std::string w;
        xs_word_fold_into(w, word, std::strlen(word));
        *out = xs_strdup(db->db.get_spelling_suggestion(w, 2));
        return *out ? XS_OK : xs_err_set(err, XS_NOMEM, "out of memory");
    }
    XS_CATCH_READ(db, err)
}
