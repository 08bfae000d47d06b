/*
 * cp_valvas.c -- one item of the official decisions search API
 * (beslissingenvlaamseregering.vlaanderen.be `/news-items/search`, served
 * by mu-search) as a cp_decision.
 *
 * Owns: the item's shape (a JSON:API `data[]` element), the mapping of its
 * attributes to decision fields (table below), htmlContent as plain text
 * (libxml2's HTML parser), meetingDate (UTC) as a Europe/Brussels date
 * (the C library's time zone database), the mandatee and theme sets.
 * Never: reads files, prints, or pairs values of the mandatee arrays with
 * each other: mandateeIds, mandateeTitles and the name arrays are not
 * index-aligned (../shared/fixtures/valvas/README.md), so only the family
 * names are kept, as a set.
 *
 *   | attribute           | field        | accepted shapes               |
 *   |---------------------|--------------|-------------------------------|
 *   | id (of the item)    | id           | string, required              |
 *   | title               | title        | string, null                  |
 *   | alternativeTitle    | alt_title    | string, null                  |
 *   | htmlContent         | text         | string, [string], null        |
 *   | meetingDate         | date, year   | "YYYY-MM-DDTHH:MM:SS[.f]Z"    |
 *   | agendaitemType      | kind         | string (lowercased), null     |
 *   | meetingId           | meeting      | string, null                  |
 *   | meetingTypePosition | meeting_type | integer 1-4, null             |
 *   | position            | position     | integer, [integer], null      |
 *   | mandateeFamilyNames | ministers    | string, [string], null        |
 *   | themeId             | themes       | string, [string], null        |
 *   | uri                 | uri          | string, null                  |
 */
#define _DEFAULT_SOURCE
#include "cp-int.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libxml/HTMLparser.h>
#include <libxml/tree.h>

const char *cp_meeting_type_label(int mtp)
{
    static const char *const labels[] = {
        NULL, "Ministerraad - Plan Vlaamse Veerkracht",
        "Bijzondere ministerraad", "Elektronische procedure", "Ministerraad"};
    return mtp >= 1 && mtp <= 4 ? labels[mtp] : NULL;
}

void cp_item_bufs_release(cp_item_bufs *b)
{
    cp_buf *all[] = {&b->title, &b->alt, &b->text, &b->html, &b->kind,
                     &b->date, &b->position, &b->ministers, &b->themes};
    for (size_t i = 0; i < sizeof all / sizeof *all; i++) {
        free(all[i]->ptr);
        *all[i] = (cp_buf){0};
    }
}

int cp_valvas_is_item(const json_t *root)
{
    return json_is_object(json_object_get(root, "attributes")) &&
           json_object_get(root, "type") != NULL;
}

int cp_valvas_is_page(const json_t *root)
{
    return json_object_get(root, "data") &&
           (json_object_get(root, "count") || json_object_get(root, "links"));
}

/* ------------------------------------------------------------- dates */

static pthread_once_t tz_once = PTHREAD_ONCE_INIT;
static int tz_ok;      /* written once, by tz_setup */

/* The C library knows zones only through TZ: set it once for the
 * process (akkoord uses no other local time), and check that the zone
 * database answered (without it glibc silently falls back to UTC). */
static void tz_setup(void)
{
    struct tm w, s;
    time_t winter = 1577836800, summer = 1593561600;  /* 2020-01-01, -07-01 */
    setenv("TZ", "Europe/Brussels", 1);
    tzset();
    tz_ok = localtime_r(&winter, &w) && localtime_r(&summer, &s) &&
            w.tm_gmtoff == 3600 && s.tm_gmtoff == 7200;
}

/* "YYYY-MM-DDTHH:MM:SS", then an optional fraction, then "Z". */
static int parse_utc(const char *s, size_t len, struct tm *tm)
{
    size_t i = 19;
    if (len < 20 || s[4] != '-' || s[7] != '-' || s[10] != 'T' ||
        s[13] != ':' || s[16] != ':' || s[len - 1] != 'Z')
        return -1;
    if (s[i] == '.')
        for (i++; i < len - 1 && s[i] >= '0' && s[i] <= '9'; i++)
            ;
    if (i != len - 1)
        return -1;
    *tm = (struct tm){0};
    if (cp_digits(s, 4, &tm->tm_year) || cp_digits(s + 5, 2, &tm->tm_mon) ||
        cp_digits(s + 8, 2, &tm->tm_mday) || cp_digits(s + 11, 2, &tm->tm_hour) ||
        cp_digits(s + 14, 2, &tm->tm_min) || cp_digits(s + 17, 2, &tm->tm_sec))
        return -1;
    if (!cp_date_valid(s, 10) || tm->tm_hour > 23 || tm->tm_min > 59 ||
        tm->tm_sec > 60)
        return -1;
    tm->tm_year -= 1900;
    tm->tm_mon -= 1;
    return 0;
}

