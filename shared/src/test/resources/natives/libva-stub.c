/* A stand-in for libva.so.2, only to link violates-glibc-2.35-and-libva.so against; never committed
 * as a binary. See README.md. */
int vaMaxNumProfiles(void *display) {
    (void) display;
    return 0;
}
