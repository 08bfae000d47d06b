/*
 * xs_stem.cc -- the one Dutch stemming function of akkoord.
 *
 * Owns: diacritic folding (xs_fold, xs_word_fold) and the Xapian::StemImplementation that
 * folds, then looks the word up in the stem-override table
 * (shim/stem-overrides.tsv, built into the binary) and otherwise calls
 * libstemmer_c's Snowball "dutch" algorithm, memoising results.  Xapian's TermGenerator, QueryParser and snippet generator and
 * our own C code all stem through it, so a word always gets the same stem.
 * Never: shares a libstemmer handle between threads (one per xs_stem).
 * Spec: Snowball Dutch stemmer, https://snowballstem.org/algorithms/dutch/
 */
#include "xs-int.h"

#include <libstemmer.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <new>
#include <unordered_map>

/* shim/stem-overrides.tsv, embedded by tools/embed (see Makefile). */
extern "C" const char xs_stem_overrides[];
extern "C" const char xs_stem_overrides_sha256[];

#ifndef AK_STEMMER_VERSION
#define AK_STEMMER_VERSION "unknown"
#endif

/* Base letters for U+00C0..U+00FF and U+0100..U+017F.  '.' keeps the
 * character; 'A' = "ae", 'S' = "ss", 'I' = "ij", 'O' = "oe". */
static const char latin1_fold[] =
    "aaaaaaAceeeeiiiidnooooo.ouuuuy.S"
    "aaaaaaAceeeeiiiidnooooo.ouuuuy.y";
static const char latin_ext_a_fold[] =
    "aaaaaaccccccccddddeeeeeeeeeegggggggghhhhiiiiiiiiiiIIjjkkk"
    "llllllllllnnnnnnnnnooooooOOrrrrrrssssssssttttttuuuuuuuuuuuuwwyyyzzzzzzs";

static void fold_append(std::string &out, unsigned cp, const char *src,
                        size_t n)
{
    char c = '.';
    if (cp >= 0xC0 && cp <= 0xFF)
        c = latin1_fold[cp - 0xC0];
    else if (cp >= 0x100 && cp <= 0x17F)
        c = latin_ext_a_fold[cp - 0x100];
    switch (c) {
    case '.': out.append(src, n); break;
    case 'A': out += "ae"; break;
    case 'S': out += "ss"; break;
    case 'I': out += "ij"; break;
    case 'O': out += "oe"; break;
    default: out += c;
    }
}

/* Fold s into out (cleared first).  Two-byte UTF-8 sequences are decoded;
 * everything else is copied unchanged, ASCII lowercased. */
void xs_fold_into(std::string &out, const char *s, size_t len)
{
    out.clear();
    for (size_t i = 0; i < len;) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x80) {
            out += (c >= 'A' && c <= 'Z') ? (char)(c + 32) : (char)c;
            i++;
        } else if ((c & 0xE0) == 0xC0 && i + 1 < len &&
                   ((unsigned char)s[i + 1] & 0xC0) == 0x80) {
            unsigned cp = ((c & 0x1Fu) << 6) | ((unsigned char)s[i + 1] & 0x3Fu);
            fold_append(out, cp, s + i, 2);
            i += 2;
        } else {
            out += (char)c;
            i++;
        }
    }
}

namespace {

typedef std::unordered_map<std::string, std::string> word_map;

/* The override table: "word<TAB>stem" lines, '#' comments, blank lines. */
static void load_overrides(word_map &out)
{
    for (const char *p = xs_stem_overrides; *p;) {
        const char *eol = std::strchr(p, '\n');
        if (!eol)
            eol = p + std::strlen(p);
        const char *tab = (const char *)std::memchr(p, '\t', (size_t)(eol - p));
        if (*p != '#' && tab)
            out.emplace(std::string(p, tab), std::string(tab + 1, eol));
        p = *eol ? eol + 1 : eol;
    }
}

class FoldDutchStem : public Xapian::StemImplementation {
    struct sb_stemmer *sb;
    word_map memo, overrides;
    std::string folded;

