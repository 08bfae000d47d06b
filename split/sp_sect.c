/*
 * sp_sect.c -- classified lines to the agreement's sections.
 *
 * Owns: the heading tree (a stack of the open headings by level), the
 * numbers of unnumbered headings (a chapter-size one: the chapter after
 * the last; a smaller one: the next child of the last numbered heading
 * or chapter, so that "1.1", "1.2" follow chapter 1), and one section for
 * every heading with body text after it: id "slug/number", its path from
 * level 2 down, text "number title body".  Text before the first chapter
 * (covers, foreword) belongs to no section and is left out.
 * Never: looks at fonts or positions (sp_class.c did).
 */
#include "sp.h"
#include "sp-int.h"

#include <stdlib.h>
#include <string.h>

enum { MAX_LEVEL = 8 };

/* An open heading. */
typedef struct head {
    char *number;       /* "3.2"; NULL when the slot is empty */
    char *title;
    int children;       /* unnumbered children numbered so far */
    int made;           /* the number is made up (unnumbered heading) */
} head;

typedef struct tree {
    head open[MAX_LEVEL + 1];   /* open[1] is the chapter */
    int level;                  /* level of the heading the text is under */
    int chapter_number;
    int chapters;               /* the last chapter number given */
    char *body;                 /* body text under the current heading */
    size_t body_len;
    const sp_words *words;
    sp_sections *out;
} tree;

static void head_clear(head *h)
{
    free(h->number);
    free(h->title);
    *h = (head){0};
}

static void tree_release(tree *t)
{
    for (int i = 0; i <= MAX_LEVEL; i++)
        head_clear(&t->open[i]);
    free(t->body);
}

static void section_release(sp_section *s)
{
    free(s->chapter);
    free(s->number);
    free(s->title);
    for (size_t i = 0; i < s->npath; i++)
        free(s->path[i]);
    free(s->path);
    free(s->text);
}

void sp_sections_release(sp_sections *s)
{
    for (size_t i = 0; i < s->n; i++)
        section_release(&s->v[i]);
    free(s->v);
    *s = (sp_sections){0};
}

static sp_status section_fill(const tree *t, sp_section *s)
{
    const head *h = &t->open[t->level];
    s->chapter = strdup(t->open[1].title);
    s->chapter_number = t->chapter_number;
    s->number = strdup(h->number);
    s->title = strdup(h->title);
    s->text = sp_printf("%s %s %s", h->number, h->title, t->body);
    if (!s->chapter || !s->number || !s->title || !s->text)
        return SP_NOMEM;
    if (t->level > 1 && !(s->path = calloc((size_t)t->level - 1, sizeof *s->path)))
        return SP_NOMEM;
    for (int l = 2; l <= t->level; l++) {
        if (!t->open[l].number)
            continue;
        if (!(s->path[s->npath++] = sp_printf("%s %s", t->open[l].number,
                                              t->open[l].title)))
            return SP_NOMEM;
    }
    return SP_OK;
}

/* The heading the body text was under ends: emit it if it has text. */
static sp_status tree_flush(tree *t)
{
    sp_status s = SP_OK;
    if (t->level > 0 && t->open[t->level].number && t->body_len > 0) {
        sp_sections *o = t->out;
        sp_section *v = realloc(o->v, (o->n + 1) * sizeof *v);
        if (!v)
            return SP_NOMEM;
        o->v = v;
        v[o->n] = (sp_section){0};
        s = section_fill(t, &v[o->n]);
        if (s == SP_OK)
            o->n++;
        else
            section_release(&v[o->n]);
    }
    free(t->body);
    t->body = NULL;
    t->body_len = 0;
    return s;
}

/* The title of the heading block at lines[i]: the head line without its
 * number and the block's further lines.  Malloc'd. */
