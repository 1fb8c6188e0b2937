package com.mediaflow.shared.natives;

/**
 * Why one ELF file would not load on AWS Lambda.
 *
 * @param location the file (see {@link NativeFile#location()})
 * @param kind which rule it breaks
 * @param library for {@link Kind#GLIBC_TOO_NEW} the library the version is of (libm.so.6), for
 *     {@link Kind#LIBRARY_NOT_PROVIDED} the missing DT_NEEDED library
 * @param version for {@link Kind#GLIBC_TOO_NEW} the symbol version (GLIBC_2.35), else null
 */
public record NativeViolation(String location, Kind kind, String library, String version) {

    public enum Kind {
        /** A GLIBC_x.y symbol version newer than {@link LambdaNativeRules#MAX_GLIBC}. */
        GLIBC_TOO_NEW,
        /** A DT_NEEDED library neither in the package nor in the Lambda base image. */
        LIBRARY_NOT_PROVIDED
    }

    static NativeViolation glibcTooNew(String location, String library, String version) {
        return new NativeViolation(location, Kind.GLIBC_TOO_NEW, library, version);
    }

    static NativeViolation notProvided(String location, String library) {
        return new NativeViolation(location, Kind.LIBRARY_NOT_PROVIDED, library, null);
    }

    /** One readable sentence: what the file needs, and what Lambda has instead. */
    public String describe() {
        return switch (kind) {
            case GLIBC_TOO_NEW -> location + ": needs " + version + " of " + library
                    + ", but AWS Lambda (Amazon Linux 2023) has glibc "
                    + LambdaNativeRules.MAX_GLIBC;
            case LIBRARY_NOT_PROVIDED -> location + ": needs " + library
                    + ", which the package does not ship and the Lambda base image does not"
                    + " provide";
        };
    }

    @Override
    public String toString() {
        return describe();
    }
}