int cp_utc_to_brussels(const char *s, size_t len, char out[11])
{
    struct tm tm, local;
    pthread_once(&tz_once, tz_setup);
    if (!tz_ok)
        return -2;
    if (parse_utc(s, len, &tm))
        return -1;
    time_t t = timegm(&tm);
    if (!localtime_r(&t, &local))
        return -1;
    char buf[48];   /* "%04d" of any int, for the compiler */
    snprintf(buf, sizeof buf, "%04d-%02d-%02d", local.tm_year + 1900,
             local.tm_mon + 1, local.tm_mday);
    if (strlen(buf) != 10)
        return -1;
    memcpy(out, buf, 11);
    return 0;
}

/* -------------------------------------------------------------- HTML */

static int is_block(const xmlChar *name)
{
    static const char *const blocks[] = {
        "p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5",
        "h6", "table", "tr", "td", "th", "blockquote", "pre", "section",
        "article", "header", "footer", "dt", "dd", NULL};
    for (size_t i = 0; blocks[i]; i++)
        if (!xmlStrcasecmp(name, (const xmlChar *)blocks[i]))
            return 1;
    return 0;
}

/* Text of node and its siblings, depth first; block elements on lines of
 * their own. */
static int html_walk(const xmlNode *n, cp_buf *b)
{
    for (; n; n = n->next) {
        int block = n->type == XML_ELEMENT_NODE && is_block(n->name);
        if (block && cp_buf_append(b, "\n", 1))
            return -1;
        if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
            const char *c = (const char *)n->content;
            if (c && cp_buf_append(b, c, strlen(c)))
                return -1;
        } else if (n->type == XML_ELEMENT_NODE &&
                   html_walk(n->children, b)) {
            return -1;
        }
        if (block && cp_buf_append(b, "\n", 1))
            return -1;
    }
    return 0;
}

int cp_html_text(const char *s, size_t len, cp_buf *b)
{
    if (len == 0)
        return 0;
    if (len > (size_t)INT32_MAX)
        return -1;
    htmlDocPtr doc = htmlReadMemory(s, (int)len, NULL, "UTF-8",
                                    HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
                                        HTML_PARSE_NONET | HTML_PARSE_NOIMPLIED);
    if (!doc)
        return -1;
    int rc = html_walk(doc->children, b);
    xmlFreeDoc(doc);
    return rc;
}

/* ------------------------------------------------------------ fields */

/* "field 'x' is not ..." as a fresh message (NULL when out of memory). */
static char *bad_shape(const char *name, const char *want)
{
    return cp_msg_new("field '%s' is not %s", name, want);
}

/* v as a list: a scalar is one value, null or absent none. */
static size_t n_values(const json_t *v)
{
    return json_is_array(v) ? json_array_size(v) : v && !json_is_null(v);
}

static json_t *value_at(json_t *v, size_t i)
{
    return json_is_array(v) ? json_array_get(v, i) : v;
}

static int str_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Join the n values of vals, sorted and without repeats, with '\n' into
 * b; frees them. */
static int set_join(char **vals, size_t n, cp_buf *b)
{
    int rc = 0;
    b->len = 0;
    rc = cp_buf_reserve(b, 0);
    if (!rc)
        b->ptr[0] = '\0';
    qsort(vals, n, sizeof *vals, str_cmp);
    for (size_t i = 0; i < n; i++)
        if (!rc && (i == 0 || strcmp(vals[i], vals[i - 1])) && *vals[i])
            rc = (b->len && cp_buf_append(b, "\n", 1)) ||
                 cp_buf_append(b, vals[i], strlen(vals[i]));
    for (size_t i = 0; i < n; i++)
        free(vals[i]);
    return rc ? -1 : 0;
}

