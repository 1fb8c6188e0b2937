package com.mediaflow.shared.validation.internal.parsers;

import static org.assertj.core.api.Assertions.assertThat;

import com.mediaflow.shared.error.MediaRejectedException;
import com.mediaflow.shared.validation.FormatParser;
import com.mediaflow.shared.validation.Limits;
import com.mediaflow.shared.validation.StructureReport;
import com.mediaflow.shared.validation.io.ArrayByteSource;
import com.mediaflow.shared.validation.io.Cursor;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.ImageOutputStream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.assertj.core.api.ThrowableAssertAlternative;

/**
 * Test helpers for the image parsers: the corpus, parsing bytes, real images written with ImageIO
 * (an encoder nobody on this project wrote), and small byte-editing tools for hostile variants.
 */
public final class ImageFixtures {
    private ImageFixtures() {
    }

    static StructureReport parse(FormatParser parser, byte[] bytes, String format) {
        return parse(parser, bytes, format, Limits.DEFAULTS);
    }

    static StructureReport parse(FormatParser parser, byte[] bytes, String format, Limits limits) {
        return parser.parse(Cursor.over(new ArrayByteSource(bytes), format), limits);
    }

    static ThrowableAssertAlternative<MediaRejectedException> rejecting(ThrowingCallable call) {
        return org.assertj.core.api.Assertions.assertThatExceptionOfType(MediaRejectedException.class).isThrownBy(call);
    }

    static Limits withMaxFrames(long frames) {
        Limits d = Limits.DEFAULTS;
        return new Limits(d.maxBytes(), d.maxPixels(), frames, d.maxDurationSeconds(), d.maxTracks(), d.maxDepth(),
                d.maxSampleEntries());
    }

    /** A deterministic picture: gradient, a white block top-left, a dark disc bottom-right. */
    static BufferedImage picture(int w, int h, int type) {
        BufferedImage img = new BufferedImage(w, h, type);
        Graphics2D g = img.createGraphics();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, new Color(40 + 200 * x / Math.max(1, w - 1), 40 + 180 * y / Math.max(1, h - 1), 120).getRGB());
            }
        }
        g.setColor(Color.WHITE);
        g.fillRect(w / 16, h / 16, w / 4, h / 4);
        g.setColor(Color.DARK_GRAY);
        g.fillOval(w / 2, h / 2, w / 3, h / 3);
        g.dispose();
        return img;
    }

    static byte[] imageIo(BufferedImage img, String format) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            assertThat(ImageIO.write(img, format, out)).as("ImageIO writes %s", format).isTrue();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** A JPEG written by ImageIO, progressive or baseline; a Raster of 4 bands makes a CMYK-style JPEG. */
    public static byte[] jpeg(Object imageOrRaster, boolean progressive) {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ImageOutputStream ios = ImageIO.createImageOutputStream(out)) {
            writer.setOutput(ios);
            ImageWriteParam param = writer.getDefaultWriteParam();
            if (progressive) {
                param.setProgressiveMode(ImageWriteParam.MODE_DEFAULT);
            }
            IIOImage iio = imageOrRaster instanceof BufferedImage bi ? new IIOImage(bi, null, null)
                    : new IIOImage((java.awt.image.Raster) imageOrRaster, null, null);
            writer.write(null, iio, param);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
        return out.toByteArray();
    }

    /** Width and height as ImageIO's reader sees them in the header (an independent parser). */
    static int[] imageIoSize(byte[] bytes) {
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            assertThat(readers.hasNext()).as("ImageIO has a reader").isTrue();
            ImageReader reader = readers.next();
            try {
                reader.setInput(in);
                return new int[] {reader.getWidth(0), reader.getHeight(0)};
            } finally {
                reader.dispose();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A real ZIP archive (what a JAR or APK is). */
    static byte[] zip() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            zip.putNextEntry(new ZipEntry("classes.dex"));
            zip.write("dex\n035\0 not really".getBytes(StandardCharsets.US_ASCII));
            zip.closeEntry();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    static byte[] slice(byte[] b, int from, int to) {
        return java.util.Arrays.copyOfRange(b, from, to);
    }

    static void putU16be(byte[] b, int at, int v) {
        b[at] = (byte) (v >> 8);
        b[at + 1] = (byte) v;
    }

    static void putU16le(byte[] b, int at, int v) {
        b[at] = (byte) v;
        b[at + 1] = (byte) (v >> 8);
    }

    static void putU32be(byte[] b, int at, long v) {
        b[at] = (byte) (v >> 24);
        b[at + 1] = (byte) (v >> 16);
        b[at + 2] = (byte) (v >> 8);
        b[at + 3] = (byte) v;
    }

    static void putU32le(byte[] b, int at, long v) {
        b[at] = (byte) v;
        b[at + 1] = (byte) (v >> 8);
        b[at + 2] = (byte) (v >> 16);
        b[at + 3] = (byte) (v >> 24);
    }

    static int u16be(byte[] b, int at) {
        return ((b[at] & 0xFF) << 8) | (b[at + 1] & 0xFF);
    }

    static long u32be(byte[] b, int at) {
        return ((b[at] & 0xFFL) << 24) | ((b[at + 1] & 0xFFL) << 16) | ((b[at + 2] & 0xFFL) << 8) | (b[at + 3] & 0xFFL);
    }

    /** A PNG chunk with its length and a correct CRC. */
    static byte[] pngChunk(String type, byte[] data) {
        byte[] out = new byte[12 + data.length];
        putU32be(out, 0, data.length);
        byte[] t = type.getBytes(StandardCharsets.ISO_8859_1);
        System.arraycopy(t, 0, out, 4, 4);
        System.arraycopy(data, 0, out, 8, data.length);
        CRC32 crc = new CRC32();
        crc.update(out, 4, 4 + data.length);
        putU32be(out, 8 + data.length, crc.getValue());
        return out;
    }

    /** Recomputes the CRC of the PNG chunk at {@code at} after its data was edited. */
    static void fixPngCrc(byte[] png, int at) {
        int len = (int) u32be(png, at);
        CRC32 crc = new CRC32();
        crc.update(png, at + 4, 4 + len);
        putU32be(png, at + 8 + len, crc.getValue());
    }

    /** Offset of the first PNG chunk of this type, walking the chunks; -1 if none. */
    static int pngChunkAt(byte[] png, String type) {
        int at = 8;
        while (at + 8 <= png.length) {
            String t = new String(png, at + 4, 4, StandardCharsets.ISO_8859_1);
            if (t.equals(type)) {
                return at;
            }
            at += 12 + (int) u32be(png, at);
        }
        return -1;
    }

    /** Offset of the first JPEG marker segment FF {@code marker} before the first scan's data; -1 if none. */
    static int jpegSegmentAt(byte[] jpeg, int marker) {
        int at = 2;
        while (at + 4 <= jpeg.length) {
            int m = jpeg[at + 1] & 0xFF;
            if (m == marker) {
                return at;
            }
            if (m == 0xDA) {
                return -1;
            }
            at += 2 + u16be(jpeg, at + 2);
        }
        return -1;
    }
}
