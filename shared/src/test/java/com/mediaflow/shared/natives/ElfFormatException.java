package com.mediaflow.shared.natives;

import java.io.IOException;

/**
 * A file that is not ELF, or whose ELF structures do not fit in the file: the message names the
 * file, what was expected and what was found.
 */
public final class ElfFormatException extends IOException {

    private static final long serialVersionUID = 1L;

    private final String source;

    public ElfFormatException(String source, String detail) {
        super(source + ": " + detail);
        this.source = source;
    }

    /** The file (or jar entry) that was being read. */
    public String source() {
        return source;
    }
}
