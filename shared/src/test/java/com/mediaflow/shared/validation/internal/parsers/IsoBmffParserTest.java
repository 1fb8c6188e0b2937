package com.mediaflow.shared.validation.internal.parsers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.within;
import static org.bytedeco.ffmpeg.global.avutil.AV_LOG_ERROR;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_BGR24;
import static org.bytedeco.ffmpeg.global.avutil.av_log_set_level;

import com.mediaflow.shared.error.MediaRejectedException;
import com.mediaflow.shared.validation.Limits;
import com.mediaflow.shared.error.ReasonCode;
import com.mediaflow.shared.validation.StructureReport;
import com.mediaflow.shared.validation.io.ArrayByteSource;
import com.mediaflow.shared.validation.io.ByteSource;
import com.mediaflow.shared.validation.io.Cursor;
import com.mediaflow.testkit.Corpus;
import com.mediaflow.testkit.SyntheticMedia;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.assertj.core.api.ThrowableAssertAlternative;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameRecorder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * IsoBmffParser on real MP4/MOV/3GP/M4A/AVIF written by the bundled FFmpeg, the HEIF photos of the
 * corpus, and hostile files made by editing their bytes.
 */
class IsoBmffParserTest {
    @TempDir
    static Path dir;

    /** Real files, written once for the class: FFmpeg is slow to start, the files are tiny. */
    private static byte[] mp4;
    private static byte[] mp4MoovLast;
    private static byte[] mov;
    private static byte[] threeGp;
    private static byte[] m4a;
    private static byte[] fragmented;
    private static byte[] avif;
    private static byte[] iphoneHeic;
    private static byte[] singleHeif;

    private final IsoBmffParser parser = new IsoBmffParser();

    @BeforeAll
    static void writeMedia() throws IOException {
        mp4 = Files.readAllBytes(SyntheticMedia.mp4(dir.resolve("h264-aac-64x48-1s.mp4"), 64, 48, 1.0, 10, true, 0));
        mp4MoovLast = record("h264-64x48-moov-last.mp4", "mp4", 64, 48, "libx264", null, 0, 1.0, Map.of());
        mov = record("mpeg4-aac-48x32.mov", "mov", 48, 32, "mpeg4", "aac", 44_100, 0.5, Map.of());
        threeGp = record("h263-amrnb-128x96.3gp", "3gp", 128, 96, "h263", "libopencore_amrnb", 8_000, 0.5, Map.of());
        fragmented = record("h264-64x48-fragmented.mp4", "mp4", 64, 48, "libx264", null, 0, 1.0,
                Map.of("movflags", "frag_keyframe+empty_moov+default_base_moof"));
        m4a = record("aac-mono-1s.m4a", "ipod", 0, 0, null, "aac", 44_100, 1.0, Map.of());
        avif = record("av1-40x30.avif", "avif", 40, 30, "libaom-av1", null, 0, 0.1, Map.of("still-picture", "1"));
        Path corpus = Corpus.dir();
        iphoneHeic = Files.readAllBytes(corpus.resolve("heic/IMG_5195.HEIC"));
        singleHeif = Files.readAllBytes(corpus.resolve("heic/samplefilehub.heif"));
    }

    // --- real files: accepted ---------------------------------------------------------------------

    @Test
    void parse_faststartMp4_reportsVideoSizeDurationAndTracks() {
        StructureReport r = parse(mp4, "MP4");

        assertThat(r.width()).isEqualTo(64);
        assertThat(r.height()).isEqualTo(48);
        assertThat(r.durationSeconds()).isCloseTo(1.0, within(0.1));
        assertThat(r.tracks()).isEqualTo(2);
        assertThat(r.logicalEnd()).isEqualTo(mp4.length);
        assertThat(r.warnings()).isEmpty();
    }

    @Test
    void parse_mp4WithMoovAfterMdat_isAccepted() {
        assertThat(indexOf(mp4MoovLast, "mdat")).isLessThan(indexOf(mp4MoovLast, "moov"));

        StructureReport r = parse(mp4MoovLast, "MP4");

        assertThat(r.width()).isEqualTo(64);
        assertThat(r.height()).isEqualTo(48);
        assertThat(r.tracks()).isEqualTo(1);
        assertThat(r.durationSeconds()).isCloseTo(1.0, within(0.1));
        assertThat(r.logicalEnd()).isEqualTo(mp4MoovLast.length);
    }

