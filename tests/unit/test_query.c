/*
 * test_query.c -- cmocka tests for the query logic of evaluate (query/),
 * on a small hand-made corpus indexed into a scratch directory.
 *
 * Owns: sentence splitting; term selection (agreement-wide words dropped,
 * stem overrides, short hyphen words, compound parts weighing less);
 * fusion of the section and commitment rankings with the dossier lift;
 * the stage rules (every rule of query/stages.tsv matches its own test
 * sentence first; tense and subject; bad tables); the models (parsing
 * errors; the built-in commitment model tells a promise from a
 * statement); assignment of decisions to commitments; verdicts from
 * evidence and stage; evaluate's invariants on the small corpus.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tu.h"

#include "../../query/qy-int.h"

static const char agreement[] =
    "{\"id\":\"proef/1.1\",\"chapter\":\"Proef\",\"chapter_number\":1,"
    "\"number\":\"1.1\",\"title\":\"Onderwijs\",\"path\":[\"1.1 Onderwijs\"],"
    "\"text\":\"1.1 Onderwijs We schaffen het M-decreet af en voeren "
    "leersteun in. Onderwijs is de sleutel tot een warme samenleving. We "
    "bouwen een ponykermis voor elke school.\"}\n"
    "{\"id\":\"proef/1.2\",\"chapter\":\"Proef\",\"chapter_number\":1,"
    "\"number\":\"1.2\",\"title\":\"Wonen\",\"path\":[\"1.2 Wonen\"],"
    "\"text\":\"1.2 Wonen We hervormen de woonbonus. Wonen is een "
    "basisrecht.\"}\n"
    "{\"id\":\"proef/1.3\",\"chapter\":\"Proef\",\"chapter_number\":1,"
    "\"number\":\"1.3\",\"title\":\"Dieren\",\"path\":[\"1.3 Dieren\"],"
    "\"text\":\"1.3 Dieren We verbieden pony's op kermissen. Dieren zijn "
    "geen dingen.\"}\n"
    "{\"id\":\"proef/1.4\",\"chapter\":\"Proef\",\"chapter_number\":1,"
    "\"number\":\"1.4\",\"title\":\"Bestuur\",\"path\":[\"1.4 Bestuur\"],"
    "\"text\":\"1.4 Bestuur We voegen de agentschappen samen. De overheid "
    "werkt voor de burger.\"}\n";

#define DEC(id, date, kind, title, text)                                      \
    "{\"id\":\"" id "\",\"date\":" date ",\"kind\":" kind ",\"title\":\""     \
    title "\",\"text\":\"" text "\"}\n"

static const char decisions[] =
    DEC("A1", "\"2023-05-05\"", "\"nota\"", "Decreet Leersteun: bekrachtiging",
        "De Vlaamse Regering bekrachtigt en kondigt het decreet over leersteun "
        "af. Het decreet vervangt het M-decreet in het onderwijs.")
    DEC("A2", "\"2022-07-08\"", "\"nota\"", "Voorontwerp van decreet Leersteun",
        "De Vlaamse Regering keurt het voorontwerp van decreet over leersteun "
        "principieel goed. Het vervangt het M-decreet.")
    DEC("A3", "\"2020-01-10\"", "\"nota\"", "Hervorming woonbonus",
        "De Vlaamse Regering keurt de hervorming van de woonbonus goed.")
    DEC("A4", "null", "\"mededeling\"", "Pony's op kermissen: evaluatie",
        "De Vlaamse Regering neemt kennis van de evaluatie over pony's op "
        "kermissen.")
    DEC("A5", "\"2021-03-12\"", "\"nota\"", "Samenvoeging agentschappen",
        "De Vlaamse Regering keurt het besluit goed dat de agentschappen "
        "samenvoegt. De overheid wordt zo eenvoudiger.")
    DEC("A6", "\"2021-04-02\"", "\"nota\"", "Subsidie sportclubs",
        "De Vlaamse Regering kent een subsidie toe aan sportclubs.")
    DEC("A7", "\"2021-05-07\"", "\"nota\"", "Fietspaden langs gewestwegen",
        "De Vlaamse Regering keurt het investeringsprogramma voor fietspaden "
        "goed.")
    DEC("A8", "\"2021-06-11\"", "\"nota\"", "Waterbeleid: stroomgebiedbeheerplan",
        "De Vlaamse Regering keurt het stroomgebiedbeheerplan definitief goed.")
    DEC("A9", "\"2022-01-14\"", "\"nota\"", "Musea: werkingssubsidies",
        "De Vlaamse Regering kent werkingssubsidies toe aan musea.")
    DEC("A10", "\"2022-02-18\"", "\"nota\"", "Landbouw: investeringssteun",
        "De Vlaamse Regering wijzigt het besluit over investeringssteun in de "
        "landbouw.")
    DEC("A11", "\"2022-03-25\"", "\"nota\"", "Kermis in de stad",
        "De Vlaamse Regering neemt kennis van een kermis met een pony.")
    DEC("A12", "\"2022-04-29\"", "\"nota\"", "Pony en kermis in het onderwijs",
        "De Vlaamse Regering keurt een project goed over pony en kermis op "
        "school.");

typedef struct fx {
    char *dir;
    ix_snapshot *s;
    qy_params p;
} fx;

static int on_setup(void **state)
{
    fx *f = calloc(1, sizeof *f);
    assert_non_null(f);
    f->dir = tu_mkdtemp("akkoord-query");
    char *agr = tu_write(f->dir, "agr.jsonl", agreement, strlen(agreement));
    char *dec = tu_write(f->dir, "dec.jsonl", decisions, strlen(decisions));
    char *db = tu_printf("%s/db", f->dir);
    const char *corpus[1] = {dec};
    ix_build_opts o = {.out_dir = db, .agreement = agr, .corpus = corpus,
                       .ncorpus = 1};
    ix_build_result res;
    xs_err err = {0};
    assert_int_equal(ix_build(&o, &res, &err), XS_OK);
    assert_int_equal(res.decisions, 12);
    assert_int_equal(ix_snapshot_open(db, &f->s, &err), XS_OK);
    assert_int_equal(ix_snapshot_tables(f->s, &err), XS_OK);
    /* a dozen decisions: the corpus-share cut-offs are meant for thousands */
    f->p = qy_params_default();
    f->p.max_df = 0.5;
    f->p.max_sf = 0.5;
    free(agr);
    free(dec);
    free(db);
    *state = f;
    return 0;
}

