/*
 * xs_err.cc -- status codes, error messages and the exception translator.
 *
 * Owns: xs_status_str(), xs_err_*, the exception translator (the single
 * place where a C++ exception becomes a C status: xs_translate() when
 * writing or opening, xs_translate_read() when reading an open database),
 * the corruption message xs_db_blame(), the test hooks xs_test_raise*().
 * Never: lets an exception escape; keeps state outside the caller's xs_err.
 */
#include "xs-int.h"

#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <new>
#include <stdexcept>

extern "C" const char *xs_status_str(xs_status st)
{
    switch (st) {
    case XS_OK: return "ok";
    case XS_NOMEM: return "out of memory";
    case XS_NOT_FOUND: return "not found";
    case XS_LOCKED: return "database locked by another writer";
    case XS_CORRUPT: return "database corrupt";
    case XS_VERSION: return "incompatible database version";
    case XS_BAD_QUERY: return "malformed query";
    case XS_IO: return "input/output error";
    case XS_RETRY: return "database modified, retry";
    case XS_INVALID: return "invalid argument";
    case XS_ERROR: return "error";
    }
    return "unknown status";
}

extern "C" void xs_err_clear(xs_err *err)
{
    if (!err)
        return;
    free(err->msg);
    err->msg = NULL;
    err->code = XS_OK;
}

static xs_status err_set_va(xs_err *err, xs_status code, const char *fmt,
                            va_list ap)
{
    if (!err)
        return code;
    char *msg = NULL;
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n >= 0 && (msg = (char *)malloc((size_t)n + 1)) != NULL)
        vsnprintf(msg, (size_t)n + 1, fmt, ap);
    free(err->msg);          /* only after formatting: args may alias it */
    err->msg = msg;
    err->code = code;
    return code;
}

extern "C" xs_status xs_err_set(xs_err *err, xs_status code, const char *fmt,
                                ...)
{
    va_list ap;
    va_start(ap, fmt);
    err_set_va(err, code, fmt, ap);
    va_end(ap);
    return code;
}

extern "C" const char *xs_xapian_version(void)
{
    return Xapian::version_string();
}

char *xs_strdup(const std::string &s)
{
    char *p = (char *)malloc(s.size() + 1);
    if (p) {
        memcpy(p, s.data(), s.size());
        p[s.size()] = '\0';
    }
    return p;
}

/* Set err to "index 'INDEX' is corrupt: PART: what" for db (XS_CORRUPT). */
static xs_status corrupt_set(const xs_db *db, xs_err *err, const char *what)
{
    if (!db)
        return xs_err_set(err, XS_CORRUPT, "database is corrupt: %s", what);
    return xs_err_set(err, XS_CORRUPT, "index '%s' is corrupt: %s%s%s",
                      db->index.c_str(), db->part.c_str(),
                      db->part.empty() ? "" : ": ", what);
}

static xs_status from_desc(const xs_db *db, xs_err *err, xs_status code,
                           const char *what)
{
    if (code == XS_CORRUPT && db)
        return corrupt_set(db, err, what);
    return xs_err_set(err, code, "%s", what);
}

/* get_description() allocates: if that fails, the status still stands. */
static xs_status from_xapian(const xs_db *db, xs_err *err, xs_status code,
                             const Xapian::Error &e)
{
    try {
        return from_desc(db, err, code, e.get_description().c_str());
    } catch (...) {
        return from_desc(db, err, code, e.get_type());
    }
}

/* The one translator.  db is NULL when writing or opening; when reading
 * an open database (db given) every exception that can only come from
 * its files being damaged is XS_CORRUPT: the docids, lengths and offsets
 * the shim's read functions pass to Xapian all come from those files, and
 * a snapshot is never written in place, so "modified" or "document not
 * found" there means damage.  A std::bad_alloc stays XS_NOMEM even then
 * (a real shortage must exit 4); sizes read from the files are checked
 * before anything is allocated by them (ix_snapshot_open). */
