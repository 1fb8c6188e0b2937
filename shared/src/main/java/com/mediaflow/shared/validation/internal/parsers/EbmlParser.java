package com.mediaflow.shared.validation.internal.parsers;

import static com.mediaflow.shared.validation.internal.parsers.EbmlElements.ATTACHMENTS;
import static com.mediaflow.shared.validation.internal.parsers.EbmlElements.BLOCK;
import static com.mediaflow.shared.validation.internal.parsers.EbmlElements.BLOCK_GROUP;
import static com.mediaflow.shared.validation.internal.parsers.EbmlElements.CHAPTERS;
import static com.mediaflow.shared.validation.internal.parsers.EbmlElements.CLUSTER;
import static com.mediaflow.shared.validation.internal.parsers.EbmlElements.CLUSTER_TIMESTAMP;
import static com.mediaflow.shared.validation.internal.parsers.EbmlElements.CODEC_ID;
import static com.mediaflow.shared.validation.internal.parsers.EbmlElements.CRC32;
import static com.mediaflow.shared.validation.internal.parsers.EbmlElements.CUES;
import static com.mediaflow.shared.validation.internal.parsers.EbmlElements.DEFAULT_DURATION;
import static com.mediaflow.shared.validation.internal.parsers.EbmlElements.DOC_TYPE;
import static com.mediaflow.shared.validation.internal.parsers.EbmlElements.DOC_TYPE_READ_VERSION;
import static com.mediaflow.shared.validation.internal.parsers.EbmlElements.DOC_TYPE_VERSION;
import static com.mediaflow.shared.validation.internal.parsers.EbmlElements.DURATION;
import static com.mediaflow.shared.validation.internal.parsers.EbmlElements.EBML;
import static com.mediaflow.shared.validation.internal.parsers.EbmlElements.EBML_MAX_ID_LENGTH;
import static com.mediaflow.shared.validation.internal.parsers.EbmlElements.EBML_MAX_SIZE_LENGTH;
import static com.mediaflow.shared.validation.internal.parsers.EbmlElements.EBML_READ_VERSION;
import static com.mediaflow.shared.validation.internal.parsers.EbmlElements.EBML_VERSION;
import static com.mediaflow.shared.validation.internal.parsers.EbmlElements.INFO;
import static com.mediaflow.shared.validation.internal.parsers.EbmlElements.PIXEL_HEIGHT;
import static com.mediaflow.shared.validation.internal.parsers.EbmlElements.PIXEL_WIDTH;
import static com.mediaflow.shared.validation.internal.parsers.EbmlElements.SEEK_HEAD;
import static com.mediaflow.shared.validation.internal.parsers.EbmlElements.SEGMENT;
import static com.mediaflow.shared.validation.internal.parsers.EbmlElements.SIMPLE_BLOCK;
import static com.mediaflow.shared.validation.internal.parsers.EbmlElements.TAGS;
import static com.mediaflow.shared.validation.internal.parsers.EbmlElements.TIMESTAMP_SCALE;
import static com.mediaflow.shared.validation.internal.parsers.EbmlElements.TRACKS;
import static com.mediaflow.shared.validation.internal.parsers.EbmlElements.TRACK_ENTRY;
import static com.mediaflow.shared.validation.internal.parsers.EbmlElements.TRACK_NUMBER;
import static com.mediaflow.shared.validation.internal.parsers.EbmlElements.TRACK_TYPE;
import static com.mediaflow.shared.validation.internal.parsers.EbmlElements.VIDEO;
import static com.mediaflow.shared.validation.internal.parsers.EbmlElements.VOID;
import static com.mediaflow.shared.validation.internal.parsers.EbmlElements.hex;
import static com.mediaflow.shared.validation.internal.parsers.EbmlElements.name;
import static com.mediaflow.shared.validation.internal.parsers.EbmlElements.printable;
import static com.mediaflow.shared.validation.internal.parsers.EbmlElements.readId;
import static com.mediaflow.shared.validation.internal.parsers.EbmlElements.readSize;
import static com.mediaflow.shared.validation.internal.parsers.EbmlElements.string;
import static com.mediaflow.shared.validation.internal.parsers.EbmlElements.uint;

import com.mediaflow.shared.validation.FormatParser;
import com.mediaflow.shared.validation.Limits;
import com.mediaflow.shared.validation.StructureReport;
import com.mediaflow.shared.validation.io.Cursor;
import java.util.Set;