/* A string or an array of strings (or null): its values, whitespace
 * squeezed, as a set in b; out borrows b (NULL for no values). */
static cp_status fld_set(json_t *attrs, const char *name, cp_buf *b,
                         cp_str *out, char **why)
{
    json_t *v = json_object_get(attrs, name);
    size_t n = n_values(v), k = 0;
    char **vals = calloc(n ? n : 1, sizeof *vals);
    cp_buf one = {0};
    cp_status st = vals ? CP_OK : CP_NOMEM;
    *out = (cp_str){0};
    for (size_t i = 0; st == CP_OK && i < n; i++) {
        json_t *e = value_at(v, i);
        if (!json_is_string(e)) {
            st = CP_BAD;
            *why = bad_shape(name, "a string, an array of strings or null");
        } else if (cp_ws_squeeze(&one, json_string_value(e),
                                 json_string_length(e)) ||
                   !(vals[k++] = strdup(one.ptr))) {
            st = CP_NOMEM;
        }
    }
    if (st == CP_OK && set_join(vals, k, b))
        st = CP_NOMEM;
    else if (st != CP_OK)
        for (size_t i = 0; i < k; i++)
            free(vals[i]);
    free(vals);
    free(one.ptr);
    if (st == CP_OK && b->len)
        *out = (cp_str){b->ptr, b->len};
    return st;
}

/* A string or null; squeezed into b when b is given. */
static cp_status fld_string(json_t *attrs, const char *name, cp_buf *b,
                            cp_str *out, char **why)
{
    json_t *v = json_object_get(attrs, name);
    *out = (cp_str){0};
    if (!v || json_is_null(v))
        return CP_OK;
    if (!json_is_string(v)) {
        *why = bad_shape(name, "a string or null");
        return CP_BAD;
    }
    *out = (cp_str){json_string_value(v), json_string_length(v)};
    if (!b)
        return CP_OK;
    if (cp_ws_squeeze(b, out->ptr, out->len))
        return CP_NOMEM;
    *out = (cp_str){b->ptr, b->len};
    return CP_OK;
}

/* htmlContent: each value's text, one after the other (an edited item
 * keeps both of its texts). */
static cp_status fld_html(json_t *attrs, cp_item_bufs *b, cp_str *out,
                          char **why)
{
    json_t *v = json_object_get(attrs, "htmlContent");
    size_t n = n_values(v);
    *out = (cp_str){0};
    b->html.len = 0;
    if (cp_buf_reserve(&b->html, 0))
        return CP_NOMEM;
    b->html.ptr[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        json_t *e = value_at(v, i);
        if (!json_is_string(e)) {
            *why = bad_shape("htmlContent",
                             "a string, an array of strings or null");
            return CP_BAD;
        }
        if ((i && cp_buf_append(&b->html, "\n", 1)) ||
            cp_html_text(json_string_value(e), json_string_length(e),
                         &b->html))
            return CP_NOMEM;
    }
    if (cp_ws_squeeze(&b->text, b->html.ptr, b->html.len))
        return CP_NOMEM;
    if (b->text.len)
        *out = (cp_str){b->text.ptr, b->text.len};
    return CP_OK;
}

/* position: an integer or an array of them, written "42" or "42,43". */
static cp_status fld_position(json_t *attrs, cp_buf *b, cp_str *out,
                              char **why)
{
    json_t *v = json_object_get(attrs, "position");
    size_t n = n_values(v);
    char num[32];
    *out = (cp_str){0};
    b->len = 0;
    for (size_t i = 0; i < n; i++) {
        json_t *e = value_at(v, i);
        if (!json_is_integer(e)) {
            *why = bad_shape("position",
                             "an integer, an array of integers or null");
            return CP_BAD;
        }
        int k = snprintf(num, sizeof num, "%s%lld", i ? "," : "",
                         (long long)json_integer_value(e));
        if (cp_buf_append(b, num, (size_t)k))
            return CP_NOMEM;
    }
    if (b->len)
        *out = (cp_str){b->ptr, b->len};
    return CP_OK;
}

