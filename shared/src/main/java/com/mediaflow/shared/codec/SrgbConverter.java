package com.mediaflow.shared.codec;

import com.mediaflow.shared.error.ReasonCode;

import com.drew.imaging.jpeg.JpegProcessingException;
import com.drew.imaging.jpeg.JpegSegmentData;
import com.drew.imaging.jpeg.JpegSegmentReader;
import com.drew.imaging.jpeg.JpegSegmentType;
import com.mediaflow.shared.error.CodecException;
import com.mediaflow.shared.format.Detector;
import com.mediaflow.shared.format.MediaFormat;
import com.mediaflow.shared.internal.isobmff.HeifFile;
import com.mediaflow.shared.internal.isobmff.HeifItems;
import java.awt.color.ColorSpace;
import java.awt.color.ICC_Profile;
import java.awt.image.ColorConvertOp;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferByte;
import java.awt.image.PixelInterleavedSampleModel;
import java.awt.image.Raster;
import java.awt.image.SampleModel;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import org.bytedeco.javacv.Frame;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Converts rendition pixels from an image's embedded ICC profile to sRGB, so that a Display P3
 * or Adobe RGB photo does not look washed out once its profile is dropped (renditions carry no
 * ICC segment and browsers assume sRGB).
 *
 * <p>The profile is read from the file's header structures only: JPEG {@code APP2
 * ICC_PROFILE} segments (reassembled in sequence order), PNG {@code iCCP} (inflated, bounded),
 * WebP {@code ICCP} in a {@code VP8X} file, and HEIF {@code colr} of type {@code prof} or
 * {@code rICC} on the primary item (or its first tile). Untagged images and profiles whose
 * description names sRGB ({@link #isSrgb}) get no converter at all: zero pixel work. Non-RGB profiles (CMYK,
 * grey) and profiles the JDK cannot parse are left alone with a warning.
 *
 * <p>The conversion is the JDK's own colour management ({@link ColorConvertOp} over two ICC
 * profiles, LittleCMS inside), headless-safe, and runs on rendition-sized pixels after scaling.
 * Matrix/TRC profiles (all common camera and phone ones) convert colorimetrically; colours
 * outside sRGB are clipped.
 */
final class SrgbConverter {

    private static final Logger LOG = LoggerFactory.getLogger(SrgbConverter.class);
    /** Larger embedded profiles are ignored (real ones are 0.5-60 kB; LUT profiles < 1 MB). */
    static final int MAX_PROFILE_BYTES = 4 * 1024 * 1024;
    private static final int PNG_SIGNATURE = 8;
    private static final byte[] JPEG_ICC_ID = "ICC_PROFILE\0".getBytes(StandardCharsets.US_ASCII);

    private final String description;
    private final ColorConvertOp op;

    private SrgbConverter(String description, ICC_Profile source) {
        this.description = description;
        this.op = new ColorConvertOp(
                new ICC_Profile[] {source, ICC_Profile.getInstance(ColorSpace.CS_sRGB)}, null);
    }

    /**
     * The converter for this file's embedded profile, or null when none is needed (untagged,
     * sRGB, not RGB, unreadable).
     */
    public static SrgbConverter forFile(Path file) {
        byte[] profile;
        try {
            profile = embeddedProfile(file);
        } catch (IOException | RuntimeException e) {
            LOG.warn("Cannot read the ICC profile of {} (pixels left as they are): {}", file,
                    e.getMessage());
            CodecWarnings.warn(ReasonCode.ICC_PROFILE_IGNORED, "expected a readable embedded ICC profile, found: "
                    + e.getMessage() + "; pixels left as they are");
            return null;
        }
        return profile == null ? null : forProfile(profile, file.toString());
    }

