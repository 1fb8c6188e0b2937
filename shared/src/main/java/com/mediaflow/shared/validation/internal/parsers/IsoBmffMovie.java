package com.mediaflow.shared.validation.internal.parsers;

import com.mediaflow.shared.validation.Limits;
import com.mediaflow.shared.validation.io.Cursor;
import com.mediaflow.shared.validation.internal.parsers.IsoBmffBoxes.Box;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@code moov} (a movie) and its fragments: {@code mvhd}/{@code tkhd}/{@code mdhd} timing and size,
 * each track's boxes (its sample tables checked by {@link IsoBmffSampleTables}), {@code mvex}
 * defaults, and the fragments' {@code trun} counts, durations and data offsets. At the end the
 * movie's duration, track count and its primary video track's stored size and frame rate go into
 * the report.
 */
final class IsoBmffMovie {
    private final IsoBmffBoxes boxes;
    private final IsoBmffSampleTables tables;
    private final Cursor c;
    private final Limits limits;
    private final String fmt;
    private final long fileSize;

    private long movieTimescale;
    private long movieDuration = -1;
    private long fragmentDuration = -1;
    private final List<IsoBmffTrack> tracks = new ArrayList<>();
    /** 'trex' may come before the 'trak's it describes (mvex sits anywhere in moov). */
    private final Map<Long, long[]> pendingTrex = new HashMap<>();
    /** Samples of the longest 'pict' track: the frames of an image sequence (AVIF 'avis', HEIF 'msf1'). */
    private long sequenceFrames;
    private long fragmentSamples;

    IsoBmffMovie(IsoBmffBoxes boxes) {
        this.boxes = boxes;
        this.tables = new IsoBmffSampleTables(boxes);
        this.c = boxes.c;
        this.limits = boxes.limits;
        this.fmt = boxes.fmt;
        this.fileSize = boxes.fileSize;
    }

    /** Samples of the longest 'pict' track, known after {@link #finishMovie}. */
    long sequenceFrames() {
        return sequenceFrames;
    }

    void movie(Box moov) {
        boxes.children(moov.body(), moov.depth() + 1, "moov", b -> {
            switch (b.type()) {
                case "mvhd" -> mvhd(b);
                case "trak" -> track(b);
                case "mvex" -> boxes.children(b.body(), b.depth() + 1, "mvex", x -> {
                    if (x.type().equals("mehd")) {
                        int v = boxes.fullBox(x, "mehd", 1);
                        fragmentDuration = duration(x.body(), v, x);
                    } else if (x.type().equals("trex")) {
                        trex(x);
                    } else {
                        boxes.other(x);
                    }
                });
                default -> boxes.other(b);
            }
        });
    }

    private void mvhd(Box b) {
        int v = boxes.fullBox(b, "mvhd", 1);
        Cursor x = b.body();
        x.skip(v == 1 ? 16 : 8, "'mvhd' creation and modification times");
        movieTimescale = x.u32be();
        movieDuration = duration(x, v, b);
        if (movieTimescale == 0) {
            throw c.invalid("'mvhd' at offset " + b.at() + " has timescale 0, expected above 0");
        }
    }

    private void track(Box trak) {
        IsoBmffTrack t = new IsoBmffTrack(tracks.size() + 1, trak.at());
        tracks.add(t);
        limits.checkTracks(fmt, tracks.size());
        int d = trak.depth() + 1;
        boxes.children(trak.body(), d, "trak", b -> {
            switch (b.type()) {
                case "tkhd" -> tkhd(t, b);
                case "mdia" -> boxes.children(b.body(), d + 1, "mdia", m -> {
                    switch (m.type()) {
                        case "mdhd" -> mdhd(t, m);
                        case "hdlr" -> {
                            boxes.fullBox(m, "hdlr", 0);
                            m.body().u32be();
                            t.handler = m.body().fourcc();
                        }
                        case "minf" -> boxes.children(m.body(), d + 2, "minf", n -> {
                            if (n.type().equals("stbl")) {
                                t.stbl = true;
                                boxes.children(n.body(), d + 3, "stbl", s -> {
                                    tables.table(t, s);
                                });
                            } else {
                                boxes.other(n);
                            }
                        });
                        default -> boxes.other(m);
                    }
                });
                default -> boxes.other(b);
            }
        });
        tables.finishTrack(t);
    }