    @Test
    void parse_fragmentedMp4_takesItsDurationFromTheFragments() {
        // given an empty moov (no samples, duration 0) and the samples in moof/trun
        assertThat(indexOf(fragmented, "moof")).isPositive();

        StructureReport r = parse(fragmented, "MP4");

        assertThat(r.width()).isEqualTo(64);
        assertThat(r.height()).isEqualTo(48);
        assertThat(r.tracks()).isEqualTo(1);
        assertThat(r.durationSeconds()).isCloseTo(1.0, within(0.1));
        assertThat(r.logicalEnd()).isEqualTo(fragmented.length);
    }

    @Test
    void parse_fragmentedMp4WithTrunDataOffsetPastEof_isStructureInvalid() {
        byte[] bad = fragmented.clone();
        int trun = indexOf(bad, "trun");
        assertThat(bad[trun + 7] & 0x01).as("trun flags: data offset present").isEqualTo(1);
        putU32(bad, trun + 12, 0x7FFFFFF0L);

        rejecting(() -> parse(bad, "MP4")).matches(e -> e.code() == ReasonCode.STRUCTURE_INVALID)
                .withMessageContaining("'trun' at offset " + (trun - 4)).withMessageContaining("past the end of the file");
    }

    @Test
    void parse_smoothStreamingIsmvWithUnknownDuration_isAccepted() {
        // ISMV writes mvhd version 1 with a duration of all ones, which means "unknown"
        byte[] ismv = record("h264-64x48.ismv", "ismv", 64, 48, "libx264", null, 0, 1.0, Map.of());

        StructureReport r = parse(ismv, "MP4");

        assertThat(r.width()).isEqualTo(64);
        assertThat(r.durationSeconds()).isCloseTo(1.0, within(0.1));
    }

    @Test
    void parse_anamorphicMp4_reportsTheStoredSizeNotTheDisplaySize() {
        // given pixels twice as wide as high: tkhd says 128x48 (display), avc1 says 64x48 (stored)
        byte[] anamorphic = record("h264-64x48-sar2.mp4", "mp4", 64, 48, "libx264", null, 0, 0.3,
                Map.of("aspect", "128:48"));
        int tkhd = indexOf(anamorphic, "tkhd");
        assertThat(u32(anamorphic, tkhd + 80) >>> 16).isEqualTo(128);

        StructureReport r = parse(anamorphic, "MP4");

        assertThat(r.width()).isEqualTo(64);
        assertThat(r.height()).isEqualTo(48);
    }

    @Test
    void parse_animatedAvif_reportsItsFramesAndDuration() {
        byte[] animated = record("av1-32x32-3frames.avif", "avif", 32, 32, "libaom-av1", null, 0, 0.3, Map.of());

        StructureReport r = parse(animated, "AVIF");

        assertThat(r.width()).isEqualTo(32);
        assertThat(r.height()).isEqualTo(32);
        assertThat(r.frames()).isEqualTo(3);
        assertThat(r.durationSeconds()).isBetween(0.19, 0.31); // FFmpeg: to the start or the end of the last frame
    }

    @Test
    void parse_quickTimeMovWithMpeg4AndAac_isAcceptedWithItsEsds() {
        assertThat(indexOf(mov, "esds")).isPositive();

        StructureReport r = parse(mov, "MOV");

        assertThat(r.width()).isEqualTo(48);
        assertThat(r.height()).isEqualTo(32);
        assertThat(r.tracks()).isEqualTo(2);
        assertThat(r.durationSeconds()).isCloseTo(0.5, within(0.1));
    }

    @Test
    void parse_3gpWithH263AndAmr_isAccepted() {
        StructureReport r = parse(threeGp, "THREE_GP");

        assertThat(r.width()).isEqualTo(128);
        assertThat(r.height()).isEqualTo(96);
        assertThat(r.tracks()).isEqualTo(2);
        assertThat(r.durationSeconds()).isCloseTo(0.5, within(0.15));
    }

    @Test
    void parse_m4a_isAudioWithoutDimensions() {
        StructureReport r = parse(m4a, "M4A");

        assertThat(r.width()).isNull();
        assertThat(r.height()).isNull();
        assertThat(r.tracks()).isEqualTo(1);
        assertThat(r.durationSeconds()).isCloseTo(1.0, within(0.1));
    }

    @Test
    void parse_avifFromLibaom_reportsItsImageSize() {
        StructureReport r = parse(avif, "AVIF");

        assertThat(r.width()).isEqualTo(40);
        assertThat(r.height()).isEqualTo(30);
        assertThat(r.frames()).isEqualTo(1);
        assertThat(r.logicalEnd()).isEqualTo(avif.length);
    }

