/*
 * Source of static-no-dynamic, a static x86_64 executable with no dynamic section (no DT_NEEDED, no
 * version requirements), for ElfFile's static-executable case; see README.md.
 */
void _start(void) {
    __asm__ volatile("mov $60, %eax\n\txor %edi, %edi\n\tsyscall"); /* exit(0) */
    __builtin_unreachable();
}