    /** The converter from this ICC profile to sRGB, or null when none is needed. */
    public static SrgbConverter forProfile(byte[] profile, String file) {
        ICC_Profile icc;
        try {
            icc = ICC_Profile.getInstance(profile);
        } catch (IllegalArgumentException e) {
            LOG.warn("Embedded ICC profile of {} ({} bytes) is not valid, expected an ICC "
                    + "profile the JDK can parse ({}); pixels left as they are", file,
                    profile.length, e.getMessage());
            CodecWarnings.warn(ReasonCode.ICC_PROFILE_IGNORED, "expected an ICC profile the JDK can parse, found "
                    + profile.length + " bytes that are not (" + e.getMessage() + "); pixels left as they are");
            return null;
        }
        String description = description(icc);
        if (icc.getColorSpaceType() != ColorSpace.TYPE_RGB) {
            LOG.warn("Embedded ICC profile '{}' of {} is not RGB (colour space type {}); pixels "
                    + "left as they are", description, file, icc.getColorSpaceType());
            CodecWarnings.warn(ReasonCode.ICC_PROFILE_IGNORED, "embedded ICC profile '" + description
                    + "' is not RGB (colour space type " + icc.getColorSpaceType() + "); pixels left as they are");
            return null;
        }
        if (isSrgb(description)) {
            return null;
        }
        return new SrgbConverter(description, icc);
    }

    /**
     * Whether a profile description names sRGB itself ("sRGB IEC61966-2.1", "sRGB built-in",
     * "sRGB2014", ...), not a profile derived from it ("linear sRGB", "scRGB").
     */
    static boolean isSrgb(String description) {
        if (description == null) {
            return false;
        }
        String d = description.toLowerCase(Locale.ROOT);
        return d.startsWith("srgb") && !d.contains("linear");
    }

    /** The source profile's description ({@code desc} tag), or null. */
    public String description() {
        return description;
    }

    /**
     * A new packed frame of the same size and channel count with the RGB converted to sRGB (the
     * 4th channel, alpha or padding, copied). The caller closes it.
     *
     * @param frame packed 8-bit pixels
     * @param channels 3 for RGB24, 4 for RGBA/RGB0 (from the pixel format: JavaCV's
     *     {@code imageChannels} is derived from the padded stride)
     */
    public Frame convert(Frame frame, int channels) {
        int w = frame.imageWidth;
        int h = frame.imageHeight;
        if (frame.imageDepth != Frame.DEPTH_UBYTE || (channels != 3 && channels != 4)) {
            throw new IllegalArgumentException("Expected a packed 8-bit frame of 3 or 4 "
                    + "channels, found depth " + frame.imageDepth + " with " + channels);
        }
        int rowBytes = w * channels;
        byte[] src = new byte[h * rowBytes];
        ByteBuffer in = (ByteBuffer) frame.image[0];
        for (int y = 0; y < h; y++) {
            in.get(y * frame.imageStride, src, y * rowBytes, rowBytes);
        }
        byte[] dst = src.clone();
        SampleModel model = new PixelInterleavedSampleModel(DataBuffer.TYPE_BYTE, w, h, channels,
                rowBytes, new int[] {0, 1, 2});
        WritableRaster source = Raster.createWritableRaster(model,
                new DataBufferByte(src, src.length), null);
        WritableRaster target = Raster.createWritableRaster(model,
                new DataBufferByte(dst, dst.length), null);
        op.filter(source, target);
        Frame out = new Frame(w, h, Frame.DEPTH_UBYTE, channels);
        ByteBuffer o = (ByteBuffer) out.image[0];
        for (int y = 0; y < h; y++) {
            o.put(y * out.imageStride, dst, y * rowBytes, rowBytes);
        }
        return out;
    }

    // --- reading the profile ----------------------------------------------------------------