static cp_status fld_meeting_type(json_t *attrs, int *out, char **why)
{
    json_t *v = json_object_get(attrs, "meetingTypePosition");
    *out = 0;
    if (!v || json_is_null(v))
        return CP_OK;
    if (!json_is_integer(v) || !cp_meeting_type_label(
                                   (int)json_integer_value(v))) {
        *why = bad_shape("meetingTypePosition", "1, 2, 3, 4 or null");
        return CP_BAD;
    }
    *out = (int)json_integer_value(v);
    return CP_OK;
}

static cp_status fld_date(json_t *attrs, cp_item_bufs *b, cp_decision *d,
                          char **why)
{
    cp_str utc;
    cp_status st = fld_string(attrs, "meetingDate", NULL, &utc, why);
    if (st != CP_OK || !utc.ptr)
        return st;
    if (cp_buf_reserve(&b->date, 11))
        return CP_NOMEM;
    int rc = cp_utc_to_brussels(utc.ptr, utc.len, b->date.ptr);
    if (rc == -2) {
        *why = cp_msg_new("no time zone 'Europe/Brussels' in the C "
                          "library (install tzdata)");
        return CP_BAD;
    }
    if (rc) {
        char *q = cp_msg_escape(utc.ptr, utc.len, 64);
        *why = q ? cp_msg_new("malformed 'meetingDate' '%s' (want "
                              "YYYY-MM-DDTHH:MM:SSZ)", q) : NULL;
        free(q);
        return CP_BAD;
    }
    b->date.len = 10;
    d->date = (cp_str){b->date.ptr, 10};
    d->year = atoi(b->date.ptr);
    return CP_OK;
}

/* agendaitemType ("Nota") as the extract's kind ("nota"). */
static cp_status fld_kind(json_t *attrs, cp_buf *b, cp_str *out, char **why)
{
    cp_status st = fld_string(attrs, "agendaitemType", b, out, why);
    for (size_t i = 0; st == CP_OK && out->ptr && i < b->len; i++)
        if (b->ptr[i] >= 'A' && b->ptr[i] <= 'Z')
            b->ptr[i] = (char)(b->ptr[i] + 32);
    return st;
}

static cp_status item_id(json_t *item, cp_str *out, char **why)
{
    json_t *v = json_object_get(item, "id");
    if (!json_is_string(v) || json_string_length(v) == 0) {
        *why = cp_msg_new(v ? "item 'id' is not a non-empty string"
                            : "item has no 'id'");
        return CP_BAD;
    }
    *out = (cp_str){json_string_value(v), json_string_length(v)};
    return CP_OK;
}

cp_status cp_valvas_item(json_t *item, cp_item_bufs *b, cp_decision *d,
                         char **why)
{
    json_t *a = json_object_get(item, "attributes");
    cp_status st;
    *why = NULL;
    *d = (cp_decision){.source = CP_SRC_VALVAS};
    if (!json_is_object(a)) {
        *why = cp_msg_new("item has no 'attributes' object");
        st = CP_BAD;
    } else {
        st = item_id(item, &d->id, why);
    }
    if (st == CP_OK)
        st = fld_string(a, "title", &b->title, &d->title, why);
    if (st == CP_OK)
        st = fld_string(a, "alternativeTitle", &b->alt, &d->alt_title, why);
    if (st == CP_OK)
        st = fld_html(a, b, &d->text, why);
    if (st == CP_OK)
        st = fld_date(a, b, d, why);
    if (st == CP_OK)
        st = fld_kind(a, &b->kind, &d->kind, why);
    if (st == CP_OK)
        st = fld_string(a, "meetingId", NULL, &d->meeting, why);
    if (st == CP_OK)
        st = fld_meeting_type(a, &d->meeting_type, why);
    if (st == CP_OK)
        st = fld_position(a, &b->position, &d->position, why);
    if (st == CP_OK)
        st = fld_set(a, "mandateeFamilyNames", &b->ministers, &d->ministers,
                     why);
    if (st == CP_OK)
        st = fld_set(a, "themeId", &b->themes, &d->themes, why);
    if (st == CP_OK)
        st = fld_string(a, "uri", NULL, &d->uri, why);
    if (st == CP_OK && d->title.len == 0 && d->text.len == 0 &&
        d->alt_title.len == 0) {
        *why = cp_msg_new("empty 'title', 'alternativeTitle' and "
                          "'htmlContent'");
        st = CP_BAD;
    }
    if (st == CP_BAD && !*why)
        st = CP_NOMEM;
    return st;
}
