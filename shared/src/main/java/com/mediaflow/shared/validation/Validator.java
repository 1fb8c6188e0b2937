package com.mediaflow.shared.validation;

import com.mediaflow.shared.error.ReasonCode;
import com.mediaflow.shared.format.MediaCategory;
import com.mediaflow.shared.format.MediaFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Decides whether an upload may reach a decoder, from what detection found in its bytes and how
 * the upload was declared. Stateless and cheap; one instance per function.
 */
final class Validator {
    private final long maxBytes;

    public Validator(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    /**
     * @param detected what {@link com.mediaflow.shared.format.Detector} found in the head
     * @param size the object's length in bytes
     * @param declaredType the upload's Content-Type, or null
     * @param name the upload's key or file name, for its extension, or null
     */
    public Verdict judge(MediaFormat detected, long size, String declaredType, String name) {
        List<Reason> reasons = new ArrayList<>();
        if (size == 0) {
            reasons.add(Reason.error(ReasonCode.EMPTY, "expected media bytes, found an empty object"));
            return Verdict.of(MediaFormat.UNKNOWN, declaredType, reasons);
        }
        if (size > maxBytes) {
            reasons.add(Reason.error(ReasonCode.SIZE_LIMIT,
                    "object is " + size + " bytes, expected at most " + maxBytes + " (MAX_UPLOAD_BYTES)"));
        }
        Optional<MediaFormat> byType = MediaFormat.byMimeType(declaredType);
        Optional<MediaFormat> byName = MediaFormat.byFileName(name);
        String claim = describeClaim(declaredType, name);

        if (detected.isExecutable()) {
            reasons.add(Reason.error(ReasonCode.EXECUTABLE,
                    "expected media, found " + article(detected) + " (" + detected.mimeType() + ")" + claim));
        } else if (detected.isArchive()) {
            reasons.add(Reason.error(ReasonCode.ARCHIVE_DISGUISED,
                    "expected media, found " + article(detected) + " (" + detected.mimeType() + ")" + claim));
        } else if (detected == MediaFormat.HTML || detected == MediaFormat.SVG) {
            reasons.add(Reason.error(ReasonCode.ACTIVE_MARKUP,
                    "expected media, found " + detected.mimeType() + " markup, which can carry script" + claim));
        } else if (!detected.accepted()) {
            reasons.add(Reason.error(ReasonCode.UNSUPPORTED_TYPE,
                    "expected a supported image, video, audio or document format, found unrecognised content" + claim));
        } else {
            mismatch(detected, byType.orElse(null), "Content-Type '" + declaredType + "'").ifPresent(reasons::add);
            mismatch(detected, byName.orElse(null), "extension of '" + name + "'").ifPresent(reasons::add);
        }
        return Verdict.of(detected, declaredType, reasons);
    }

    private static Optional<Reason> mismatch(MediaFormat detected, MediaFormat claimed, String what) {
        if (claimed == null || claimed == detected) {
            return Optional.empty();
        }
        boolean sameClient = claimed.category() != MediaCategory.OTHER
                && claimed.category().clientClass().equals(detected.category().clientClass());
        if (sameClient) {
            return Optional.empty();
        }
        return Optional.of(Reason.error(ReasonCode.TYPE_MISMATCH, "the " + what + " says " + claimed.mimeType()
                + " (" + claimed.category().id() + "), but the content is " + detected.mimeType()
                + " (" + detected.category().id() + ")"));
    }

    private static String describeClaim(String declaredType, String name) {
        StringBuilder sb = new StringBuilder();
        if (name != null) {
            sb.append(" named '").append(name).append('\'');
        }
        if (declaredType != null) {
            sb.append(sb.length() == 0 ? " declared as " : " and declared as ").append(declaredType);
        }
        return sb.toString();
    }

    private static String article(MediaFormat f) {
        return switch (f) {
            case ELF -> "an ELF executable";
            case PE -> "a Windows PE executable";
            case MACH_O -> "a Mach-O executable";
            case SCRIPT -> "a script with a #! line";
            case APK -> "an Android APK";
            case JAR -> "a Java JAR";
            case IPA -> "an iOS IPA";
            case ZIP -> "a ZIP archive";
            case RAR -> "a RAR archive";
            case SEVEN_ZIP -> "a 7-Zip archive";
            case GZIP -> "a gzip stream";
            default -> f.name();
        };
    }
}