    /**
     * The embedded ICC profile of a JPEG, PNG, WebP or HEIF file, or null when there is none (or
     * the format carries none we read).
     */
    static byte[] embeddedProfile(Path file) throws IOException {
        byte[] head = new byte[64];
        int n;
        try (InputStream in = Files.newInputStream(file)) {
            n = in.readNBytes(head, 0, head.length);
        }
        MediaFormat format = Detector.detect(head, n);
        return switch (format) {
            case JPEG -> jpegProfile(file);
            case PNG -> pngProfile(file);
            case WEBP -> webpProfile(file);
            case HEIC, AVIF -> heifProfile(file);
            default -> null;
        };
    }

    private static byte[] jpegProfile(Path file) throws IOException {
        JpegSegmentData segments;
        try {
            segments = JpegSegmentReader.readSegments(file.toFile(),
                    Set.of(JpegSegmentType.APP2));
        } catch (JpegProcessingException e) {
            throw new IOException("expected JPEG segments, found: " + e.getMessage(), e);
        }
        byte[][] chunks = null;
        for (byte[] s : segments.getSegments(JpegSegmentType.APP2)) {
            // "ICC_PROFILE\0", sequence number (1-based), count, data
            if (s.length <= JPEG_ICC_ID.length + 2 || !startsWith(s, JPEG_ICC_ID)) {
                continue;
            }
            int seq = s[JPEG_ICC_ID.length] & 0xff;
            int count = s[JPEG_ICC_ID.length + 1] & 0xff;
            if (chunks == null) {
                chunks = new byte[Math.max(1, count)][];
            }
            if (seq < 1 || seq > chunks.length || count != chunks.length) {
                throw new IOException("ICC_PROFILE segment " + seq + " of " + count
                        + ", expected 1-" + chunks.length + " of " + chunks.length);
            }
            chunks[seq - 1] = Arrays.copyOfRange(s, JPEG_ICC_ID.length + 2, s.length);
        }
        if (chunks == null) {
            return null;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < chunks.length; i++) {
            if (chunks[i] == null) {
                throw new IOException("ICC_PROFILE segment " + (i + 1) + " of " + chunks.length
                        + " is missing");
            }
            out.write(chunks[i]);
        }
        return out.toByteArray();
    }

