package com.mediaflow.shared.validation;

import com.mediaflow.shared.error.ReasonCode;
import com.mediaflow.shared.error.MediaRejectedException;
import com.mediaflow.shared.format.Detector;
import com.mediaflow.shared.format.MediaFormat;
import com.mediaflow.shared.validation.io.ByteSource;
import com.mediaflow.shared.validation.io.Cursor;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The whole verdict on one object: what it is, whether its declaration lies, whether its
 * structure keeps its format's rules and our limits, and whether something rides behind it.
 * Reads only what the format's structure points at, through a {@link ByteSource}.
 */
public final class StructureValidator {
    /** How far from the end an archive's directory is looked for. */
    static final int TAIL = 64 * 1024;

    private final Limits limits;
    private final Validator declared;
    private final Function<MediaFormat, Optional<FormatParser>> parsers;

    public StructureValidator(Limits limits) {
        this(limits, Parsers::forFormat);
    }

    public StructureValidator(Limits limits, Function<MediaFormat, Optional<FormatParser>> parsers) {
        this.limits = limits;
        this.declared = new Validator(limits.maxBytes());
        this.parsers = parsers;
    }

    /** Detects the format from the source's head, then judges. */
    public Result validate(ByteSource source, String declaredType, String name) {
        byte[] head = new byte[(int) Math.min(Detector.HEAD_BYTES, source.size())];
        int n = readFully(source, 0, head);
        return validate(source, Detector.detect(head, n), declaredType, name);
    }

    /** Judges a source whose format was already detected (by the hashing pass, say). */
    public Result validate(ByteSource source, MediaFormat detected, String declaredType, String name) {
        Verdict byType = declared.judge(detected, source.size(), declaredType, name);
        if (!byType.accepted() || source.size() == 0) {
            return new Result(byType, null);
        }
        List<Reason> reasons = new ArrayList<>(byType.reasons());
        StructureReport report = null;
        Optional<FormatParser> parser = parsers.apply(detected);
        if (parser.isEmpty()) {
            reasons.add(Reason.warning(ReasonCode.STRUCTURE_INVALID, detected.mimeType()
                    + " has no structural parser yet; only its signature was checked"));
        } else {
            try {
                report = parser.get().parse(Cursor.over(source, detected.name()), limits);
                checkLimits(detected, report);
                reasons.addAll(report.warnings());
                polyglotAfterEnd(source, detected, report).ifPresent(reasons::add);
            } catch (MediaRejectedException e) {
                reasons.add(Reason.error(e.code(), e.getMessage()));
            }
        }
        // a document package's own directory ends it; its parser checked that nothing follows
        if (!detected.isPackage() && reasons.stream().noneMatch(r -> r.code() == ReasonCode.POLYGLOT)) {
            archiveDirectoryInTail(source).ifPresent(reasons::add);
        }
        return new Result(Verdict.of(detected, declaredType, reasons), report);
    }

    /** The verdict and, when the structure was walked, what it found. */
    public record Result(Verdict verdict, StructureReport structure) {
    }

    private void checkLimits(MediaFormat f, StructureReport r) {
        if (r.width() != null && r.height() != null) {
            limits.checkPixels(f.name(), r.width(), r.height());
        }
        if (r.durationSeconds() != null) {
            limits.checkDuration(f.name(), r.durationSeconds());
        }
        if (r.tracks() != null) {
            limits.checkTracks(f.name(), r.tracks());
        }
        if (r.frameRate() != null) {
            limits.checkFrameRate(f.name(), r.frameRate());
        }
    }