/**
 * WebM and Matroska: an EBML header (versions, DocType "webm" or "matroska") and then one Segment
 * whose elements are walked as a tree of EBML elements. Every element ID is a 1-4 byte VINT (marker
 * bit kept; all value bits one is invalid), every size a 1-8 byte VINT inside its parent and the
 * file; "unknown size" is allowed for Segment and Cluster only, and such a Cluster ends at the next
 * Cluster or Segment-level ID. Master elements are descended into with the depth capped; Info gives
 * the duration, Tracks the track count and the first video track's dimensions. Clusters are walked
 * header by header (never a frame payload): the children of the first {@value #EXAMINED_CLUSTERS}
 * known-size clusters, after that only each cluster's size and its first child (its Timestamp).
 *
 * <p>This class holds the WebM/Matroska rules; {@link EbmlElements} the element IDs and names and
 * the reading of IDs, sizes and values.
 */
public final class EbmlParser implements FormatParser {
    /** Elements visited in one file, whatever their kind. */
    static final int MAX_ELEMENTS = 1_000_000;
    /** Clusters whose children are all walked; later known-size clusters are hopped over. */
    static final int EXAMINED_CLUSTERS = 8;

    /** Children of a Segment: each ends an unknown-size Cluster. */
    private static final Set<Long> SEGMENT_CHILDREN = Set.of(SEEK_HEAD, INFO, TRACKS, CUES, CLUSTER, CHAPTERS, TAGS,
            ATTACHMENTS);

    /** Master elements below the Segment level that are descended into (others are skipped by size). */
    private static final Set<Long> MASTERS = Set.of(
            0x4DBBL,                                       // Seek
            TRACK_ENTRY, VIDEO, 0xE1L,                     // TrackEntry, Video, Audio
            0x55B0L, 0x55D0L, 0x7670L,                     // Colour, MasteringMetadata, Projection
            0x6D80L, 0x6240L, 0x5034L, 0x5035L, 0x47E7L,   // ContentEncodings .. ContentEncAESSettings
            0x41E4L, 0x6624L, 0xE2L, 0xE3L, 0xE4L, 0xE9L,  // BlockAdditionMapping, TrackTranslate, TrackOperation..
            BLOCK_GROUP, 0x75A1L, 0xA6L, 0x8EL, 0xE8L, 0x5854L, // BlockGroup, BlockAdditions, BlockMore, Slices..
            0xBBL, 0xB7L, 0xDBL,                           // CuePoint, CueTrackPositions, CueReference
            0x45B9L, 0xB6L, 0x8FL, 0x80L, 0x6944L, 0x6911L, 0x6923L, // Chapters' masters (ChapterAtom nests)
            0x7373L, 0x63C0L, 0x67C8L,                     // Tag, Targets, SimpleTag (SimpleTag nests)
            0x61A7L);                                      // AttachedFile

    @Override
    public StructureReport parse(Cursor c, Limits limits) {
        return new Walk(c, limits).run();
    }

    /** The state of one parse. */
    private static final class Walk {
        private final Cursor file;
        private final Limits limits;
        private final String format;
        private int elements;
        private int clusters;
        private long timestampScale = 1_000_000;
        private Double duration;
        private long maxClusterTimestamp = -1;
        private int tracks;
        private boolean tracksSeen;
        private boolean infoSeen;
        private long width;
        private long height;
        private boolean videoFound;

        Walk(Cursor file, Limits limits) {
            this.file = file;
            this.limits = limits;
            this.format = file.format();
        }

