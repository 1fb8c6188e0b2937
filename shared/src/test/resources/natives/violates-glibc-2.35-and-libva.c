/*
 * Source of violates-glibc-2.35-and-libva.so, a test fixture for LambdaNativeRules; see README.md.
 *
 * It breaks both rules the checker enforces for AWS Lambda (Amazon Linux 2023, glibc 2.34):
 *  - hypot() links to hypot@GLIBC_2.35 on x86_64 when built against glibc >= 2.35, so the library
 *    carries a version requirement (libm.so.6, GLIBC_2.35) that glibc 2.34 cannot satisfy;
 *  - vaMaxNumProfiles() comes from libva.so.2, which the Lambda base image does not provide and
 *    the fixture does not ship (DT_NEEDED libva.so.2).
 */
#include <math.h>

int vaMaxNumProfiles(void *display);

double fixture_distance(double x, double y) {
    return hypot(x, y);
}

int fixture_profiles(void *display) {
    return vaMaxNumProfiles(display);
}