    /**
     * Bytes after the format's logical end: another format there is a polyglot; zero padding is
     * fine; anything else (text included) is recorded as a warning. A JPEG may carry further JPEGs (MPF gain maps,
     * the second picture of an MPO), so for JPEG another JPEG is not a polyglot.
     */
    static Optional<Reason> polyglotAfterEnd(ByteSource source, MediaFormat f, StructureReport r) {
        long end = r.logicalEnd();
        if (end < 0 || end >= source.size()) {
            return Optional.empty();
        }
        long trailing = source.size() - end;
        byte[] head = new byte[(int) Math.min(4096, trailing)];
        int n = readFully(source, end, head);
        boolean allZero = true;
        for (int i = 0; i < n; i++) {
            if (head[i] != 0) {
                allZero = false;
                break;
            }
        }
        if (allZero && n == trailing) {
            return Optional.empty();
        }
        MediaFormat behind = Detector.detect(head, n);
        if (behind == MediaFormat.UNKNOWN || behind == MediaFormat.TEXT || (f == MediaFormat.JPEG && behind == MediaFormat.JPEG)) {
            return allZero ? Optional.empty() : Optional.of(Reason.warning(ReasonCode.POLYGLOT, f.name() + " ends at offset "
                    + end + ", and " + trailing + " unrecognised bytes follow"));
        }
        return Optional.of(Reason.error(ReasonCode.POLYGLOT, f.name() + " ends at offset " + end + ", expected the end of the file at "
                + source.size() + ", found " + behind.mimeType() + " appended (" + trailing + " bytes)"));
    }

    /**
     * A ZIP's end-of-central-directory record within the last 64 KiB, whose directory really is
     * there: a JAR or APK glued behind media. Found from the archive's own structure, so media
     * bytes that happen to contain the signature do not count.
     */
    static Optional<Reason> archiveDirectoryInTail(ByteSource source) {
        long size = source.size();
        if (size < 22) {
            return Optional.empty();
        }
        int len = (int) Math.min(TAIL + 22, size);
        byte[] tail = new byte[len];
        long base = size - len;
        int n = readFully(source, base, tail);
        for (int i = n - 22; i >= 0; i--) {
            if (tail[i] != 'P' || tail[i + 1] != 'K' || tail[i + 2] != 5 || tail[i + 3] != 6) {
                continue;
            }
            int commentLength = u16le(tail, i + 20);
            if (i + 22 + commentLength != n) {
                continue;
            }
            long cdSize = u32le(tail, i + 12);
            long cdOffset = u32le(tail, i + 16);
            long eocd = base + i;
            if (cdSize == 0 || cdOffset + cdSize > eocd) {
                continue;
            }
            // the directory's first entry must be where the record says: "PK\1\2", at the offset
            // relative to the archive's start, which is the directory's own end minus its size
            long archiveStart = eocd - cdSize - cdOffset;
            long firstEntry = archiveStart + cdOffset;
            byte[] sig = new byte[4];
            if (firstEntry < 0 || readFully(source, firstEntry, sig) != 4 || sig[0] != 'P' || sig[1] != 'K' || sig[2] != 1 || sig[3] != 2) {
                continue;
            }
            return Optional.of(Reason.error(ReasonCode.POLYGLOT, "expected media alone, found a ZIP archive's directory ("
                    + cdSize + " bytes) ending at offset " + (eocd + 22 + commentLength) + " of " + size
                    + ", i.e. an archive glued to the media"));
        }
        return Optional.empty();
    }

    private static int readFully(ByteSource source, long offset, byte[] buf) {
        int done = 0;
        try {
            while (done < buf.length) {
                int n = source.read(offset + done, buf, done, buf.length - done);
                if (n <= 0) {
                    break;
                }
                done += n;
            }
        } catch (IOException e) {
            throw new com.mediaflow.shared.error.StorageException("reading the object at offset " + offset + " failed: " + e.getMessage(), e);
        }
        return done;
    }

    private static int u16le(byte[] b, int at) {
        return (b[at] & 0xFF) | ((b[at + 1] & 0xFF) << 8);
    }

    private static long u32le(byte[] b, int at) {
        return (b[at] & 0xFFL) | ((b[at + 1] & 0xFFL) << 8) | ((b[at + 2] & 0xFFL) << 16) | ((b[at + 3] & 0xFFL) << 24);
    }
}
