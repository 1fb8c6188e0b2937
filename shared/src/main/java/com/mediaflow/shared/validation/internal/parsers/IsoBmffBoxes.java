package com.mediaflow.shared.validation.internal.parsers;

import com.mediaflow.shared.validation.Limits;
import com.mediaflow.shared.error.ReasonCode;
import com.mediaflow.shared.validation.StructureReport;
import com.mediaflow.shared.validation.io.Cursor;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The box walk of one {@link IsoBmffParser} parse, and what its parts share: the file's cursor, the
 * limits, the report being built and its soft findings. Reads box headers (every box inside its
 * parent and the file, depth and box count capped), walks containers without meaning, and reads
 * full boxes' version and flags.
 */
final class IsoBmffBoxes {
    /** Boxes visited in one file, all levels together. */
    static final int MAX_BOXES = 1_000_000;
    static final int MAX_WARNINGS = 20;

    /** Boxes whose body is only boxes, walked without meaning wherever they occur. */
    private static final Set<String> CONTAINERS = Set.of("moov", "trak", "mdia", "minf", "stbl", "dinf", "edts",
            "udta", "mvex", "moof", "traf", "sinf", "schi", "mfra", "tref", "iprp", "rinf", "strk", "strd", "wave");

    /** The file's cursor: every rejection is raised through it. */
    final Cursor c;
    final Limits limits;
    final String fmt;
    final long fileSize;
    final StructureReport.Builder report = StructureReport.builder();
    private int boxes;
    private int warnings;
    /** The flags of the full box read last. */
    private long flags;

    IsoBmffBoxes(Cursor c, Limits limits) {
        this.c = c;
        this.limits = limits;
        this.fmt = c.format();
        this.fileSize = c.sourceSize();
    }

    /** A box: its type, where it starts, its size, and a cursor over its body (after the header). */
    record Box(String type, long at, long size, int depth, Cursor body) {
        long end() {
            return at + size;
        }
    }

    /** Reads the next box header in {@code parent}; the parent moves past the whole box. */
    Box next(Cursor parent, int depth, boolean topLevel) {
        if (++boxes > MAX_BOXES) {
            throw c.invalid("more than " + MAX_BOXES + " boxes, the last at offset " + parent.position());
        }
        long at = parent.position();
        long size = parent.u32be();
        String type = parent.fourcc();
        long header = 8;
        if (size == 1) {
            size = parent.u64be();
            header = 16;
        } else if (size == 0) {
            if (!topLevel) {
                throw c.invalid("box '" + printableType(type) + "' at offset " + at
                        + " has size 0 ('to the end of the file'), allowed only for the last top-level box");
            }
            size = parent.end() - at;
        }
        if (type.equals("uuid")) {
            header += 16;
        }
        if (size < header) {
            throw c.invalid("box '" + printableType(type) + "' at offset " + at + " declares size " + size
                    + ", smaller than its " + header + "-byte header");
        }
        if (size > fileSize - at) {
            throw c.truncated("box '" + printableType(type) + "' at offset " + at + " declares " + size
                    + " bytes, but the file ends at " + fileSize);
        }
        if (size > parent.end() - at) {
            throw c.invalid("box '" + printableType(type) + "' at offset " + at + " declares " + size
                    + " bytes, past the end of its parent at offset " + parent.end());
        }
        limits.checkDepth(fmt, depth, "box '" + printableType(type) + "' at offset " + at);
        if (type.equals("uuid")) {
            parent.skip(16, "the extended type of a 'uuid' box");
        }
        long bodyLength = size - header;
        Cursor body = parent.region(bodyLength, "box '" + printableType(type) + "'");
        parent.skip(bodyLength, "box '" + printableType(type) + "'");
        return new Box(type, at, size, depth, body);
    }

    /** Walks the child boxes of {@code parent}, handing each to {@code handler}. */
    void children(Cursor parent, int depth, String parentType, Consumer<Box> handler) {
        while (parent.remaining() >= 8) {
            handler.accept(next(parent, depth, false));
        }
        long left = parent.remaining();
        if (left > 0) {
            long at = parent.position();
            boolean zero = true;
            for (long i = 0; i < left; i++) {
                zero &= parent.u8() == 0;
            }
            if (!zero) {
                warn(left + " stray bytes at offset " + at + " at the end of '" + printableType(parentType)
                        + "', too few for a box");
            }
        }
    }

    /** A box with no meaning here: containers are walked (depth, sizes), anything else skipped. */
    void other(Box b) {
        if (CONTAINERS.contains(b.type())) {
            children(b.body(), b.depth() + 1, b.type(), this::other);
        } else if (b.type().equals("meta")) {
            metaBody(b);
            children(b.body(), b.depth() + 1, b.type(), this::other);
        }
    }

    /**
     * ISO's 'meta' is a full box (version and flags), QuickTime's is not: its first child's
     * type ('hdlr') then sits at offset 4 of the body instead of 8.
     */
    private void metaBody(Box b) {
        long s = b.body().start();
        if (!fourccAt(s + 4).equals("hdlr")) {
            fullBox(b, "meta", 0);
        }
    }

    /** A soft finding; a hostile file could make one per box, so only the first few are kept. */
    void warn(String message) {
        if (++warnings <= MAX_WARNINGS) {
            report.warn(ReasonCode.STRUCTURE_INVALID, fmt + ": " + message);
        }
    }

    /** Reads a full box's version and flags; a version above {@code maxVersion} is invalid. */
    int fullBox(Box b, String what, int maxVersion) {
        long vf = b.body().u32be();
        flags = vf & 0xFFFFFF;
        int v = (int) (vf >>> 24);
        if (v > maxVersion) {
            throw c.invalid("'" + what + "' at offset " + b.at() + " has version " + v + ", expected 0.."
                    + maxVersion);
        }
        return v;
    }

    /** The flags of the full box read last. */
    long flags() {
        return flags;
    }

    String fourccAt(long at) {
        char[] ch = new char[4];
        for (int i = 0; i < 4; i++) {
            int v = c.peek(at + i);
            ch[i] = (char) (v < 0 ? 0 : v);
        }
        return new String(ch);
    }

    static boolean printable(String type) {
        for (int i = 0; i < type.length(); i++) {
            char ch = type.charAt(i);
            if (ch < 0x20 || ch > 0x7E) {
                return false;
            }
        }
        return true;
    }

    static String printableType(String type) {
        StringBuilder sb = new StringBuilder();
        for (char ch : type.toCharArray()) {
            sb.append(ch >= 0x20 && ch < 0x7F ? ch : '?');
        }
        return sb.toString();
    }
}