static char *block_title(const sp_doc *d, size_t i, size_t nlen,
                         const sp_words *w, sp_status *st)
{
    char *title = NULL;
    size_t len = 0;
    const char *rest = d->lines[i].text + nlen;
    if (*rest == '.')
        rest++;
    *st = sp_text_append(&title, &len, rest, w);
    for (size_t j = i + 1; *st == SP_OK && j < d->nlines &&
                           d->lines[j].kind == SP_TITLE; j++)
        *st = sp_text_append(&title, &len, d->lines[j].text, w);
    sp_text_finish(title, &len);
    if (*st == SP_OK && !title && !(title = strdup("")))
        *st = SP_NOMEM;
    return title;
}

/* The number of a heading at level (unnumbered: made up). */
static char *heading_number(tree *t, const sp_line *l, size_t nlen, int *level)
{
    if (*level > 0 && nlen > 0)
        return strndup(l->text, nlen);
    if (*level == 1)
        return sp_printf("%d", t->chapters + 1);
    /* the child of the deepest open heading with a number of its own */
    int parent = 1;
    for (int k = 2; k <= t->level && k < MAX_LEVEL; k++)
        if (t->open[k].number && !t->open[k].made)
            parent = k;
    *level = parent + 1;
    return sp_printf("%s.%d", t->open[parent].number,
                     ++t->open[parent].children);
}

/* Is a ("1.2") a section-number prefix of b ("1.2.3")? */
static int is_prefix(const char *a, const char *b)
{
    size_t n = strlen(a);
    return strncmp(a, b, n) == 0 && b[n] == '.';
}

static sp_status tree_open(tree *t, const sp_doc *d, size_t i)
{
    const sp_line *l = &d->lines[i];
    size_t nlen = 0;
    if (!sp_number_depth(l->text, &nlen))
        nlen = 0;
    int level = l->level, made = nlen == 0;
    sp_status s = tree_flush(t);
    if (s != SP_OK)
        return s;
    if (level != 1 && !t->open[1].number)
        return SP_OK;               /* before the first chapter */
    if (level > MAX_LEVEL)
        level = MAX_LEVEL;
    char *number = heading_number(t, l, nlen, &level);
    char *title = block_title(d, i, nlen, t->words, &s);
    if (s == SP_OK && !number)
        s = SP_NOMEM;
    if (s != SP_OK) {
        free(number);
        free(title);
        return s;
    }
    for (int k = level; k <= MAX_LEVEL; k++)
        head_clear(&t->open[k]);
    for (int k = 2; k < level; k++)     /* ancestors it is not under */
        if (t->open[k].number && !is_prefix(t->open[k].number, number))
            head_clear(&t->open[k]);
    t->open[level] = (head){number, title, 0, made};
    t->level = level;
    if (level == 1) {
        t->chapter_number = atoi(number);
        t->chapters = t->chapter_number;
    }
    return SP_OK;
}

static sp_status words_collect(const sp_doc *d, sp_words *w)
{
    sp_status s = SP_OK;
    for (size_t i = 0; s == SP_OK && i < d->nlines; i++) {
        sp_kind k = d->lines[i].kind;
        if (k == SP_BODY || k == SP_HEADING || k == SP_TITLE)
            s = sp_words_add(w, d->lines[i].text);
    }
    return s;
}

sp_status sp_sections_build(const sp_doc *d, sp_sections *out, char **err)
{
    tree t = {.out = out};
    *out = (sp_sections){0};
    *err = NULL;
    sp_words *w = sp_words_new();
    sp_status s = w ? words_collect(d, w) : SP_NOMEM;
    t.words = w;
    for (size_t i = 0; s == SP_OK && i < d->nlines; i++) {
        const sp_line *l = &d->lines[i];
        if (l->kind == SP_HEADING)
            s = tree_open(&t, d, i);
        else if (l->kind == SP_BODY && t.level > 0 && t.open[t.level].number)
            s = sp_text_append(&t.body, &t.body_len, l->text, w);
    }
    if (s == SP_OK) {
        sp_text_finish(t.body, &t.body_len);
        s = tree_flush(&t);
    }
    if (s == SP_OK && out->n == 0) {
        *err = sp_printf("no numbered headings with text found");
        s = *err ? SP_BAD : SP_NOMEM;
    }
    tree_release(&t);
    sp_words_free(w);
    if (s != SP_OK)
        sp_sections_release(out);
    return s;
}