        StructureReport run() {
            long at = file.position();
            long id = readId(file);
            if (id != EBML) {
                throw file.invalid("expected the EBML header ID 0x1A45DFA3 at offset " + at + ", found " + hex(id));
            }
            long size = readSize(file, id, at);
            Cursor header = file.region(size, "EBML header at offset " + at);
            ebmlHeader(header);
            file.skip(size, "EBML header");

            while (true) {
                if (!file.hasRemaining()) {
                    throw file.truncated("no Segment after the EBML header; the file ends at " + file.position());
                }
                at = file.position();
                id = readId(file);
                size = readSize(file, id, at);
                if (id == VOID || id == CRC32) {
                    file.region(size, name(id) + " at offset " + at);
                    file.skip(size, name(id));
                    continue;
                }
                if (id != SEGMENT) {
                    throw file.invalid("expected a Segment (0x18538067) at offset " + at + ", found " + hex(id));
                }
                break;
            }
            long end = segment(at, size);
            if (!tracksSeen || tracks == 0) {
                throw file.invalid("the Segment at offset " + at + " has " + (tracksSeen ? "a Tracks element without a "
                        + "TrackEntry" : "no Tracks element") + ", expected at least one track");
            }
            StructureReport.Builder report = StructureReport.builder().tracks(tracks).logicalEnd(end);
            if (videoFound) {
                report.dimensions(width, height);
            }
            if (duration != null) {
                report.duration(duration);
            } else if (maxClusterTimestamp >= 0) {
                report.duration(seconds(maxClusterTimestamp, "the last Cluster Timestamp"));
            }
            return report.build();
        }

        private void ebmlHeader(Cursor h) {
            String docType = null;
            while (h.hasRemaining()) {
                long at = h.position();
                long id = readId(h);
                long size = readSize(h, id, at);
                Cursor v = h.region(size, name(id) + " at offset " + at);
                if (id == EBML_VERSION || id == EBML_READ_VERSION || id == EBML_MAX_ID_LENGTH
                        || id == EBML_MAX_SIZE_LENGTH || id == DOC_TYPE_VERSION || id == DOC_TYPE_READ_VERSION) {
                    long value = uint(v, size, id, at);
                    if (id == EBML_READ_VERSION && value != 1) {
                        throw h.invalid("EBMLReadVersion at offset " + at + " is " + value + ", expected 1");
                    }
                    if (id == EBML_VERSION && value == 0) {
                        throw h.invalid("EBMLVersion at offset " + at + " is 0, expected 1 or more");
                    }
                    if (id == EBML_MAX_ID_LENGTH && value != 4) {
                        throw h.invalid("EBMLMaxIDLength at offset " + at + " is " + value + ", expected 4");
                    }
                    if (id == EBML_MAX_SIZE_LENGTH && (value < 1 || value > 8)) {
                        throw h.invalid("EBMLMaxSizeLength at offset " + at + " is " + value + ", expected 1..8");
                    }
                    if (id == DOC_TYPE_READ_VERSION) {
                        if (value < 1 || value > 4) {
                            throw h.invalid("DocTypeReadVersion at offset " + at + " is " + value + ", expected 1..4");
                        }
                    }
                } else if (id == DOC_TYPE) {
                    docType = string(v, size, "DocType", at);
                }
                h.skip(size, name(id));
            }
            if (docType == null) {
                throw h.invalid("the EBML header has no DocType, expected \"webm\" or \"matroska\"");
            }
            if (!docType.equals("webm") && !docType.equals("matroska")) {
                throw h.invalid("DocType is \"" + printable(docType) + "\", expected \"webm\" or \"matroska\"");
            }
        }

        /** Walks the Segment's children; returns where the Segment ends, or -1. */
        private long segment(long at, long size) {
            limits.checkDepth(format, 1, "Segment at offset " + at);
            Cursor seg = size < 0 ? file.region(file.remaining(), "Segment at offset " + at)
                    : file.region(size, "Segment at offset " + at);
            while (seg.hasRemaining()) {
                long childAt = seg.position();
                long id = readId(seg);
                if (size < 0 && (id == EBML || id == SEGMENT)) {
                    // an unknown-size Segment ends where the next EBML stream begins
                    return childAt;
                }
                count(childAt);
                if (id == SEGMENT || id == EBML) {
                    throw seg.invalid(name(id) + " at offset " + childAt + " inside the Segment at offset " + at
                            + ", expected Segment children only");
                }
                long childSize = readSize(seg, id, childAt);
                String what = name(id) + " at offset " + childAt;
                Cursor child = childSize < 0 ? seg.region(seg.remaining(), what) : seg.region(childSize, what);
                long childEnd;
                if (id == CLUSTER) {
                    childEnd = cluster(child, childSize < 0, childAt);
                } else {
                    childEnd = child.end();
                    if (id == INFO) {
                        info(child, childAt);
                    } else if (id == TRACKS) {
                        tracks(child, childAt);
                    } else if (id == SEEK_HEAD || id == CUES || id == CHAPTERS || id == TAGS || id == ATTACHMENTS) {
                        children(child, id, 2, what);
                    }
                }
                seg.seek(childEnd);
            }
            return seg.end();
        }

