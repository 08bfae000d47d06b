/*
 * xs_err.cc -- status codes, error messages and the exception translator.
 *
 * Owns: xs_status_str(), xs_err_*, xs_translate() (the single place where a
 * C++ exception becomes a C status), the test hook xs_test_raise().
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

static xs_status from_xapian(xs_err *err, xs_status code,
                             const Xapian::Error &e)
{
    try {
        return xs_err_set(err, code, "%s", e.get_description().c_str());
    } catch (...) {
        /* get_description allocates: a std::bad_alloc here would leave
         * the translator, and the extern "C" function, mid-catch */
        return xs_err_set(err, code, "%s: %s", e.get_type(),
                          e.get_msg().c_str());
    }
}

xs_status xs_translate(xs_err *err)
{
    try {
        throw;
    } catch (const Xapian::DatabaseLockError &e) {
        return from_xapian(err, XS_LOCKED, e);
    } catch (const Xapian::DatabaseModifiedError &e) {
        return from_xapian(err, XS_RETRY, e);
    } catch (const Xapian::DatabaseCorruptError &e) {
        return from_xapian(err, XS_CORRUPT, e);
    } catch (const Xapian::DatabaseVersionError &e) {
        return from_xapian(err, XS_VERSION, e);
    } catch (const Xapian::DatabaseNotFoundError &e) {
        return from_xapian(err, XS_NOT_FOUND, e);
    } catch (const Xapian::DatabaseOpeningError &e) {
        return from_xapian(err, XS_IO, e);
    } catch (const Xapian::DatabaseError &e) {
        return from_xapian(err, XS_IO, e);
    } catch (const Xapian::DocNotFoundError &e) {
        return from_xapian(err, XS_NOT_FOUND, e);
    } catch (const Xapian::QueryParserError &e) {
        return from_xapian(err, XS_BAD_QUERY, e);
    } catch (const Xapian::InvalidArgumentError &e) {
        return from_xapian(err, XS_INVALID, e);
    } catch (const Xapian::InvalidOperationError &e) {
        return from_xapian(err, XS_INVALID, e);
    } catch (const Xapian::Error &e) {
        return from_xapian(err, XS_ERROR, e);
    } catch (const std::bad_alloc &) {
        return xs_err_set(err, XS_NOMEM, "out of memory");
    } catch (const std::exception &e) {
        return xs_err_set(err, XS_ERROR, "%s", e.what());
    } catch (...) {
        return xs_err_set(err, XS_ERROR, "unknown C++ exception");
    }
}

extern "C" xs_status xs_test_raise(int which, xs_err *err)
{
    try {
        switch (which) {
        case 0: return XS_OK;
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
        default: throw 42;
        }
    }
    XS_CATCH_ALL(err)
}