    @Test
    void parse_iphoneHeicGrid_reportsTheGridOutputSizeAsStored() {
        // the grid (item 43) is 7 rows x 6 columns of 512x512 tiles, output 2566x3313 in its idat;
        // its 'irot' is angle 0, so this is also what a viewer shows
        StructureReport r = parse(iphoneHeic, "HEIC");

        assertThat(r.width()).isEqualTo(2566);
        assertThat(r.height()).isEqualTo(3313);
        assertThat(r.frames()).isEqualTo(1);
        assertThat(r.logicalEnd()).isEqualTo(iphoneHeic.length);
    }

    @Test
    void parse_singleImageHeif_reportsItsIspe() {
        StructureReport r = parse(singleHeif, "HEIC");

        assertThat(r.width()).isEqualTo(640);
        assertThat(r.height()).isEqualTo(426);
        assertThat(r.frames()).isEqualTo(1);
        assertThat(r.durationSeconds()).isNull();
    }

    @Test
    void parse_heifGridSkeletonSeed_reportsTheGridOutputFromIdat() throws IOException {
        // the fuzz seed: items 1 and 2 (hvc1 tiles 64x48 in mdat), item 3 a 1x2 grid of them in idat
        byte[] seed = seed("heif-grid-2x1-in-idat-128x48-skeleton.heif");

        StructureReport r = parse(seed, "HEIC");

        assertThat(r.width()).isEqualTo(128);
        assertThat(r.height()).isEqualTo(48);
        assertThat(r.frames()).isEqualTo(1);
    }

    @Test
    void parse_fuzzSeeds_areAllAccepted() throws IOException {
        for (String name : new String[] {"h264-16x16-2frames.mp4", "aac-mono-8k-tiny.m4a", "av1-16x16.avif",
                "heif-hvc1-64x48-single-item-skeleton.heif", "heif-grid-2x1-in-idat-128x48-skeleton.heif",
                "h264-16x16-fragmented.mp4", "mpeg4-16x16-2frames.mov", "h264-16x16-unknown-duration.ismv",
                "av1-16x16-2frames-sequence.avif"}) {
            byte[] seed = seed(name);

            StructureReport r = parse(seed, "MP4");

            assertThat(r.logicalEnd()).as(name).isEqualTo(seed.length);
        }
    }

    @Test
    void parse_mp4WithThreeGigabyteMdat_neverReadsTheMediaData() {
        // given the real MP4 with its mdat grown to 3 GiB of (virtual) zeros behind it
        int mdat = indexOf(mp4, "mdat") - 4;
        long extra = 3L << 30;
        long realPayload = mp4.length - mdat - 8;
        ByteBuffer header = ByteBuffer.allocate(16).putInt(1).put(ascii("mdat")).putLong(16 + realPayload + extra);
        byte[] prefix = concat(Arrays.copyOf(mp4, mdat), header.array(), Arrays.copyOfRange(mp4, mdat + 8, mp4.length));
        ByteSource big = new VirtualTail(prefix, prefix.length + extra);

        // when
        StructureReport r = parser.parse(Cursor.over(big, "MP4"), Limits.DEFAULTS);

        // then
        assertThat(r.width()).isEqualTo(64);
        assertThat(r.logicalEnd()).isEqualTo(big.size());
        assertThat(big.bytesRead()).isLessThan(64 * 1024);
    }

    // --- hostile movies ---------------------------------------------------------------------------

    @Test
    void parse_mp4MoovSizePastEof_isTruncated() {
        byte[] bad = mp4.clone();
        int moov = indexOf(bad, "moov") - 4;
        putU32(bad, moov, bad.length); // the box starts after offset 0, so this passes the end

        rejecting(() -> parse(bad, "MP4")).matches(e -> e.code() == ReasonCode.TRUNCATED)
                .withMessageContaining("box 'moov' at offset " + moov).withMessageContaining("the file ends at " + bad.length);
    }

    @Test
    void parse_mp4WithoutMoov_isStructureInvalid() {
        byte[] bad = mp4.clone();
        put(bad, indexOf(bad, "moov"), "free");

        rejecting(() -> parse(bad, "MP4")).matches(e -> e.code() == ReasonCode.STRUCTURE_INVALID)
                .withMessageContaining("no 'moov' box");
    }

