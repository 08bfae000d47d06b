/*
 * rd_report_json.c -- an evaluation as one JSON document, with the
 * content of the Markdown report and the models and corpus it came from.
 *
 * Owns: the keys of evaluate -f json (docs/evaluation.md).
 * Never: writes half a document: it is built whole, then written.
 */
#include "rd-int.h"

#include <math.h>

static double round4(double x)
{
    return round(x * 1e4) / 1e4;
}

/* Append o (taken over) to a; on failure free both and return NULL, which
 * ends the callers' loops. */
static json_t *array_push(json_t *a, json_t *o)
{
    if (json_array_append_new(a, o) == 0)
        return a;
    json_decref(a);
    return NULL;
}

static json_t *json_refs(const qy_report *r)
{
    json_t *a = json_array();
    for (size_t i = 0; a && i < r->nrefs; i++) {
        const qy_ref *ref = &r->refs[i];
        json_t *o = json_pack(
            "{s:I, s:s, s:s?, s:s?, s:s, s:s, s:s, s:I}", "n", (json_int_t)i + 1,
            "id", ref->d.id, "date", *ref->d.date ? ref->d.date : NULL,
            "kind", *ref->d.kind ? ref->d.kind : NULL, "title", ref->d.title,
            "url", ref->link, "stage", qy_stage_name(ref->stage), "dossier",
            (json_int_t)ref->dossier + 1);
        a = array_push(a, o);
    }
    return a;
}

static json_t *json_cites(const qy_cite *v, size_t n)
{
    json_t *a = json_array();
    for (size_t k = 0; a && k < n; k++) {
        const qy_cite *c = &v[k];
        json_t *o = json_pack("{s:I, s:f, s:s?, s:s}", "ref",
                              (json_int_t)c->ref + 1, "probability",
                              round4(c->strength), "excerpt", c->excerpt,
                              "why", c->why ? c->why : "");
        a = array_push(a, o);
    }
    return a;
}

static json_t *object_put(json_t *o, const char *key, json_t *v);

/* An editor's correction of item it: the machine's verdict beside it. */
static json_t *json_fix(const qy_item *it)
{
    const qy_fix *x = it->fix;
    return json_pack("{s:s, s:s, s:s, s:s, s:I}", "machine_verdict",
                     qy_verdict_name(it->machine), "note",
                     x->field[QY_FIX_NOTE], "who", x->field[QY_FIX_WHO],
                     "date", x->field[QY_FIX_DATE], "line",
                     (json_int_t)x->line);
}

static json_t *json_items(const qy_report *r)
{
    json_t *a = json_array();
    for (size_t i = 0; a && i < r->nitems; i++) {
        const qy_item *it = &r->items[i];
        json_t *o = json_pack("{s:s, s:s, s:f, s:s, s:o, s:o}", "text",
                              it->text, "verdict", qy_verdict_name(it->verdict),
                              "checkable", round4(it->checkable),
                              "furthest_stage", qy_stage_name(it->furthest),
                              "citations", json_cites(it->cites, it->ncites),
                              "related", json_cites(it->related, it->nrelated));
        if (o && it->fix)
            o = object_put(o, "correction", json_fix(it));
        a = array_push(a, o);
    }
    return a;
}

/* Set key of o to v (taken over); on failure free o and return NULL, which
 * ends the caller's loop. */
static json_t *object_put(json_t *o, const char *key, json_t *v)
{
    if (json_object_set_new(o, key, v) == 0)
        return o;
    json_decref(o);
    return NULL;
}

static json_t *json_timeline(const rd_tally *t)
{
    json_t *o = json_object();
    char y[16];
    for (int i = 0; o && i <= RD_YEAR_MAX - RD_YEAR_MIN; i++)
        if (t->per_year[i]) {
            snprintf(y, sizeof y, "%d", i + RD_YEAR_MIN);
            o = object_put(o, y, json_integer((json_int_t)t->per_year[i]));
        }
    if (o && t->undated)
        o = object_put(o, "unknown", json_integer((json_int_t)t->undated));
    return o;
}

int rd_report_json(FILE *f, const qy_report *r)
{
    rd_tally t;
    if (rd_tally_count(r, &t))
        return -1;
    const qy_section *sec = &r->a.sec;
    json_t *related = json_array();
    for (size_t i = 0; related && i < r->nrelated; i++)
        related = array_push(related,
                             json_integer((json_int_t)r->related[i] + 1));
    const qy_evaluator *ev = r->ev;
    json_t *o = json_pack(
        "{s:{s:s, s:s, s:s, s:s, s:s, s:s}, s:{s:I, s:I, s:I, s:I, s:I, s:I,"
        " s:I, s:s?, s:s?}, s:o, s:o, s:o, s:o, s:{s:s, s:f, s:s, s:f, s:s},"
        " s:{s:s?, s:s?, s:I}, s:s, s:s}",
        "section", "id", sec->id, "chapter", sec->chapter, "number",
        sec->number, "title", sec->title, "path", sec->path, "text", sec->text,
        "summary", "commitments", (json_int_t)t.checkable, "done",
        (json_int_t)t.verdicts[QY_DONE], "in_progress",
        (json_int_t)t.verdicts[QY_IN_PROGRESS], "none",
        (json_int_t)t.verdicts[QY_NONE], "not_checkable",
        (json_int_t)t.verdicts[QY_UNCHECKABLE], "decisions", (json_int_t)t.cited,
        "dossiers", (json_int_t)t.dossiers, "first", t.first[0] ? t.first : NULL,
        "last", t.last[0] ? t.last : NULL,
        "commitments", json_items(r), "related", related, "timeline",
        json_timeline(&t), "references", json_refs(r),
        "models", "evidence", qy_model_sha256(ev->models.evidence),
        "evidence_threshold", qy_model_threshold(ev->models.evidence),
        "commitment", qy_model_sha256(ev->models.commit),
        "commitment_threshold", qy_model_threshold(ev->models.commit),
        "stages", qy_stage_table_sha256(),
        "corpus", "first", ev->first[0] ? ev->first : NULL, "last",
        ev->last[0] ? ev->last : NULL, "undated", (json_int_t)ev->undated,
        "snapshot", r->snapshot, "version", AK_VERSION);
    if (o && r->fixes)
        o = object_put(o, "corrections",
                       json_pack("{s:s, s:I}", "sha256", r->fixes->sha256,
                                 "corrections", (json_int_t)r->fixes->n));
    return rd_json_put(f, JSON_INDENT(2), o) || ferror(f) ? -1 : 0;
}