static int on_teardown(void **state)
{
    fx *f = *state;
    ix_snapshot_close(f->s);
    tu_rmtree(f->dir);
    free(f->dir);
    free(f);
    return 0;
}

static xs_docid docid(const fx *f, const char *id)
{
    const ix_tables *t = ix_snapshot_get_tables(f->s);
    for (xs_docid d = 1; d < ix_tables_size(t); d++)
        if (!strcmp(ix_tables_id(t, d), id))
            return d;
    fail_msg("no decision '%s' in the fixture", id);
    return 0;
}

/* ---------------------------------------------------------- sentences */

static void test_split(void **state)
{
    (void)state;
    static const struct { const char *text; size_t n; const char *last; } cases[] = {
        {"We doen dit. We doen dat.", 2, "We doen dat."},
        {"Dit kost o.a. geld. Zie art. 5 van het decreet.", 2,
         "Zie art. 5 van het decreet."},
        {"Minister J. Jambon beslist. Klaar.", 2, "Klaar."},
        {"Fase 2. Daarna volgt meer.", 1, "Fase 2. Daarna volgt meer."},
        {"Eén zin zonder punt", 1, "Eén zin zonder punt"},
        {"We (her)bekijken dit. “Citaat” volgt.", 2, "“Citaat” volgt."},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        qy_spans sp;
        assert_int_equal(qy_para_split(cases[i].text, &sp), 0);
        if (sp.n != cases[i].n)
            fail_msg("'%s': %zu sentences, want %zu", cases[i].text, sp.n,
                     cases[i].n);
        const qy_span *l = &sp.v[sp.n - 1];
        assert_int_equal(l->end - l->start, strlen(cases[i].last));
        assert_memory_equal(cases[i].text + l->start, cases[i].last,
                            strlen(cases[i].last));
        qy_spans_release(&sp);
    }
    /* over 45 words: cut after each ';' */
    char *longs = tu_printf("%s; %s; %s.",
        "We a b c d e f g h i j k l m n o p",
        "en q r s t u v w x y z aa bb cc dd",
        "en ee ff gg hh ii jj kk ll mm nn oo pp qq rr ss tt");
    qy_spans sp;
    assert_int_equal(qy_para_split(longs, &sp), 0);
    assert_int_equal(sp.n, 3);
    assert_int_equal(longs[sp.v[0].end - 1], ';');
    qy_spans_release(&sp);
    free(longs);
}

