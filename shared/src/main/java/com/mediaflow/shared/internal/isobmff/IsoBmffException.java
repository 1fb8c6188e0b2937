package com.mediaflow.shared.internal.isobmff;

/**
 * Untrusted ISO-BMFF bytes broke a box rule or one of {@link HeifMetaReader}'s limits. Validation
 * turns it into its reason code ({@link Kind}), the decoder into a {@code CodecException}; this
 * package depends on neither, so both can use it.
 */
public final class IsoBmffException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** What kind of rule was broken; validation maps each to one reason code. */
    public enum Kind {
        /** The boxes break the format's rules or a count limit: STRUCTURE_INVALID. */
        INVALID,
        /** The boxes end before their structure does: TRUNCATED. */
        TRUNCATED,
        /** The picture or one of its tiles has more pixels than allowed: PIXEL_LIMIT. */
        PIXELS
    }

    private final Kind kind;
    private final long offset;

    public IsoBmffException(Kind kind, long offset, String message) {
        super(message);
        this.kind = kind;
        this.offset = offset;
    }

    public Kind kind() {
        return kind;
    }

    /** The file offset of the box at fault (the {@code meta} box for cross-box rules), or -1. */
    public long offset() {
        return offset;
    }

    /** The message, naming the offset when it does not already. */
    public String describe() {
        String m = getMessage();
        return offset < 0 || m.contains("offset " + offset) ? m : m + " (box at offset " + offset + ")";
    }
}