    private void tkhd(IsoBmffTrack t, Box b) {
        int v = boxes.fullBox(b, "tkhd", 1);
        Cursor x = b.body();
        x.skip(v == 1 ? 16 : 8, "'tkhd' times");
        t.id = x.u32be();
        x.skip(4, "'tkhd' reserved");
        x.skip(v == 1 ? 8 : 4, "'tkhd' duration");
        x.skip(8 + 2 + 2 + 2 + 2 + 36, "'tkhd' layer, volume and matrix");
        t.tkhdWidth = x.u32be() >>> 16;
        t.tkhdHeight = x.u32be() >>> 16;
    }

    private void mdhd(IsoBmffTrack t, Box b) {
        int v = boxes.fullBox(b, "mdhd", 1);
        Cursor x = b.body();
        x.skip(v == 1 ? 16 : 8, "'mdhd' times");
        t.timescale = x.u32be();
        t.duration = Math.max(0, duration(x, v, b));
        if (t.timescale == 0) {
            throw c.invalid("track " + t.number + ": 'mdhd' at offset " + b.at()
                    + " has timescale 0, expected above 0");
        }
    }

    /**
     * A 32-bit (version 0) or 64-bit (version 1) duration; all ones means "unknown" (fragmented
     * and live files write it) and gives -1.
     */
    private long duration(Cursor x, int version, Box b) {
        if (version == 0) {
            long d = x.u32be();
            return d == 0xFFFFFFFFL ? -1 : d;
        }
        long hi = x.u32be();
        long lo = x.u32be();
        if (hi == 0xFFFFFFFFL && lo == 0xFFFFFFFFL) {
            return -1;
        }
        if ((hi & 0x80000000L) != 0) {
            throw c.invalid("'" + b.type() + "' at offset " + b.at() + " has a duration above 2^63");
        }
        return (hi << 32) | lo;
    }
    private void trex(Box b) {
        boxes.fullBox(b, "trex", 0);
        long id = b.body().u32be();
        b.body().u32be();
        long duration = b.body().u32be();
        long size = b.body().u32be();
        pendingTrex.put(id, new long[] {duration, size});
    }

    void finishMovie(boolean primary) {
        if (movieTimescale == 0) {
            throw c.invalid("'moov' has no 'mvhd', expected one");
        }
        double seconds = 0;
        if (movieDuration > 0) {
            seconds = movieDuration / (double) movieTimescale;
        }
        if (fragmentDuration > 0) {
            seconds = Math.max(seconds, fragmentDuration / (double) movieTimescale);
        }
        IsoBmffTrack video = null;
        for (IsoBmffTrack t : tracks) {
            if ("pict".equals(t.handler)) {
                sequenceFrames = Math.max(sequenceFrames, t.sampleCount + t.fragmentSamples);
            }
            double d = (t.duration + (double) t.fragmentDuration) / t.timescale;
            seconds = Math.max(seconds, d);
            if (video == null && "vide".equals(t.handler)) {
                video = t;
            }
        }
        boxes.report.duration(seconds).tracks(tracks.size());
        if (primary && video != null) {
            // the sample entry holds the stored (coded) size; tkhd the presentation size, which
            // differs for non-square pixels
            long w = video.entryWidth;
            long h = video.entryHeight;
            if (w == 0 || h == 0) {
                w = video.tkhdWidth;
                h = video.tkhdHeight;
            }
            if (w > 0 && h > 0) {
                boxes.report.dimensions(w, h);
            }
            // the average rate over the sample durations themselves: mdhd's duration may include
            // an edit's delay. One frame, or frames lasting 0 s, cannot be judged.
            long samples = video.sampleCount + video.fragmentSamples;
            double videoSeconds = (video.sttsTicks + (double) video.fragmentDuration) / video.timescale;
            if (samples > 1 && videoSeconds > 0) {
                boxes.report.frameRate(samples / videoSeconds);
            }
        }
    }
    // --- fragments ----------------------------------------------------------------------------

    void moof(Box moof) {
        boxes.children(moof.body(), moof.depth() + 1, "moof", b -> {
            if (b.type().equals("traf")) {
                traf(moof, b);
            } else {
                boxes.other(b);
            }
        });
    }