/* ------------------------------------------------------ term selection */

static const qy_term *find_term(const qy_terms *t, const char *term)
{
    for (size_t i = 0; i < t->n; i++)
        if (!strcmp(t->v[i].term, term))
            return &t->v[i];
    return NULL;
}

static void terms(fx *f, const char *text, qy_terms *out)
{
    xs_err err = {0};
    assert_int_equal(qy_terms_of(f->s, &f->p, text, strlen(text), out, &err),
                     XS_OK);
}

static void test_terms(void **state)
{
    fx *f = *state;
    qy_terms t;
    /* "we" is in every section of the agreement: no content word, however
     * rare in decisions; "M-decreet" survives as one term */
    terms(f, "We schaffen het M-decreet af", &t);
    assert_null(find_term(&t, "Zwe"));
    assert_non_null(find_term(&t, "Zmdecret"));
    qy_terms_release(&t);
    f->p.max_sf = 1.0;
    terms(f, "We schaffen het M-decreet af", &t);
    qy_terms_release(&t);
    f->p.max_sf = 0.5;
    /* the stem override keeps "overheid" apart from "over" */
    terms(f, "De overheid wordt eenvoudiger", &t);
    assert_non_null(find_term(&t, "Zoverheid"));
    assert_null(find_term(&t, "Zover"));
    qy_terms_release(&t);
    /* a compound's parts count, below a whole word */
    terms(f, "Een ponykermis", &t);
    const qy_term *pony = find_term(&t, "Zpony");
    assert_non_null(pony);
    assert_true(pony->scale < 1.0);
    assert_true(pony->scale == f->p.split_weight);
    qy_terms_release(&t);
}

/* ------------------------------------------------------------- fusion */

static void test_fusion(void **state)
{
    fx *f = *state;
    qy_analysis a;
    xs_err err = {0};
    assert_int_equal(qy_analyse(f->s, &f->p, "proef/1.1", &a, &err), XS_OK);
    assert_int_equal(a.ncommits, 3);
    assert_true(a.nranking >= 3);
    /* the leersteun decisions lead; both stages of the dossier are in */
    xs_docid a1 = docid(f, "A1"), a2 = docid(f, "A2"), a12 = docid(f, "A12");
    int r1 = -1, r2 = -1, r12 = -1;
    for (size_t i = 0; i < a.nranking; i++) {
        r1 = a.ranking[i].doc == a1 ? (int)i : r1;
        r2 = a.ranking[i].doc == a2 ? (int)i : r2;
        r12 = a.ranking[i].doc == a12 ? (int)i : r12;
    }
    if (!(r1 >= 0 && r1 < 3 && r2 >= 0 && r2 < 4))
        fail_msg("leersteun decisions at ranks %d and %d", r1 + 1, r2 + 1);
    /* the ponykermis sentence's decision comes in through its own list */
    assert_true(r12 >= 0);
    for (size_t i = 1; i < a.nranking; i++)
        assert_true(a.ranking[i - 1].score >= a.ranking[i].score);
    qy_analysis_release(&a);
}

/* ------------------------------------------------------------- stages */

