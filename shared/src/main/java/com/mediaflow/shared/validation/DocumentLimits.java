package com.mediaflow.shared.validation;

import com.mediaflow.shared.error.ReasonCode;
import com.mediaflow.shared.validation.internal.parsers.zip.ZipLimits;
import java.util.Locale;

/**
 * The document rows of the limits table (docs/validation.md): the bounded ZIP reader's limits,
 * the text length, and what each risky finding in a document package does. Each has an
 * environment variable ({@link com.mediaflow.shared.config.Setting}); the defaults are these.
 *
 * @param zip the ZIP reader's limits; MAX_ARCHIVE_ENTRIES, MAX_ARCHIVE_ENTRY_BYTES, MAX_ARCHIVE_TOTAL_BYTES,
 *     MAX_ARCHIVE_RATIO and MAX_ARCHIVE_NESTING set theirs, the rest keep {@link ZipLimits#DEFAULTS}
 * @param maxTextBytes MAX_TEXT_BYTES, TEXT_LIMIT
 * @param macros DOCUMENT_MACROS_POLICY (DOCUMENT_MACROS)
 * @param executables DOCUMENT_EXECUTABLES_POLICY (DOCUMENT_EMBEDDED_EXECUTABLE)
 * @param objects DOCUMENT_EMBEDDED_OBJECTS_POLICY (DOCUMENT_EMBEDDED_OBJECT)
 * @param externalLinks DOCUMENT_EXTERNAL_LINKS_POLICY (DOCUMENT_EXTERNAL_LINK)
 */
public record DocumentLimits(ZipLimits zip, long maxTextBytes, Policy macros, Policy executables, Policy objects,
                             Policy externalLinks) {

    /** What a risky finding does to the verdict. */
    public enum Policy {
        /** An ERROR: the upload is quarantined. */
        QUARANTINE,
        /** A WARNING in the manifest: the document is READY. */
        WARN;

        /** {@code quarantine} or {@code warn}, any case; null when it is neither. */
        public static Policy parse(String value) {
            return switch (value.trim().toLowerCase(Locale.ROOT)) {
                case "quarantine" -> QUARANTINE;
                case "warn" -> WARN;
                default -> null;
            };
        }

        /** As the environment variable spells it. */
        public String text() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** 16 MiB: a book is about 1 MiB; a text larger than this is data, not a message. */
    public static final long DEFAULT_MAX_TEXT_BYTES = 16L * 1024 * 1024;

    /** Today's behaviour: macros and executables quarantined, embedded objects and external links warnings. */
    public static final DocumentLimits DEFAULTS = new DocumentLimits(ZipLimits.DEFAULTS, DEFAULT_MAX_TEXT_BYTES,
            Policy.QUARANTINE, Policy.QUARANTINE, Policy.WARN, Policy.WARN);

    /** The policy of a risky finding's code; null for a code that has none. */
    public Policy policy(ReasonCode code) {
        return switch (code) {
            case DOCUMENT_MACROS -> macros;
            case DOCUMENT_EMBEDDED_EXECUTABLE -> executables;
            case DOCUMENT_EMBEDDED_OBJECT -> objects;
            case DOCUMENT_EXTERNAL_LINK -> externalLinks;
            default -> null;
        };
    }
}