        /** Walks a Cluster's child headers; returns where it ends (for an unknown size, at the next Cluster). */
        private long cluster(Cursor cl, boolean unknownSize, long at) {
            limits.checkDepth(format, 2, "Cluster at offset " + at);
            clusters++;
            boolean examine = unknownSize || clusters <= EXAMINED_CLUSTERS;
            boolean first = true;
            while (cl.hasRemaining()) {
                long childAt = cl.position();
                long id = readId(cl);
                if (unknownSize && (SEGMENT_CHILDREN.contains(id) || id == EBML || id == SEGMENT)) {
                    return childAt;
                }
                count(childAt);
                long size = readSize(cl, id, childAt);
                String what = name(id) + " at offset " + childAt;
                Cursor child = cl.region(size, what);
                if (id == CLUSTER_TIMESTAMP && first) {
                    long t = uint(child, size, id, childAt);
                    maxClusterTimestamp = Math.max(maxClusterTimestamp, t);
                } else if (id == SIMPLE_BLOCK && size < 4) {
                    throw cl.invalid(what + " is " + size + " bytes, expected at least 4 (track, timestamp, flags)");
                } else if (id == BLOCK_GROUP && examine) {
                    blockGroup(child, childAt);
                }
                first = false;
                cl.skip(size, what);
                if (!examine) {
                    return cl.end();
                }
            }
            return cl.end();
        }

        private void blockGroup(Cursor g, long at) {
            limits.checkDepth(format, 3, "BlockGroup at offset " + at);
            boolean block = false;
            while (g.hasRemaining()) {
                long childAt = g.position();
                long id = readId(g);
                count(childAt);
                long size = readSize(g, id, childAt);
                String what = name(id) + " at offset " + childAt;
                g.region(size, what);
                if (id == BLOCK) {
                    if (size < 4) {
                        throw g.invalid(what + " is " + size + " bytes, expected at least 4 (track, timestamp, flags)");
                    }
                    block = true;
                }
                g.skip(size, what);
            }
            if (!block) {
                throw g.invalid("BlockGroup at offset " + at + " has no Block");
            }
        }

        private void info(Cursor info, long at) {
            if (infoSeen) {
                throw info.invalid("a second Info element at offset " + at + ", expected one");
            }
            infoSeen = true;
            limits.checkDepth(format, 2, "Info at offset " + at);
            Double rawDuration = null;
            while (info.hasRemaining()) {
                long childAt = info.position();
                long id = readId(info);
                count(childAt);
                long size = readSize(info, id, childAt);
                Cursor v = info.region(size, name(id) + " at offset " + childAt);
                if (id == TIMESTAMP_SCALE) {
                    timestampScale = uint(v, size, id, childAt);
                    if (timestampScale == 0) {
                        throw info.invalid("TimestampScale at offset " + childAt + " is 0, expected > 0 ns");
                    }
                } else if (id == DURATION) {
                    double d;
                    if (size == 4) {
                        d = Float.intBitsToFloat((int) v.u32be());
                    } else if (size == 8) {
                        d = Double.longBitsToDouble((v.u32be() << 32) | v.u32be());
                    } else if (size == 0) {
                        d = 0;
                    } else {
                        throw info.invalid("Duration at offset " + childAt + " is " + size + " bytes, expected a 4- or 8-byte float");
                    }
                    if (Double.isNaN(d) || Double.isInfinite(d) || d < 0) {
                        throw info.invalid("Duration at offset " + childAt + " is " + d + ", expected a finite number >= 0");
                    }
                    rawDuration = d;
                }
                info.skip(size, name(id));
            }
            if (rawDuration != null) {
                double s = rawDuration * timestampScale / 1e9;
                if (Double.isInfinite(s)) {
                    throw info.invalid("Duration " + rawDuration + " x TimestampScale " + timestampScale
                            + " ns is not a finite number of seconds");
                }
                duration = s;
            }
        }

        private void tracks(Cursor t, long at) {
            if (tracksSeen) {
                throw t.invalid("a second Tracks element at offset " + at + ", expected one");
            }
            tracksSeen = true;
            limits.checkDepth(format, 2, "Tracks at offset " + at);
            while (t.hasRemaining()) {
                long childAt = t.position();
                long id = readId(t);
                count(childAt);
                long size = readSize(t, id, childAt);
                String what = name(id) + " at offset " + childAt;
                Cursor entry = t.region(size, what);
                if (id == TRACK_ENTRY) {
                    tracks++;
                    limits.checkTracks(format, tracks);
                    trackEntry(entry, childAt);
                } else {
                    children(entry, id, 3, what);
                }
                t.skip(size, what);
            }
        }