  public:
    FoldDutchStem() : sb(sb_stemmer_new("dutch", "UTF_8"))
    {
        if (!sb)
            throw std::bad_alloc();
        try {
            load_overrides(overrides);
        } catch (...) {
            sb_stemmer_delete(sb);
            throw;
        }
    }
    ~FoldDutchStem() { sb_stemmer_delete(sb); }

    std::string operator()(const std::string &word) override
    {
        auto hit = memo.find(word);
        if (hit != memo.end())
            return hit->second;
        xs_fold_into(folded, word.data(), word.size());
        auto over = overrides.find(folded);
        if (over != overrides.end())
            return over->second;
        const sb_symbol *r = sb_stemmer_stem(
            sb, (const sb_symbol *)folded.data(), (int)folded.size());
        if (!r)
            throw std::bad_alloc();
        std::string stem((const char *)r, (size_t)sb_stemmer_length(sb));
        if (memo.size() >= 1u << 20)   /* bound memory on huge vocabularies */
            memo.clear();
        memo.emplace(word, stem);
        return stem;
    }

    std::string get_description() const override { return xs_stem_name(); }
};

} // namespace

Xapian::StemImplementation *xs_stem_impl_new()
{
    return new FoldDutchStem();
}

extern "C" const char *xs_stem_name(void)
{
    /* "…/2.2.0-2+overrides:<12 hex digits of the table's SHA-256>" */
    static const struct name_buf {
        char s[96];
        name_buf()
        {
            std::snprintf(s, sizeof s,
                          "akkoord-fold+libstemmer_c:dutch/%s+overrides:%.12s",
                          AK_STEMMER_VERSION, xs_stem_overrides_sha256);
        }
    } name;
    return name.s;
}

extern "C" xs_status xs_stem_new(xs_stem **out, xs_err *err)
{
    *out = NULL;
    try {
        xs_stem *s = new xs_stem();
        try {
            s->impl = xs_stem_impl_new();
            s->stem = Xapian::Stem(s->impl);
        } catch (...) {
            delete s;
            throw;
        }
        *out = s;
        return XS_OK;
    }
    XS_CATCH_ALL(err)
}

extern "C" void xs_stem_free(xs_stem *stem)
{
    delete stem;
}

extern "C" const char *xs_stem_word(xs_stem *stem, const char *word,
                                    size_t len, size_t *len_out, xs_err *err)
{
    try {
        stem->last = (*stem->impl)(std::string(word, len));
        if (len_out)
            *len_out = stem->last.size();
        return stem->last.c_str();
    } catch (...) {
        xs_translate(err);
        return NULL;
    }
}

extern "C" char *xs_fold(const char *s, size_t len)
{
    try {
        std::string out;
        xs_fold_into(out, s, len);
        return xs_strdup(out);
    } catch (...) {
        return NULL;
    }
}

void xs_word_fold_into(std::string &out, const char *s, size_t len)
{
    std::string lower;
    for (Xapian::Utf8Iterator u(s, len); u != Xapian::Utf8Iterator(); ++u)
        Xapian::Unicode::append_utf8(lower, Xapian::Unicode::tolower(*u));
    xs_fold_into(out, lower.data(), lower.size());
}

extern "C" char *xs_word_fold(const char *s, size_t len)
{
    try {
        std::string out;
        xs_word_fold_into(out, s, len);
        return xs_strdup(out);
    } catch (...) {
        return NULL;
    }
}

extern "C" char *xs_name_fold(const char *s, size_t len)
{
    try {
        std::string f, out;
        xs_word_fold_into(f, s, len);
        for (char c : f)
            if (c != ' ' && c != '-' && c != '\'')
                out += c;
        return xs_strdup(out);
    } catch (...) {
        return NULL;
    }
}