static void test_stage_rules(void **state)
{
    (void)state;
    qy_stager *st;
    xs_err err = {0};
    assert_int_equal(qy_stager_new(NULL, &st, &err), XS_OK);
    assert_true(qy_stager_rules(st) > 20);
    for (size_t i = 0; i < qy_stager_rules(st); i++) {
        qy_stage want, got;
        unsigned line, gline;
        const char *ex = qy_stager_example(st, i, &want, &line);
        got = qy_stager_text(st, ex, strlen(ex), &gline);
        if (got != want || gline != line)
            fail_msg("stages.tsv:%u: '%s' reads as %s (line %u), want %s", line,
                     ex, qy_stage_name(got), gline, qy_stage_name(want));
    }
    static const struct { const char *text; qy_stage want; } cases[] = {
        /* an earlier decision recalled, a later one announced */
        {"De Vlaamse Regering keurde het voorontwerp principieel goed.",
         QY_STAGE_UNKNOWN},
        {"De Vlaamse Regering besliste op 18 juni tot bekrachtiging van het "
         "decreet. Nu keurt ze principieel het besluit goed.", QY_STAGE_DRAFT},
        {"Het decreet zal later worden bekrachtigd.", QY_STAGE_UNKNOWN},
        /* advice given by another body is not the government's */
        {"De commissie geeft advies over het plan. De Vlaamse Regering keurt "
         "het reglement goed.", QY_STAGE_APPROVED},
        {"Na advies van de Raad van State keurt de Vlaamse Regering het "
         "besluit definitief goed.", QY_STAGE_FINAL},
        {"De Vlaamse Regering weigert de erkenning.", QY_STAGE_REFUSED},
        {"De Vlaamse Regering neemt kennis van het verslag.", QY_STAGE_NOTED},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        unsigned line;
        qy_stage got = qy_stager_text(st, cases[i].text, strlen(cases[i].text),
                                      &line);
        if (got != cases[i].want)
            fail_msg("'%s' reads as %s, want %s", cases[i].text,
                     qy_stage_name(got), qy_stage_name(cases[i].want));
    }
    qy_stager_free(st);
    /* bad tables name the line */
    qy_stager *bad = NULL;
    assert_int_equal(qy_stager_new("# c\nnone\tkeurt\tx\n", &bad, &err),
                     XS_INVALID);
    assert_null(bad);
    tu_assert_contains(err.msg, "stages.tsv:2: unknown stage 'none'");
    xs_err_clear(&err);
    assert_int_equal(qy_stager_new("draft\tkeurt\n", &bad, &err), XS_INVALID);
    tu_assert_contains(err.msg, "stages.tsv:1:");
    xs_err_clear(&err);
    assert_int_equal(qy_stager_new("draft\t.. keurt\tx\n", &bad, &err),
                     XS_INVALID);
    xs_err_clear(&err);
}

static void test_stage_of_decision(void **state)
{
    fx *f = *state;
    qy_evaluator *ev;
    xs_err err = {0};
    assert_int_equal(qy_evaluator_new(f->s, &ev, &err), XS_OK);
    assert_int_equal(ev->info[docid(f, "A1")].stage, QY_STAGE_ENACTED);
    assert_int_equal(ev->info[docid(f, "A2")].stage, QY_STAGE_DRAFT);
    assert_int_equal(ev->info[docid(f, "A4")].stage, QY_STAGE_NOTED);
    assert_int_equal(ev->info[docid(f, "A5")].stage, QY_STAGE_FINAL);
    assert_int_equal(ev->info[docid(f, "A6")].stage, QY_STAGE_APPROVED);
    assert_true(ev->info[docid(f, "A1")].decree);
    assert_false(ev->info[docid(f, "A3")].decree);
    assert_true(ev->info[docid(f, "A4")].undated);
    assert_int_equal(ev->undated, 1);
    assert_string_equal(ev->first, "2020-01-10");
    assert_string_equal(ev->last, "2023-05-05");
    qy_evaluator_free(ev);
}

/* ------------------------------------------------------------- models */

static const char *const two[] = {"a", "b", NULL};