    @Test
    void parse_mp4StszCount4294967295_isSampleTableLimit() {
        byte[] bad = mp4.clone();
        int stsz = indexOf(bad, "stsz");
        putU32(bad, stsz + 12, 0xFFFFFFFFL);

        rejecting(() -> parse(bad, "MP4")).matches(e -> e.code() == ReasonCode.SAMPLE_TABLE_LIMIT)
                .withMessageContaining("'stsz'").withMessageContaining("4294967295");
    }

    @Test
    void parse_mp4SttsDisagreesWithStsz_isStructureInvalid() {
        byte[] bad = mp4.clone();
        int stts = indexOf(bad, "stts");
        long first = u32(bad, stts + 12);
        putU32(bad, stts + 12, first + 1);

        rejecting(() -> parse(bad, "MP4")).matches(e -> e.code() == ReasonCode.STRUCTURE_INVALID)
                .withMessageContaining("'stts' accounts for").withMessageContaining("'stsz' declares");
    }

    @Test
    void parse_mp4ChunkOffsetPastEof_isStructureInvalid() {
        byte[] bad = mp4.clone();
        int stco = indexOf(bad, "stco");
        putU32(bad, stco + 12, bad.length - 2);

        rejecting(() -> parse(bad, "MP4")).matches(e -> e.code() == ReasonCode.STRUCTURE_INVALID)
                .withMessageContaining("chunk 1 at file offset " + (bad.length - 2))
                .withMessageContaining("past the end of the file");
    }

    @Test
    void parse_mp4StscWithZeroSamplesPerChunk_isStructureInvalid() {
        byte[] bad = mp4.clone();
        int stsc = indexOf(bad, "stsc");
        putU32(bad, stsc + 16, 0);

        rejecting(() -> parse(bad, "MP4")).matches(e -> e.code() == ReasonCode.STRUCTURE_INVALID)
                .withMessageContaining("'stsc' entry 1 has 0 samples per chunk");
    }

    @Test
    void parse_mp4BoxSizeSmallerThanHeader_isStructureInvalid() {
        byte[] bad = mp4.clone();
        int mvhd = indexOf(bad, "mvhd") - 4;
        putU32(bad, mvhd, 4);

        rejecting(() -> parse(bad, "MP4")).matches(e -> e.code() == ReasonCode.STRUCTURE_INVALID)
                .withMessageContaining("box 'mvhd' at offset " + mvhd + " declares size 4, smaller than its 8-byte header");
    }

    @Test
    void parse_mp4BoxesNestedTooDeep_isDepthLimit() {
        // given ftyp, then a moov holding 40 udta boxes each inside the last
        byte[] inner = new byte[0];
        for (int i = 0; i < 40; i++) {
            inner = box("udta", inner);
        }
        byte[] bad = concat(box("ftyp", ascii("isom\0\0\0\1isommp41")), box("moov", inner));

        rejecting(() -> parse(bad, "MP4")).matches(e -> e.code() == ReasonCode.DEPTH_LIMIT)
                .withMessageContaining("box 'udta'").withMessageContaining("expected at most 32");
    }

    @Test
    void parse_esdsDescriptorLengthPastBox_isStructureInvalid() {
        // given the AAC track's ES_Descriptor (tag 3) declaring more bytes than its 'esds' holds
        byte[] bad = mp4.clone();
        int esds = indexOf(bad, "esds");
        int tag = esds + 8;
        assertThat(bad[tag]).isEqualTo((byte) 3);
        int last = tag + 1;
        while ((bad[last] & 0x80) != 0) {
            last++;
        }
        bad[last] = 0x7F;

        rejecting(() -> parse(bad, "MP4")).matches(e -> e.code() == ReasonCode.STRUCTURE_INVALID)
                .withMessageContaining("descriptor tag 0x03").withMessageContaining("declares 127 bytes")
                .withMessageContaining("length past the box");
    }

    @Test
    void parse_movWithTopLevelGarbageInsteadOfBoxes_stopsAtTheLastBox() {
        // a ZIP glued behind: the ISO structure ends where the boxes end, the validator judges the rest
        byte[] zipHead = {'P', 'K', 3, 4, 20, 0, 0, 0, 8, 0};
        byte[] glued = concat(mov, zipHead);

        StructureReport r = parse(glued, "MOV");

        assertThat(r.logicalEnd()).isEqualTo(mov.length);
    }

    // --- hostile images ---------------------------------------------------------------------------

