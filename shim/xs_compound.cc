/*
 * xs_compound.cc -- Dutch compound splitting over a corpus vocabulary.
 *
 * Owns: the split rule (see xs.h; Koehn & Knight, "Empirical methods for
 * compound splitting", EACL 2003), the index-time vocabulary and its memo
 * of splits, adding part terms to documents.
 * Never: splits with a hand-made word list: the vocabulary is the corpus's
 * own.  The "Z" of the terms below is IX_STEM_PREFIX of the layout table
 * (indexer/ix.h, ix_layout.c), Xapian's prefix of stemmed terms, spelled
 * out here because C++ code cannot include the C layer's header.  Lives in the shim because it needs hash maps (std::unordered_map)
 * and the stemmer, not because it needs Xapian.
 */
#include "xs-int.h"

#include <cmath>
#include <cstring>
#include <unordered_map>
#include <vector>

#define MIN_COMPOUND 8   /* letters of a stem worth splitting */
#define MIN_PART 4       /* letters of each part */

namespace {

typedef std::vector<std::string> Parts;

struct Splitter {
    Xapian::StemImplementation &stem;
    xs_df_fn df;
    void *ctx;

    unsigned freq(const std::string &term) { return df(ctx, term.c_str()); }

    /* df of the left part with linking letters dropped (best variant). */
    unsigned left_df(const std::string &left, std::string &term)
    {
        static const char *const links[] = {"", "s", "e", "en"};
        unsigned best = 0;
        for (const char *l : links) {
            size_t n = strlen(l);
            if (left.size() < n + MIN_PART ||
                left.compare(left.size() - n, n, l) != 0)
                continue;
            std::string t = "Z" + stem(left.substr(0, left.size() - n));
            unsigned f = t.size() - 1 >= MIN_PART ? freq(t) : 0;
            if (f > best) {
                best = f;
                term = t;
            }
        }
        return best;
    }

    /* Best two-way split of stem s (no "Z"); false if none beats s. */
    bool split2(const std::string &s, std::string &l, std::string &r)
    {
        double whole = freq("Z" + s), best = whole;
        for (size_t i = MIN_PART; i + MIN_PART <= s.size(); i++) {
            if ((s[i] & 0xC0) == 0x80)
                continue;           /* not between two characters */
            std::string lt, rt = "Z" + s.substr(i);
            unsigned rf = freq(rt), lf = rf ? left_df(s.substr(0, i), lt) : 0;
            double g = std::sqrt((double)lf * rf);
            if (lf && g > best) {
                best = g;
                l = lt;
                r = rt;
            }
        }
        return best > whole;
    }

    void split(const std::string &s, Parts &out, int depth)
    {
        std::string l, r;
        if (s.size() < MIN_COMPOUND || !split2(s, l, r))
            return;
        out.push_back(l);
        out.push_back(r);
        if (depth > 0) {
            split(l.substr(1), out, depth - 1);
            split(r.substr(1), out, depth - 1);
        }
    }
};

bool splittable(const char *term)
{
    return term[0] == 'Z' && term[1] >= 'a' && term[1] <= 'z' &&
           strlen(term + 1) >= MIN_COMPOUND;
}

} // namespace

struct xs_splitter {
    Splitter sp;
    std::unordered_map<std::string, Parts> memo;
};

struct xs_vocab {
    std::unordered_map<std::string, unsigned> df;
};

extern "C" xs_status xs_splitter_new(xs_stem *stem, xs_df_fn df, void *ctx,
                                     xs_splitter **out, xs_err *err)
{
    *out = NULL;
    try {
        *out = new xs_splitter{Splitter{*stem->impl, df, ctx}, {}};
        return XS_OK;
    }
    XS_CATCH_ALL(err)
}

extern "C" void xs_splitter_free(xs_splitter *sp)
{
    delete sp;
}

extern "C" void xs_splitter_reset(xs_splitter *sp)
{
    sp->memo.clear();
}

/* The parts of term, memoised (empty when not a compound). */
static const Parts &parts_of(xs_splitter *sp, const std::string &term)
{
    auto hit = sp->memo.find(term);
    if (hit != sp->memo.end())
        return hit->second;
    Parts parts;
    if (splittable(term.c_str()))
        sp->sp.split(term.substr(1), parts, 1);
    if (sp->memo.size() >= 1u << 20)    /* bound memory */
        sp->memo.clear();
    return sp->memo.emplace(term, std::move(parts)).first->second;
}

extern "C" size_t xs_splitter_parts(xs_splitter *sp, const char *term,
                                    xs_term_fn out, void *octx)
{
    try {
        const Parts &parts = parts_of(sp, term);
        for (const std::string &p : parts)
            if (out(octx, p.data(), p.size(), 0))
                break;
        return parts.size();
    } catch (...) {
        return (size_t)-1;          /* std::bad_alloc: all it can throw */
    }
}

extern "C" unsigned xs_vocab_df(void *vocab, const char *term)
{
    const xs_vocab *v = (const xs_vocab *)vocab;
    auto it = v->df.find(term);
    return it == v->df.end() ? 0 : it->second;
}

extern "C" xs_status xs_vocab_new(xs_vocab **out, xs_err *err)
{
    *out = NULL;
    try {
        *out = new xs_vocab();
        return XS_OK;
    }
    XS_CATCH_ALL(err)
}

extern "C" void xs_vocab_free(xs_vocab *v)
{
    delete v;
}

extern "C" xs_status xs_vocab_learn(xs_vocab *v, const xs_doc *doc,
                                    xs_err *err)
{
    try {
        for (auto t = doc->doc.termlist_begin(); t != doc->doc.termlist_end();
             ++t) {
            const std::string &s = *t;
            if (s.size() > 1 && s[0] == 'Z' && s[1] >= 'a' && s[1] <= 'z')
                v->df[s]++;
        }
        return XS_OK;
    }
    XS_CATCH_ALL(err)
}

extern "C" xs_status xs_doc_add_splits(xs_doc *doc, xs_splitter *sp,
                                       xs_err *err)
{
    try {
        std::vector<std::pair<std::string, unsigned>> add;
        for (auto t = doc->doc.termlist_begin(); t != doc->doc.termlist_end();
             ++t) {
            const std::string &s = *t;
            if (!splittable(s.c_str()))
                continue;
            for (const std::string &p : parts_of(sp, s))
                add.emplace_back(p, t.get_wdf());
        }
        for (const auto &a : add)
            doc->doc.add_term(a.first, a.second);
        return XS_OK;
    }
    XS_CATCH_ALL(err)
}