static void test_model_parse(void **state)
{
    (void)state;
    qy_model *m = NULL;
    xs_err err = {0};
    assert_int_equal(qy_model_parse("model\tt\nthreshold\t0.4\nbias\t-1\n"
                                    "w\ta\t2\nw\tb\t0\nw\tword:pony\t1\n",
                                    "t.model", two, 2, &m, &err), XS_OK);
    assert_int_equal(qy_model_nfeat(m), 3);
    assert_true(qy_model_threshold(m) == 0.4);
    assert_true(qy_model_strong(m) == 0.4);
    double x[3] = {0, 0, 0};
    assert_true(qy_model_prob(m, x) < 0.5);             /* bias -1 */
    x[0] = 1;
    double p1 = qy_model_prob(m, x);
    assert_true(p1 > 0.5);                              /* -1 + 2 */
    const char *stems[] = {"kermis", "pony"};
    qy_model_set_words(m, stems, 2, x);
    assert_true(x[2] == 1);
    assert_true(qy_model_prob(m, x) > p1);
    qy_model_free(m);
    static const struct { const char *text, *msg; } bad[] = {
        {"w\ta\t1\nw\tc\t1\n", "t.model:2: unknown feature 'c'"},
        {"w\ta\t1\nw\ta\t1\nw\tb\t0\n", "t.model:2: feature 'a' twice"},
        {"w\ta\t1\n", "t.model: no weight for feature 'b'"},
        {"w\ta\tx\nw\tb\t0\n", "t.model:1: bad weight"},
        {"colour\tred\n", "t.model:1: unknown line 'colour'"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        assert_int_equal(qy_model_parse(bad[i].text, "t.model", two, 2, &m,
                                        &err), XS_INVALID);
        assert_null(m);
        tu_assert_contains(err.msg, bad[i].msg);
        xs_err_clear(&err);
    }
}

/* The built-in commitment model tells a promise from a statement. */
static void test_commitment_detection(void **state)
{
    fx *f = *state;
    qy_evaluator *ev;
    qy_analysis a;
    xs_err err = {0};
    assert_int_equal(qy_evaluator_new(f->s, &ev, &err), XS_OK);
    assert_int_equal(qy_analyse(f->s, &f->p, "proef/1.1", &a, &err), XS_OK);
    const qy_model *m = ev->models.commit;
    double p[2];
    for (size_t i = 0; i < 2; i++) {
        double *x = calloc(qy_model_nfeat(m), sizeof *x);
        char **stems;
        size_t n;
        const qy_span *sp = &a.commits[i].span;
        qy_commit_features(&a, i, x);
        assert_int_equal(qy_sentence_stems(ix_snapshot_stem(f->s),
                                           a.text + sp->start,
                                           sp->end - sp->start, &stems, &n), 0);
        qy_model_set_words(m, (const char *const *)stems, n, x);
        qy_stems_free(stems, n);
        p[i] = qy_model_prob(m, x);
        free(x);
    }
    /* "We schaffen het M-decreet af en voeren leersteun in." against
     * "Onderwijs is de sleutel tot een warme samenleving." */
    if (!(p[0] > p[1]))
        fail_msg("P(checkable): promise %.3f, statement %.3f", p[0], p[1]);
    qy_analysis_release(&a);
    qy_evaluator_free(ev);
}

/* --------------------------------------------------- assignment, verdicts */

static void test_assign(void **state)
{
    (void)state;
    qy_pair v[] = {
        {1, 7, 0.80, 0, 0, 0, 0}, {0, 7, 0.90, 0, 0, 1, 0},
        {1, 8, 0.40, 0, 0, 2, 0}, {0, 9, 0.10, 0, 0, 3, 0},
    };
    assert_int_equal(qy_assign(v, 4, 2, 0.5, 0), 0);
    /* sorted best first; decision 7 goes to the commitment it fits best */
    assert_int_equal(v[0].tag, 1);
    assert_true(v[0].cited);
    assert_int_equal(v[1].tag, 0);
    assert_false(v[1].cited);
    assert_true(v[1].related);            /* 0.80 >= 0.25 */
    assert_false(v[2].cited);             /* 0.40 < 0.5 */
    assert_true(v[2].related);
    assert_false(v[3].cited || v[3].related);
    /* within a margin of its best, a decision is cited under both */
    assert_int_equal(qy_assign(v, 4, 2, 0.5, 0.15), 0);
    assert_true(v[0].cited && v[1].cited);
    assert_int_equal(qy_assign(v, 4, 2, 0.5, 0.05), 0);
    assert_true(v[0].cited && !v[1].cited);
    /* at most QY_CITES_MAX per commitment */
    qy_pair many[QY_CITES_MAX + 2];
    for (size_t i = 0; i < QY_CITES_MAX + 2; i++)
        many[i] = (qy_pair){0, (xs_docid)(i + 1), 0.9 - 0.01 * (double)i, 0, 0, i,
                             0};
    assert_int_equal(qy_assign(many, QY_CITES_MAX + 2, 1, 0.5, 0), 0);
    size_t cited = 0, related = 0;
    for (size_t i = 0; i < QY_CITES_MAX + 2; i++) {
        cited += many[i].cited;
        related += many[i].related;
    }
    assert_int_equal(cited, QY_CITES_MAX);
    assert_int_equal(related, 2);
}

static void test_verdicts(void **state)
{
    fx *f = *state;
    qy_evaluator *ev;
    xs_err err = {0};
    qy_stage far;
    assert_int_equal(qy_evaluator_new(f->s, &ev, &err), XS_OK);
    const ix_tables *tb = ix_snapshot_get_tables(f->s);
    xs_docid a2 = docid(f, "A2"), a3 = docid(f, "A3"), a4 = docid(f, "A4"),
             a7 = docid(f, "A7");
    double sure = 0.9, weak = 0.3;
    assert_int_equal(qy_verdict_of(ev, tb, NULL, NULL, 0, 0.5, &far), QY_NONE);
    /* the draft decree's own dossier holds the ratification: done */
    assert_int_equal(qy_verdict_of(ev, tb, &a2, &sure, 1, 0.5, &far), QY_DONE);
    assert_int_equal(far, QY_STAGE_ENACTED);
    /* ... but only when the evidence is strong */
    assert_int_equal(qy_verdict_of(ev, tb, &a2, &weak, 1, 0.5, &far),
                     QY_IN_PROGRESS);
    /* an approved reform completes its act; a note taken does not */
    assert_int_equal(qy_verdict_of(ev, tb, &a3, &sure, 1, 0.5, &far), QY_DONE);
    assert_int_equal(qy_verdict_of(ev, tb, &a4, &sure, 1, 0.5, &far),
                     QY_IN_PROGRESS);
    assert_int_equal(far, QY_STAGE_NOTED);
    xs_docid both[2] = {a4, a7};
    double ps[2] = {0.9, 0.9};
    assert_int_equal(qy_verdict_of(ev, tb, both, ps, 2, 0.5, &far), QY_DONE);
    assert_int_equal(far, QY_STAGE_APPROVED);
    assert_true(qy_completes(QY_STAGE_ENACTED, 1));
    assert_false(qy_completes(QY_STAGE_FINAL, 1));
    assert_true(qy_completes(QY_STAGE_FINAL, 0));
    assert_false(qy_completes(QY_STAGE_DRAFT, 0));
    qy_evaluator_free(ev);
}

/* evaluate on the fixture: every sentence listed, evidence above the
 * threshold, each decision cited under one commitment at most, verdicts
 * consistent with citations. */
static void test_evaluate(void **state)
{
    fx *f = *state;
    qy_evaluator *ev;
    qy_report r;
    xs_err err = {0};
    assert_int_equal(qy_evaluator_new(f->s, &ev, &err), XS_OK);
    assert_int_equal(qy_evaluate(f->s, ev, &f->p, "proef/1.1", &r, &err), XS_OK);
    assert_int_equal(r.nitems, 3);
    double th = qy_model_threshold(ev->models.evidence);
    for (size_t i = 0; i < r.nitems; i++) {
        const qy_item *it = &r.items[i];
        if (it->verdict == QY_UNCHECKABLE || it->verdict == QY_NONE)
            assert_int_equal(it->ncites, 0);
        else
            assert_true(it->ncites > 0);
        for (size_t k = 0; k < it->ncites; k++) {
            assert_true(it->cites[k].strength >= th);
            for (size_t j = 0; j < r.nitems; j++)
                for (size_t c = 0; j != i && c < r.items[j].ncites; c++)
                    assert_true(r.items[j].cites[c].ref != it->cites[k].ref);
            if (it->cites[k].excerpt)
                assert_non_null(strstr(r.refs[it->cites[k].ref].d.text,
                                       it->cites[k].excerpt));
        }
    }
    qy_report_release(&r);
    assert_int_equal(qy_evaluate(f->s, ev, &f->p, "proef/9.9", &r, &err),
                     XS_NOT_FOUND);
    xs_err_clear(&err);
    qy_evaluator_free(ev);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, on_setup, on_teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_split),
        T(test_terms),
        T(test_fusion),
        cmocka_unit_test(test_stage_rules),
        T(test_stage_of_decision),
        cmocka_unit_test(test_model_parse),
        T(test_commitment_detection),
        cmocka_unit_test(test_assign),
        T(test_verdicts),
        T(test_evaluate),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