    @Test
    void parse_heifIpmaIndexOutOfRange_isStructureInvalid() {
        // samplefilehub's ipma: one item (1) with two associations, 0x81 (essential, property 1) and 0x02
        byte[] bad = singleHeif.clone();
        int ipma = indexOf(bad, "ipma");
        assertThat(Arrays.copyOfRange(bad, ipma + 12, ipma + 17)).containsExactly(0, 1, 2, 0x81, 2);
        bad[ipma + 16] = 9;

        rejecting(() -> parse(bad, "HEIC")).matches(e -> e.code() == ReasonCode.STRUCTURE_INVALID)
                .withMessageContaining("item 1 is associated with property 9, but 'ipco' holds 2");
    }

    @Test
    void parse_heifIlocExtentPastEof_isStructureInvalid() {
        byte[] bad = singleHeif.clone();
        int iloc = indexOf(bad, "iloc");
        // version 0, sizes 0x4440: item 1 at body+8: id, data ref, base (4), extent count, offset (4), length (4)
        int offset = iloc + 4 + 4 + 2 + 2 + 2 + 2 + 4 + 2;
        putU32(bad, offset, bad.length - 10);

        rejecting(() -> parse(bad, "HEIC")).matches(e -> e.code() == ReasonCode.STRUCTURE_INVALID)
                .withMessageContaining("'iloc' at offset " + (iloc - 4) + ": item 1 extent 1")
                .withMessageContaining("passes the end of the file");
    }

    @Test
    void parse_heifGridTileCountMismatch_isStructureInvalid() {
        // the iPhone grid's idat says 7 rows (6 + 1) of 6 columns; make it 8 rows
        byte[] bad = iphoneHeic.clone();
        int idat = indexOf(bad, "idat");
        assertThat(bad[idat + 6]).isEqualTo((byte) 6);
        bad[idat + 6] = 7;

        rejecting(() -> parse(bad, "HEIC")).matches(e -> e.code() == ReasonCode.STRUCTURE_INVALID)
                .withMessageContaining("grid item 43 is 8 x 6 = 48 tiles, but it has 42 'dimg' references");
    }

    @Test
    void parse_heifPrimaryItemMissing_isStructureInvalid() {
        byte[] bad = singleHeif.clone();
        int pitm = indexOf(bad, "pitm");
        bad[pitm + 9] = 99;

        rejecting(() -> parse(bad, "HEIC")).matches(e -> e.code() == ReasonCode.STRUCTURE_INVALID)
                .withMessageContaining("the primary item 99 ('pitm') is missing from 'iinf'");
    }

    @Test
    void parse_heifIrefToMissingItem_isStructureInvalid() {
        // samplefilehub's first 'cdsc': from item 2 (Exif) to item 1; point it at item 7
        byte[] bad = singleHeif.clone();
        int cdsc = indexOf(bad, "cdsc");
        assertThat(Arrays.copyOfRange(bad, cdsc + 4, cdsc + 10)).containsExactly(0, 2, 0, 1, 0, 1);
        bad[cdsc + 9] = 7;

        rejecting(() -> parse(bad, "HEIC")).matches(e -> e.code() == ReasonCode.STRUCTURE_INVALID)
                .withMessageContaining("refers to item 7, which is missing from 'iinf'");
    }

    @Test
    void parse_heifWithoutMoovOrPictMeta_isStructureInvalid() {
        byte[] bad = singleHeif.clone();
        put(bad, indexOf(bad, "pict"), "abcd");

        rejecting(() -> parse(bad, "HEIC")).matches(e -> e.code() == ReasonCode.STRUCTURE_INVALID)
                .withMessageContaining("no 'moov' box").withMessageContaining("the brands say image");
    }

    // --- helpers ----------------------------------------------------------------------------------

    private StructureReport parse(byte[] bytes, String format) {
        return parser.parse(Cursor.over(new ArrayByteSource(bytes), format), Limits.DEFAULTS);
    }

    private static byte[] seed(String name) throws IOException {
        try (var in = IsoBmffParserTest.class.getResourceAsStream("IsoBmffParserFuzzTestInputs/parse/" + name)) {
            assertThat(in).as("seed %s", name).isNotNull();
            return in.readAllBytes();
        }
    }

    private static ThrowableAssertAlternative<MediaRejectedException> rejecting(ThrowingCallable call) {
        return assertThatExceptionOfType(MediaRejectedException.class).isThrownBy(call);
    }

