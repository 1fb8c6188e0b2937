package com.mediaflow.shared.codec.document;

/**
 * A point in time after which PDFBox's work on a document stops: the content stream engines
 * ({@link PdfPreview}'s page drawer, {@link PdfInfo}'s text scan) check it before every operator
 * and throw {@link Passed}, unchecked so that no operator's own IOException handling swallows it.
 */
final class Deadline {
    private final long endNanos;
    private final long millis;
    private volatile boolean cancelled;

    Deadline(long millis) {
        this.millis = millis;
        this.endNanos = System.nanoTime() + millis * 1_000_000;
    }

    long millis() {
        return millis;
    }

    boolean passed() {
        return cancelled || System.nanoTime() - endNanos > 0;
    }

    /** Makes every later {@link #check()} throw: the waiting thread has given up. */
    void cancel() {
        cancelled = true;
    }

    void check() {
        if (passed()) {
            throw new Passed(millis);
        }
    }

    static final class Passed extends RuntimeException {
        Passed(long millis) {
            super("gave up after " + millis + " ms", null, false, false);
        }
    }
}
