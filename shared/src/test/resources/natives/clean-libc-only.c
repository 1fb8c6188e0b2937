/*
 * Source of clean-libc-only.so, the accepting test fixture for LambdaNativeRules; see README.md.
 * It needs nothing but libc.so.6, at symbol versions as old as x86_64 glibc itself (GLIBC_2.2.5).
 */
#include <string.h>

unsigned long fixture_length(const char *text) {
    return strlen(text);
}