    /** PNG chunks up to the first IDAT: {@code iCCP} is name, NUL, method 0, zlib data. */
    private static byte[] pngProfile(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file)) {
            long pos = PNG_SIGNATURE;
            ByteBuffer header = ByteBuffer.allocate(8);
            while (pos + 12 <= ch.size()) {
                header.clear();
                readFully(ch, header, pos);
                long length = header.getInt(0) & 0xffffffffL;
                String type = new String(header.array(), 4, 4, StandardCharsets.US_ASCII);
                if (type.equals("IDAT") || type.equals("IEND")) {
                    return null;
                }
                if (type.equals("iCCP")) {
                    byte[] b = chunkBody(ch, pos + 8, length, type);
                    int nul = 0;
                    while (nul < b.length && nul < 80 && b[nul] != 0) {
                        nul++;
                    }
                    if (nul + 2 > b.length || b[nul] != 0 || b[nul + 1] != 0) {
                        throw new IOException("iCCP chunk without a profile name and "
                                + "compression method 0");
                    }
                    return inflate(b, nul + 2, b.length - nul - 2);
                }
                pos += 12 + length;
            }
            return null;
        }
    }

    /** RIFF chunks of a WebP: {@code ICCP} follows {@code VP8X} before any image data. */
    private static byte[] webpProfile(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file)) {
            long pos = 12; // "RIFF" size "WEBP"
            ByteBuffer header = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            while (pos + 8 <= ch.size()) {
                header.clear();
                readFully(ch, header, pos);
                long length = header.getInt(4) & 0xffffffffL;
                String type = new String(header.array(), 0, 4, StandardCharsets.US_ASCII);
                if (type.equals("ICCP")) {
                    return chunkBody(ch, pos + 8, length, type);
                }
                if (!type.equals("VP8X")) {
                    return null; // image data (or a simple-format file): no profile
                }
                pos += 8 + length + (length & 1);
            }
            return null;
        }
    }

    private static byte[] heifProfile(Path file) {
        try (HeifFile heif = HeifFile.open(file)) {
            HeifItems items = heif.items();
            HeifItems.Item primary = items.primary();
            if (primary == null) {
                return null; // not an image 'meta': validation refuses it
            }
            var icc = primary.property(HeifItems.Icc.class);
            if (icc.isEmpty() && !primary.dimg().isEmpty()) {
                HeifItems.Item tile = items.items().get(primary.dimg().get(0));
                icc = tile == null ? icc : tile.property(HeifItems.Icc.class);
            }
            return icc.map(HeifItems.Icc::profile).orElse(null);
        } catch (CodecException e) {
            LOG.warn("Cannot read the HEIF item properties of {}: {}", file, e.getMessage());
            return null;
        }
    }

    private static byte[] inflate(byte[] data, int off, int len) throws IOException {
        Inflater inflater = new Inflater();
        try {
            inflater.setInput(data, off, len);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            while (!inflater.finished()) {
                int n = inflater.inflate(buf);
                if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    throw new IOException("iCCP profile ends before its zlib stream does");
                }
                out.write(buf, 0, n);
                if (out.size() > MAX_PROFILE_BYTES) {
                    throw new IOException("iCCP profile inflates to more than "
                            + MAX_PROFILE_BYTES + " bytes");
                }
            }
            return out.toByteArray();
        } catch (DataFormatException e) {
            throw new IOException("iCCP profile is not valid zlib data: " + e.getMessage(), e);
        } finally {
            inflater.end();
        }
    }

    /** The {@code length} bytes at {@code pos}, checked against the limit and the file. */
    private static byte[] chunkBody(FileChannel ch, long pos, long length, String type)
            throws IOException {
        if (length > MAX_PROFILE_BYTES || pos + length > ch.size()) {
            throw new IOException(type + " chunk of " + length + " bytes at " + pos
                    + ", expected at most " + MAX_PROFILE_BYTES + " and within the file of "
                    + ch.size() + " bytes");
        }
        ByteBuffer body = ByteBuffer.allocate((int) length);
        readFully(ch, body, pos);
        return body.array();
    }

    private static void readFully(FileChannel ch, ByteBuffer buf, long pos) throws IOException {
        while (buf.hasRemaining()) {
            int n = ch.read(buf, pos + buf.position());
            if (n < 0) {
                throw new IOException("file ends at " + (pos + buf.position()) + ", expected "
                        + buf.remaining() + " more bytes");
            }
        }
    }

    private static boolean startsWith(byte[] b, byte[] prefix) {
        if (b.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (b[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    /**
     * The {@code desc} tag: ICC v2 {@code desc} (ASCII count and text) or v4 {@code mluc} (first
     * record, UTF-16BE); null when absent or malformed.
     */
    static String description(ICC_Profile icc) {
        byte[] tag = icc.getData(ICC_Profile.icSigProfileDescriptionTag);
        if (tag == null || tag.length < 12) {
            return null;
        }
        ByteBuffer b = ByteBuffer.wrap(tag);
        String type = new String(tag, 0, 4, StandardCharsets.US_ASCII);
        if (type.equals("desc")) {
            long count = b.getInt(8) & 0xffffffffL;
            int len = (int) Math.min(count, tag.length - 12L);
            String s = new String(tag, 12, Math.max(0, len), StandardCharsets.US_ASCII);
            return s.replace("\0", "").trim();
        }
        if (type.equals("mluc") && tag.length >= 28) {
            long len = b.getInt(20) & 0xffffffffL;
            long off = b.getInt(24) & 0xffffffffL;
            if (off + len <= tag.length) {
                return new String(tag, (int) off, (int) len, StandardCharsets.UTF_16BE)
                        .replace("\0", "").trim();
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return "SrgbConverter[from '" + description + "']";
    }
}
