/*
 * faultsim_new.cc -- TEST SCAFFOLDING: the replacement global operator
 * new/delete of the faultsim build (linked only into $(O)/faultsim/).
 *
 * Owns: every form of ::operator new and ::operator delete, so that each
 * C++ allocation in the process (the shim's and Xapian's) goes through
 * faultsim.c's counter; a failed one throws std::bad_alloc (nothrow forms
 * return NULL), which the shim must turn into XS_NOMEM.
 * Never: used by the product; calls a new_handler (there is none).
 * delete is replaced too: memory from this new is malloc's, and ASan
 * reports malloc'd memory given to its own operator delete.
 * Also Xapian::WritableDatabase::commit (ld --wrap of its mangled name),
 * which counts as one allocation: see faultsim.c.
 */
#include "faultsim.h"

#include <cstdlib>
#include <new>

namespace Xapian { class WritableDatabase; }

/* ld --wrap=_ZN6Xapian16WritableDatabase6commitEv: `this` is the first
 * argument of a member function in the Itanium C++ ABI. */
extern "C" void __real__ZN6Xapian16WritableDatabase6commitEv(
    Xapian::WritableDatabase *db);
extern "C" void __wrap__ZN6Xapian16WritableDatabase6commitEv(
    Xapian::WritableDatabase *db);

extern "C" void __wrap__ZN6Xapian16WritableDatabase6commitEv(
    Xapian::WritableDatabase *db)
{
    akk_faultsim_region(1);
    try {
        __real__ZN6Xapian16WritableDatabase6commitEv(db);
    } catch (...) {
        akk_faultsim_region(0);
        throw;
    }
    akk_faultsim_region(0);
}

static void *fs_new(std::size_t n)
{
    if (akk_faultsim_fail())
        return nullptr;
    return __real_malloc(n ? n : 1);
}

static void *fs_new_aligned(std::size_t n, std::align_val_t al)
{
    if (akk_faultsim_fail())
        return nullptr;
    std::size_t a = static_cast<std::size_t>(al);
    if (a < sizeof(void *))
        a = sizeof(void *);
    void *p = nullptr;
    return posix_memalign(&p, a, n ? n : 1) == 0 ? p : nullptr;
}

void *operator new(std::size_t n)
{
    if (void *p = fs_new(n))
        return p;
    throw std::bad_alloc();
}

void *operator new[](std::size_t n)
{
    if (void *p = fs_new(n))
        return p;
    throw std::bad_alloc();
}

void *operator new(std::size_t n, const std::nothrow_t &) noexcept
{
    return fs_new(n);
}

void *operator new[](std::size_t n, const std::nothrow_t &) noexcept
{
    return fs_new(n);
}

void *operator new(std::size_t n, std::align_val_t al)
{
    if (void *p = fs_new_aligned(n, al))
        return p;
    throw std::bad_alloc();
}

void *operator new[](std::size_t n, std::align_val_t al)
{
    if (void *p = fs_new_aligned(n, al))
        return p;
    throw std::bad_alloc();
}

void *operator new(std::size_t n, std::align_val_t al,
                   const std::nothrow_t &) noexcept
{
    return fs_new_aligned(n, al);
}

void *operator new[](std::size_t n, std::align_val_t al,
                     const std::nothrow_t &) noexcept
{
    return fs_new_aligned(n, al);
}

void operator delete(void *p) noexcept { std::free(p); }
void operator delete[](void *p) noexcept { std::free(p); }
void operator delete(void *p, std::size_t) noexcept { std::free(p); }
void operator delete[](void *p, std::size_t) noexcept { std::free(p); }
void operator delete(void *p, const std::nothrow_t &) noexcept { std::free(p); }
void operator delete[](void *p, const std::nothrow_t &) noexcept
{
    std::free(p);
}
void operator delete(void *p, std::align_val_t) noexcept { std::free(p); }
void operator delete[](void *p, std::align_val_t) noexcept { std::free(p); }
void operator delete(void *p, std::size_t, std::align_val_t) noexcept
{
    std::free(p);
}
void operator delete[](void *p, std::size_t, std::align_val_t) noexcept
{
    std::free(p);
}
void operator delete(void *p, std::align_val_t, const std::nothrow_t &) noexcept
{
    std::free(p);
}
void operator delete[](void *p, std::align_val_t,
                       const std::nothrow_t &) noexcept
{
    std::free(p);
}
