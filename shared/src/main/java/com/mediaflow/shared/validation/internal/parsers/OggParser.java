package com.mediaflow.shared.validation.internal.parsers;

import com.mediaflow.shared.validation.FormatParser;
import com.mediaflow.shared.validation.Limits;
import com.mediaflow.shared.validation.StructureReport;
import com.mediaflow.shared.validation.io.Cursor;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * Ogg: a sequence of pages, each "OggS", version 0, flags, granule position, serial, page sequence,
 * CRC-32, a segment table and a body, all inside the file. The first page of every logical stream
 * has BOS and identifies its codec (Opus, Vorbis or FLAC; a Skeleton stream is tolerated), page
 * sequence numbers increase per stream and no page follows a stream's EOS. Every page header is
 * read, hopping page to page by the sizes in its segment table; page CRCs (which need the body's
 * bytes) are verified for the first {@value #CHECKED_PAGES} pages and the last
 * {@value #CHECKED_LAST_PAGES}. Duration: per stream, the last granule position (minus Opus's
 * pre-skip) over its rate; chained links add up. Tracks: the streams of the first link.
 */
public final class OggParser implements FormatParser {
    static final int CHECKED_PAGES = 64;
    static final int CHECKED_LAST_PAGES = 4;
    static final int MAX_STREAMS = 1024;
    private static final int MAX_PAGE = 27 + 255 + 255 * 255;
    private static final int[] CRC_TABLE = new int[256];

    static {
        for (int i = 0; i < 256; i++) {
            int r = i << 24;
            for (int j = 0; j < 8; j++) {
                r = (r & 0x80000000) != 0 ? (r << 1) ^ 0x04C11DB7 : r << 1;
            }
            CRC_TABLE[i] = r;
        }
    }

    /** One logical stream. */
    private static final class Stream {
        final long serial;
        final int link;
        long lastSequence;
        boolean eos;
        String codec;
        long rate;
        long preSkip;
        long granule = -1;

        Stream(long serial, int link, long sequence) {
            this.serial = serial;
            this.link = link;
            this.lastSequence = sequence;
        }
    }

    /** Where a page sits, for the CRC check of the last pages. */
    private record Page(long offset, int index, long crc) {
    }

    @Override
    public StructureReport parse(Cursor c, Limits limits) {
        String format = c.format();
        Map<Long, Stream> streams = new HashMap<>();
        ArrayDeque<Page> last = new ArrayDeque<>();
        int link = 0;
        int firstLinkStreams = 0;
        boolean inBosGroup = false;
        long pos = 0;
        long pages = 0;
        long size = c.sourceSize();
        while (pos < size) {
            if (!(c.peek(pos) == 'O' && c.peek(pos + 1) == 'g' && c.peek(pos + 2) == 'g' && c.peek(pos + 3) == 'S')) {
                if (pages == 0) {
                    throw c.invalid("expected the capture pattern 'OggS' at offset 0");
                }
                break; // the pages end here; what follows is for the validator to judge
            }
            pages++;
            limits.checkEntries(format, pages, "the page sequence");
            String where = "page " + (pages - 1) + " at offset " + pos;
            c.seek(pos);
            c.require(27, where + " header");
            c.skip(4, "capture pattern");
            int version = c.u8();
            int flags = c.u8();
            long granule = c.u32le() | (c.u32le() << 32); // signed: -1 means no packet ends on this page
            long serial = c.u32le();
            long sequence = c.u32le();
            long crc = c.u32le();
            int segments = c.u8();
            if (version != 0) {
                throw c.invalid(where + " has version " + version + ", expected 0");
            }
            if ((flags & ~0x07) != 0) {
                throw c.invalid(where + String.format(" has header flags 0x%02X, expected only 0x01, 0x02, 0x04", flags));
            }
            c.require(segments, where + " segment table (" + segments + " lacing values)");
            long bodyLength = 0;
            for (int i = 0; i < segments; i++) {
                bodyLength += c.u8();
            }
            long bodyStart = c.position();
            c.require(bodyLength, where + " body (" + bodyLength + " bytes)");
            long pageEnd = bodyStart + bodyLength;

            if (pages <= CHECKED_PAGES) {
                checkCrc(c, pos, (int) (pageEnd - pos), crc, where);
            } else {
                last.addLast(new Page(pos, (int) (pages - 1), crc));
                if (last.size() > CHECKED_LAST_PAGES) {
                    last.removeFirst();
                }
            }

            boolean bos = (flags & 0x02) != 0;
            Stream s = streams.get(serial);
            if (bos) {
                if (s != null) {
                    throw c.invalid(where + " begins stream " + serial + " again (BOS), expected it once");
                }
                if (!inBosGroup) {
                    if (!streams.isEmpty()) {
                        link++;
                    }
                    inBosGroup = true;
                }
                if (streams.size() >= MAX_STREAMS) {
                    throw c.invalid(where + " begins a stream beyond the " + MAX_STREAMS + "th, expected fewer");
                }
                s = new Stream(serial, link, sequence);
                streams.put(serial, s);
                if (link == 0) {
                    firstLinkStreams++;
                }
                identify(c, s, bodyStart, bodyLength, where);
            } else {
                inBosGroup = false;
                if (s == null) {
                    throw c.invalid(where + " belongs to stream " + serial + ", whose first page (with BOS) never came");
                }
                if (s.eos) {
                    throw c.invalid(where + " follows the end (EOS) of stream " + serial);
                }
                if (sequence <= s.lastSequence) {
                    throw c.invalid(where + " has sequence number " + sequence + ", expected more than "
                            + s.lastSequence + " for stream " + serial);
                }
                s.lastSequence = sequence;
            }
            if ((flags & 0x04) != 0) {
                s.eos = true;
            }
            if (granule != -1) {
                if (granule < 0) {
                    throw c.invalid(where + " has granule position " + granule + ", expected >= 0 or -1");
                }
                s.granule = granule;
            }
            pos = pageEnd;
        }
        for (Page p : last) {
            c.seek(p.offset);
            c.skip(26, "page header");
            long bodyLength = 0;
            int segments = c.u8();
            for (int i = 0; i < segments; i++) {
                bodyLength += c.u8();
            }
            checkCrc(c, p.offset, (int) (c.position() + bodyLength - p.offset), p.crc,
                    "page " + p.index + " at offset " + p.offset);
        }

        double[] linkSeconds = new double[link + 1];
        boolean timed = false;
        for (Stream s : streams.values()) {
            if (s.rate > 0 && s.granule >= 0) {
                double seconds = Math.max(0, s.granule - s.preSkip) / (double) s.rate;
                linkSeconds[s.link] = Math.max(linkSeconds[s.link], seconds);
                timed = true;
            }
        }
        StructureReport.Builder report = StructureReport.builder().tracks(firstLinkStreams).logicalEnd(pos);
        if (timed) {
            double total = 0;
            for (double d : linkSeconds) {
                total += d;
            }
            report.duration(total);
        }
        if (streams.values().stream().allMatch(s -> s.rate == 0)) {
            throw c.invalid("no Opus, Vorbis or FLAC stream among " + streams.size() + " streams");
        }
        return report.build();
    }

    /** Reads the first packet of a stream's BOS page: its codec and what times it. */
    private static void identify(Cursor c, Stream s, long bodyStart, long bodyLength, String where) {
        c.seek(bodyStart);
        byte[] b = c.bytes((int) Math.min(bodyLength, 64), 64, where + " first packet");
        String stream = where + " (stream " + s.serial + ")";
        if (starts(b, "OpusHead")) {
            if (b.length < 19) {
                throw c.invalid(stream + " has an OpusHead of " + b.length + " bytes, expected at least 19");
            }
            int version = b[8] & 0xFF;
            int channels = b[9] & 0xFF;
            if ((version & 0xF0) != 0) {
                throw c.invalid(stream + " has OpusHead version " + version + ", expected 0..15");
            }
            if (channels == 0) {
                throw c.invalid(stream + " has OpusHead with 0 channels, expected 1 or more");
            }
            s.codec = "Opus";
            s.preSkip = (b[10] & 0xFF) | ((b[11] & 0xFF) << 8);
            s.rate = 48_000; // Opus granule positions count 48 kHz samples whatever the input rate
        } else if (b.length >= 7 && b[0] == 1 && starts(b, 1, "vorbis")) {
            if (b.length < 30) {
                throw c.invalid(stream + " has a Vorbis identification header of " + b.length
                        + " bytes, expected 30");
            }
            long version = le32(b, 7);
            int channels = b[11] & 0xFF;
            long rate = le32(b, 12);
            if (version != 0) {
                throw c.invalid(stream + " has Vorbis version " + version + ", expected 0");
            }
            if (channels == 0 || rate == 0) {
                throw c.invalid(stream + " has Vorbis with " + channels + " channels at " + rate
                        + " Hz, expected both above 0");
            }
            s.codec = "Vorbis";
            s.rate = rate;
        } else if (b.length >= 5 && (b[0] & 0xFF) == 0x7F && starts(b, 1, "FLAC")) {
            if (b.length < 51 || !starts(b, 9, "fLaC")) {
                throw c.invalid(stream + " has an Ogg FLAC header of " + b.length
                        + " bytes without 'fLaC' and STREAMINFO, expected 51 bytes");
            }
            if ((b[13] & 0x7F) != 0 || (((b[14] & 0xFF) << 16) | ((b[15] & 0xFF) << 8) | (b[16] & 0xFF)) != 34) {
                throw c.invalid(stream + " has an Ogg FLAC header whose first metadata block is not a 34-byte STREAMINFO");
            }
            long rate = ((b[27] & 0xFFL) << 12) | ((b[28] & 0xFFL) << 4) | ((b[29] & 0xF0L) >> 4);
            if (rate == 0) {
                throw c.invalid(stream + " has Ogg FLAC at 0 Hz, expected a sample rate above 0");
            }
            s.codec = "FLAC";
            s.rate = rate;
        } else if (starts(b, "fishead\0")) {
            s.codec = "Skeleton";
        } else {
            throw c.invalid(stream + " starts with " + hex(b) + ", expected an OpusHead, Vorbis or FLAC header");
        }
    }

    private static void checkCrc(Cursor c, long offset, int length, long declared, String where) {
        c.seek(offset);
        byte[] page = c.bytes(length, MAX_PAGE, where);
        page[22] = 0;
        page[23] = 0;
        page[24] = 0;
        page[25] = 0;
        int crc = 0;
        for (byte x : page) {
            crc = (crc << 8) ^ CRC_TABLE[((crc >>> 24) ^ x) & 0xFF];
        }
        if ((crc & 0xFFFFFFFFL) != declared) {
            throw c.invalid(where + String.format(" has CRC 0x%08X, expected 0x%08X computed over its %d bytes",
                    declared, crc & 0xFFFFFFFFL, length));
        }
    }

    private static boolean starts(byte[] b, String ascii) {
        return starts(b, 0, ascii);
    }

    private static boolean starts(byte[] b, int from, String ascii) {
        if (b.length < from + ascii.length()) {
            return false;
        }
        for (int i = 0; i < ascii.length(); i++) {
            if (b[from + i] != ascii.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static long le32(byte[] b, int at) {
        return (b[at] & 0xFFL) | ((b[at + 1] & 0xFFL) << 8) | ((b[at + 2] & 0xFFL) << 16) | ((b[at + 3] & 0xFFL) << 24);
    }

    private static String hex(byte[] b) {
        StringBuilder sb = new StringBuilder("0x");
        for (int i = 0; i < Math.min(8, b.length); i++) {
            sb.append(String.format("%02X", b[i]));
        }
        return sb.toString();
    }
}