        private void trackEntry(Cursor e, long at) {
            limits.checkDepth(format, 3, "TrackEntry at offset " + at);
            long type = -1;
            long number = -1;
            long w = -1;
            long h = -1;
            long nsPerFrame = -1;
            while (e.hasRemaining()) {
                long childAt = e.position();
                long id = readId(e);
                count(childAt);
                long size = readSize(e, id, childAt);
                String what = name(id) + " at offset " + childAt;
                Cursor v = e.region(size, what);
                if (id == TRACK_TYPE) {
                    type = uint(v, size, id, childAt);
                    if (type < 1 || type > 254) {
                        throw e.invalid("TrackType at offset " + childAt + " is " + type + ", expected 1..254");
                    }
                } else if (id == TRACK_NUMBER) {
                    number = uint(v, size, id, childAt);
                    if (number == 0) {
                        throw e.invalid("TrackNumber at offset " + childAt + " is 0, expected > 0");
                    }
                } else if (id == CODEC_ID) {
                    string(v, size, "CodecID", childAt);
                } else if (id == DEFAULT_DURATION) {
                    nsPerFrame = uint(v, size, id, childAt);
                } else if (id == VIDEO) {
                    limits.checkDepth(format, 4, "Video at offset " + childAt);
                    while (v.hasRemaining()) {
                        long vAt = v.position();
                        long vid = readId(v);
                        count(vAt);
                        long vSize = readSize(v, vid, vAt);
                        Cursor field = v.region(vSize, name(vid) + " at offset " + vAt);
                        if (vid == PIXEL_WIDTH || vid == PIXEL_HEIGHT) {
                            long px = uint(field, vSize, vid, vAt);
                            if (px == 0) {
                                throw v.invalid(name(vid) + " at offset " + vAt + " is 0, expected > 0");
                            }
                            if (vid == PIXEL_WIDTH) {
                                w = px;
                            } else {
                                h = px;
                            }
                        } else {
                            children(field, vid, 5, name(vid) + " at offset " + vAt);
                        }
                        v.skip(vSize, name(vid));
                    }
                } else {
                    children(v, id, 4, what);
                }
                e.skip(size, what);
            }
            if (number < 0) {
                throw e.invalid("TrackEntry at offset " + at + " has no TrackNumber");
            }
            if (type < 0) {
                throw e.invalid("TrackEntry at offset " + at + " has no TrackType");
            }
            if (type == 1) {
                if (w < 0 || h < 0) {
                    throw e.invalid("video TrackEntry at offset " + at + " has no PixelWidth and PixelHeight, expected both > 0");
                }
                if (!videoFound) {
                    videoFound = true;
                    width = w;
                    height = h;
                    limits.checkPixels(format, w, h);
                    if (nsPerFrame > 0) {
                        limits.checkFrameRate(format, 1e9 / nsPerFrame);
                    }
                }
            }
        }

        /** Descends into a known master element, else leaves it; {@code el} is its body. */
        private void children(Cursor el, long id, int depth, String what) {
            if (!MASTERS.contains(id) && !SEGMENT_CHILDREN.contains(id)) {
                return;
            }
            limits.checkDepth(format, depth, what);
            while (el.hasRemaining()) {
                long at = el.position();
                long cid = readId(el);
                count(at);
                long size = readSize(el, cid, at);
                String childWhat = name(cid) + " at offset " + at;
                Cursor child = el.region(size, childWhat);
                children(child, cid, depth + 1, childWhat);
                el.skip(size, childWhat);
            }
        }

        private void count(long at) {
            if (++elements > MAX_ELEMENTS) {
                throw file.invalid("more than " + MAX_ELEMENTS + " elements by offset " + at + ", expected fewer");
            }
        }

        private double seconds(long ticks, String what) {
            double s = (double) ticks * timestampScale / 1e9;
            if (Double.isInfinite(s)) {
                throw file.invalid(what + " " + ticks + " x TimestampScale " + timestampScale + " ns is not finite");
            }
            return s;
        }

    }
}