    /** A real file written by the bundled FFmpeg: a moving ramp and a 440 Hz sine. */
    static byte[] record(String name, String format, int w, int h, String videoCodec, String audioCodec,
            int sampleRate, double seconds, Map<String, String> videoOptions) {
        av_log_set_level(AV_LOG_ERROR);
        Path out = dir.resolve(name);
        int channels = audioCodec == null ? 0 : 1;
        try (FFmpegFrameRecorder rec = new FFmpegFrameRecorder(out.toFile(), videoCodec == null ? 0 : w,
                videoCodec == null ? 0 : h, channels)) {
            rec.setFormat(format);
            int fps = 10;
            if (videoCodec != null) {
                rec.setVideoCodecName(videoCodec);
                rec.setFrameRate(fps);
                rec.setGopSize(fps);
                rec.setVideoOption("threads", "1");
                if (videoCodec.equals("libaom-av1")) {
                    rec.setVideoOption("cpu-used", "8");
                    rec.setVideoOption("crf", "40");
                }
                videoOptions.forEach((k, v) -> {
                    if (k.equals("movflags")) {
                        rec.setOption(k, v);
                    } else if (k.equals("aspect")) {
                        String[] wh = v.split(":");
                        rec.setAspectRatio(Double.parseDouble(wh[0]) / Double.parseDouble(wh[1]) / ((double) w / h));
                    } else {
                        rec.setVideoOption(k, v);
                    }
                });
            }
            if (audioCodec != null) {
                rec.setAudioCodecName(audioCodec);
                rec.setSampleRate(sampleRate);
                rec.setAudioChannels(1);
                if (audioCodec.equals("libopencore_amrnb")) {
                    rec.setAudioBitrate(12_200);
                }
            }
            rec.start();
            int frames = videoCodec == null ? 0 : Math.max(1, (int) Math.round(seconds * fps));
            int steps = Math.max(frames, (int) Math.ceil(seconds * fps));
            long total = Math.round(seconds * sampleRate);
            long written = 0;
            try (Frame frame = videoCodec == null ? null : new Frame(w, h, Frame.DEPTH_UBYTE, 3)) {
                for (int i = 0; i < steps; i++) {
                    if (frame != null && i < frames) {
                        RecordedMedia.paint(frame, i);
                        rec.record(frame, AV_PIX_FMT_BGR24);
                    }
                    if (audioCodec != null) {
                        long until = total * (i + 1) / steps;
                        rec.recordSamples(sampleRate, 1, RecordedMedia.sine(written, until, sampleRate, 1));
                        written = until;
                    }
                }
            }
            rec.stop();
            return Files.readAllBytes(out);
        } catch (FrameRecorder.Exception e) {
            throw new IllegalStateException("FFmpeg could not write " + name + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The offset of the first occurrence of a four-character code; boxes start 4 bytes before it. */
    static int indexOf(byte[] b, String fourcc) {
        byte[] f = ascii(fourcc);
        outer:
        for (int i = 4; i + 4 <= b.length; i++) {
            for (int k = 0; k < 4; k++) {
                if (b[i + k] != f[k]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("no '" + fourcc + "' in " + b.length + " bytes");
    }

    static byte[] box(String type, byte[] body) {
        return ByteBuffer.allocate(8 + body.length).putInt(8 + body.length).put(ascii(type)).put(body).array();
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static void put(byte[] b, int at, String fourcc) {
        System.arraycopy(ascii(fourcc), 0, b, at, 4);
    }

    private static long u32(byte[] b, int at) {
        return ByteBuffer.wrap(b, at, 4).getInt() & 0xFFFFFFFFL;
    }

    private static void putU32(byte[] b, int at, long v) {
        ByteBuffer.wrap(b, at, 4).putInt((int) v);
    }

    /** Real bytes, then zeros up to {@code size}: a huge file that costs nothing unless it is read. */
    private static final class VirtualTail implements ByteSource {
        private final byte[] prefix;
        private final long size;
        private long read;

        VirtualTail(byte[] prefix, long size) {
            this.prefix = prefix;
            this.size = size;
        }

        @Override
        public long size() {
            return size;
        }

        @Override
        public int read(long offset, byte[] buf, int off, int len) {
            if (offset < 0 || offset >= size || len <= 0) {
                return 0;
            }
            int n = (int) Math.min(len, size - offset);
            for (int i = 0; i < n; i++) {
                long at = offset + i;
                buf[off + i] = at < prefix.length ? prefix[(int) at] : 0;
            }
            read += n;
            return n;
        }

        @Override
        public long bytesRead() {
            return read;
        }
    }
}