    private void traf(Box moof, Box traf) {
        IsoBmffTrack[] track = new IsoBmffTrack[1];
        long[] defaults = new long[3]; // base offset, duration, size
        boolean[] tfhd = new boolean[1];
        boxes.children(traf.body(), traf.depth() + 1, "traf", b -> {
            if (b.type().equals("tfhd")) {
                tfhd[0] = true;
                boxes.fullBox(b, "tfhd", 0);
                long id = b.body().u32be();
                for (IsoBmffTrack t : tracks) {
                    if (t.id == id) {
                        track[0] = t;
                    }
                }
                if (track[0] == null) {
                    throw c.invalid("'tfhd' at offset " + b.at() + " is for track ID " + id
                            + ", which has no 'trak' in 'moov'");
                }
                long[] trex = pendingTrex.get(id);
                defaults[0] = (boxes.flags() & 0x01) != 0 ? b.body().u64be() : moof.at();
                if ((boxes.flags() & 0x02) != 0) {
                    b.body().u32be();
                }
                defaults[1] = (boxes.flags() & 0x08) != 0 ? b.body().u32be() : trex == null ? 0 : trex[0];
                defaults[2] = (boxes.flags() & 0x10) != 0 ? b.body().u32be() : trex == null ? 0 : trex[1];
            } else if (b.type().equals("trun")) {
                if (!tfhd[0]) {
                    throw c.invalid("'trun' at offset " + b.at() + " comes before its 'tfhd'");
                }
                trun(b, track[0], defaults);
            } else {
                boxes.other(b);
            }
        });
    }

    private void trun(Box b, IsoBmffTrack t, long[] defaults) {
        String where = "'trun' at offset " + b.at();
        boxes.fullBox(b, "trun", 1);
        long flags = boxes.flags();
        Cursor x = b.body();
        long count = x.u32be();
        limits.checkEntries(fmt, count, where + " (samples)");
        fragmentSamples += count;
        limits.checkEntries(fmt, fragmentSamples, "the fragments' 'trun' boxes together (samples)");
        Long dataOffset = null;
        if ((flags & 0x01) != 0) {
            dataOffset = (long) (int) x.u32be();
        }
        if ((flags & 0x04) != 0) {
            x.u32be();
        }
        int perSample = ((flags & 0x100) != 0 ? 4 : 0) + ((flags & 0x200) != 0 ? 4 : 0)
                + ((flags & 0x400) != 0 ? 4 : 0) + ((flags & 0x800) != 0 ? 4 : 0);
        if (count * perSample > x.remaining()) {
            throw c.invalid(where + " declares " + count + " samples of " + perSample + " bytes, but the box holds "
                    + x.remaining() + " after its header");
        }
        long duration = 0;
        long bytes = 0;
        if (perSample == 0) {
            duration = saturatingMultiply(count, defaults[1]);
            bytes = saturatingMultiply(count, defaults[2]);
        } else {
            IsoBmffTable s = new IsoBmffTable(x.region(count * perSample, where), where);
            for (long i = 0; i < count; i++) {
                duration += (flags & 0x100) != 0 ? s.u32() : defaults[1];
                bytes += (flags & 0x200) != 0 ? s.u32() : defaults[2];
                if ((flags & 0x400) != 0) {
                    s.u32();
                }
                if ((flags & 0x800) != 0) {
                    s.u32();
                }
            }
        }
        t.fragmentDuration = saturatingAdd(t.fragmentDuration, duration);
        t.fragmentSamples += count;
        if (dataOffset != null) {
            long start = defaults[0] > fileSize ? Long.MAX_VALUE : defaults[0] + dataOffset;
            if (start < 0 || start > fileSize || bytes > fileSize - start) {
                throw c.invalid(where + ": its " + count + " samples (" + bytes + " bytes) start at file offset " + start
                        + ", past the end of the file at " + fileSize + " (sample offset past EOF)");
            }
        }
    }

    static long saturatingAdd(long a, long b) {
        long r = a + b;
        return r < 0 ? Long.MAX_VALUE : r;
    }

    static long saturatingMultiply(long a, long b) {
        if (a != 0 && b > Long.MAX_VALUE / a) {
            return Long.MAX_VALUE;
        }
        return a * b;
    }
}