static xs_status translate(const xs_db *db, xs_err *err)
{
    const bool rd = db != NULL;
    try {
        throw;
    } catch (const Xapian::DatabaseLockError &e) {
        return from_xapian(db, err, XS_LOCKED, e);
    } catch (const Xapian::DatabaseModifiedError &e) {
        return from_xapian(db, err, rd ? XS_CORRUPT : XS_RETRY, e);
    } catch (const Xapian::DatabaseCorruptError &e) {
        return from_xapian(db, err, XS_CORRUPT, e);
    } catch (const Xapian::DatabaseVersionError &e) {
        return from_xapian(db, err, XS_VERSION, e);
    } catch (const Xapian::DatabaseNotFoundError &e) {
        return from_xapian(db, err, rd ? XS_CORRUPT : XS_NOT_FOUND, e);
    } catch (const Xapian::DatabaseOpeningError &e) {
        return from_xapian(db, err, XS_IO, e);
    } catch (const Xapian::DatabaseError &e) {
        return from_xapian(db, err, rd ? XS_CORRUPT : XS_IO, e);
    } catch (const Xapian::DocNotFoundError &e) {
        return from_xapian(db, err, rd ? XS_CORRUPT : XS_NOT_FOUND, e);
    } catch (const Xapian::QueryParserError &e) {
        return from_xapian(db, err, XS_BAD_QUERY, e);
    } catch (const Xapian::InvalidArgumentError &e) {
        return from_xapian(db, err, rd ? XS_CORRUPT : XS_INVALID, e);
    } catch (const Xapian::InvalidOperationError &e) {
        return from_xapian(db, err, XS_INVALID, e);
    } catch (const Xapian::SerialisationError &e) {
        return from_xapian(db, err, rd ? XS_CORRUPT : XS_ERROR, e);
    } catch (const Xapian::RangeError &e) {
        return from_xapian(db, err, rd ? XS_CORRUPT : XS_ERROR, e);
    } catch (const Xapian::Error &e) {
        return from_xapian(db, err, XS_ERROR, e);
    } catch (const std::bad_alloc &) {
        return xs_err_set(err, XS_NOMEM, "out of memory");
    } catch (const std::length_error &e) {    /* a length read from a file */
        return from_desc(db, err, rd ? XS_CORRUPT : XS_ERROR, e.what());
    } catch (const std::out_of_range &e) {    /* an offset read from a file */
        return from_desc(db, err, rd ? XS_CORRUPT : XS_ERROR, e.what());
    } catch (const std::exception &e) {
        return xs_err_set(err, XS_ERROR, "%s", e.what());
    } catch (...) {
        return xs_err_set(err, XS_ERROR, "unknown C++ exception");
    }
}

xs_status xs_translate(xs_err *err)
{
    return translate(NULL, err);
}

xs_status xs_translate_read(const xs_db *db, xs_err *err)
{
    return translate(db, err);
}

extern "C" xs_status xs_db_blame(const xs_db *db, xs_err *err)
{
    if (!err)
        return XS_CORRUPT;
    /* xs_err_set formats before it frees the old message */
    return corrupt_set(db, err, err->msg ? err->msg : "damaged data");
}

/* Throw the exception numbered which (nothing for 0). */
static void raise_test(int which)
{
    switch (which) {
    case 0: return;
    case 1: throw Xapian::DatabaseLockError("lock held");
    case 2: throw Xapian::DatabaseModifiedError("modified");
    case 3: throw Xapian::DatabaseCorruptError("corrupt");
    case 4: throw Xapian::DatabaseVersionError("version");
    case 5: throw Xapian::DatabaseNotFoundError("not found");
    case 6: throw Xapian::DatabaseOpeningError("cannot open");
    case 7: throw Xapian::DatabaseError("write failed");
    case 8: throw Xapian::DocNotFoundError("no doc");
    case 9: throw Xapian::QueryParserError("bad query");
    case 10: throw Xapian::InvalidArgumentError("bad arg");
    case 11: throw Xapian::InvalidOperationError("bad op");
    case 12: throw Xapian::RangeError("range");
    case 13: throw std::bad_alloc();
    case 14: throw std::runtime_error("runtime");
    case 15: throw Xapian::SerialisationError("serialised");
    case 16: throw std::length_error("too long");
    case 17: throw std::out_of_range("out of range");
    default: throw 42;
    }
}

extern "C" xs_status xs_test_raise(int which, xs_err *err)
{
    try {
        raise_test(which);
        return XS_OK;
    }
    XS_CATCH_ALL(err)
}

extern "C" xs_status xs_test_raise_read(const xs_db *db, int which,
                                        xs_err *err)
{
    try {
        raise_test(which);
        return XS_OK;
    }
    XS_CATCH_READ(db, err)
}
