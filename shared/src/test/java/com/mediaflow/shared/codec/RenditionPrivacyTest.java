package com.mediaflow.shared.codec;

import static org.assertj.core.api.Assertions.assertThat;

import com.mediaflow.testkit.Corpus;
import com.mediaflow.testkit.SyntheticMedia;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No rendition carries the source's EXIF, XMP, Photoshop (IPTC) or GPS: every rendition is a
 * fresh encode of pixels. Checked by parsing the segments of every JPEG and the chunks of the WebP.
 */
class RenditionPrivacyTest {

    private static final Thumbnailer THUMBNAILER = new Thumbnailer(85);
    private static final RenditionPlan PLAN =
            new RenditionPlan(List.of(320, 640, 1280), 160, 2048, 80, 1024);

    @TempDir
    Path tmp;

    @Test
    void renditions_ofJpegWithGpsExifXmpAndIptc_carryNoneOfThem() throws IOException {
        // given a photo whose EXIF has orientation 6 and a GPS IFD, plus XMP and APP13 segments
        Path photo = tmp.resolve("jpeg-exif-gps-xmp-iptc-orientation6-640x480.jpg");
        byte[] plain = Files.readAllBytes(SyntheticMedia.jpeg(tmp.resolve("plain.jpg"), 640,
                480, 0));
        Files.write(photo, withSegments(plain, app1Exif(6), app1Xmp(), app13Photoshop()));
        ExifInfo exif = ExifReader.read(photo);
        assertThat(exif.gpsPresent()).as("the fixture has GPS coordinates").isTrue();
        assertThat(exif.orientation()).isEqualTo(6);
        assertThat(markers(Files.readAllBytes(photo))).contains(0xE1, 0xED);

        // when
        ImageRenditions made = THUMBNAILER.imageRenditions(photo, exif.orientation(), PLAN);

        // then
        assertThat(made.renditions()).hasSize(7);
        assertCarryNoMetadata(made.renditions());
        assertThat(made.placeholder().toMetadata()).containsOnlyKeys("blurhash", "jpeg", "width",
                "height");
    }

    @Test
    void renditions_ofCorpusCameraPhoto_carryNoExif() throws IOException {
        // given a real camera JPEG with an EXIF segment
        Path photo = Corpus.dir().resolve("exif-orientation/Landscape_6.jpg");
        assertThat(markers(Files.readAllBytes(photo))).contains(0xE1);

        // when
        ImageRenditions made = THUMBNAILER.imageRenditions(photo, 6, PLAN);

        // then
        assertCarryNoMetadata(made.renditions());
    }

    @Test
    void renditions_ofTransparentPng_webpHasOnlyPictureChunks() {
        Path png = SyntheticMedia.pngWithAlpha(tmp.resolve("png-rgba-64x48.png"), 64, 48);

        ImageRenditions made = THUMBNAILER.imageRenditions(png, 1, PLAN);

        assertCarryNoMetadata(made.renditions());
        Rendition webp = ThumbnailerRenditionsTest.named(made, "display.webp");
        assertThat(webpChunks(webp.bytes())).contains("VP8X", "ALPH");
    }

    // --- checks ------------------------------------------------------------------------------

    private static void assertCarryNoMetadata(List<Rendition> renditions) {
        for (Rendition r : renditions) {
            if (r.contentType().equals("image/webp")) {
                List<String> chunks = webpChunks(r.bytes());
                assertThat(chunks).as("%s chunks", r.name())
                        .isSubsetOf("VP8 ", "VP8L", "VP8X", "ALPH");
                if (chunks.contains("VP8X")) {
                    int flags = r.bytes()[20] & 0xff;
                    assertThat(flags & (0x20 | 0x08 | 0x04)).as("%s VP8X ICC/EXIF/XMP flags",
                            r.name()).isZero();
                }
            } else {
                List<Integer> markers = markers(r.bytes());
                assertThat(markers).as("%s segments", r.name())
                        .noneMatch(m -> m >= 0xE1 && m <= 0xEF);
                String header = new String(r.bytes(), 0, headerLength(r.bytes()),
                        StandardCharsets.ISO_8859_1);
                assertThat(header).as("%s header", r.name()).doesNotContain("Exif", "GPS",
                        "http://ns.adobe.com", "Photoshop", "ICC_PROFILE");
            }
        }
    }

    /** The JPEG's segment markers (second byte), from SOI up to and including SOS. */
    static List<Integer> markers(byte[] jpeg) {
        List<Integer> markers = new ArrayList<>();
        assertThat(jpeg[0] & 0xff).isEqualTo(0xFF);
        assertThat(jpeg[1] & 0xff).isEqualTo(0xD8);
        int p = 2;
        while (p + 4 <= jpeg.length) {
            assertThat(jpeg[p] & 0xff).as("marker at %d", p).isEqualTo(0xFF);
            int marker = jpeg[p + 1] & 0xff;
            markers.add(marker);
            if (marker == 0xDA) {
                break;
            }
            int length = (jpeg[p + 2] & 0xff) << 8 | (jpeg[p + 3] & 0xff);
            p += 2 + length;
        }
        assertThat(markers).as("segments end in SOS").endsWith(0xDA);
        return markers;
    }

    private static int headerLength(byte[] jpeg) {
        int p = 2;
        while ((jpeg[p + 1] & 0xff) != 0xDA) {
            p += 2 + ((jpeg[p + 2] & 0xff) << 8 | (jpeg[p + 3] & 0xff));
        }
        return p;
    }

    /** The chunk FourCCs of a RIFF WebP. */
    static List<String> webpChunks(byte[] webp) {
        assertThat(new String(webp, 0, 4, StandardCharsets.US_ASCII)).isEqualTo("RIFF");
        assertThat(new String(webp, 8, 4, StandardCharsets.US_ASCII)).isEqualTo("WEBP");
        ByteBuffer b = ByteBuffer.wrap(webp).order(ByteOrder.LITTLE_ENDIAN);
        List<String> chunks = new ArrayList<>();
        int p = 12;
        while (p + 8 <= webp.length) {
            chunks.add(new String(webp, p, 4, StandardCharsets.US_ASCII));
            long size = b.getInt(p + 4) & 0xffffffffL;
            p += 8 + (int) size + (int) (size & 1);
        }
        assertThat(p).as("chunks end at the end of the file").isEqualTo(webp.length);
        return chunks;
    }

    // --- fixture: metadata segments ------------------------------------------------------------

    /** Inserts the given segments (each starting with its FFxx marker) right after SOI. */
    private static byte[] withSegments(byte[] jpeg, byte[]... segments) {
        ByteBuffer out = ByteBuffer.allocate(jpeg.length
                + java.util.Arrays.stream(segments).mapToInt(s -> s.length).sum());
        out.put(jpeg, 0, 2);
        for (byte[] s : segments) {
            out.put(s);
        }
        out.put(jpeg, 2, jpeg.length - 2);
        return out.array();
    }

    private static byte[] segment(int marker, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(4 + payload.length);
        b.put((byte) 0xFF).put((byte) marker).putShort((short) (2 + payload.length));
        return b.put(payload).array();
    }

    /**
     * APP1 Exif, big-endian TIFF: IFD0 {Orientation, GPSInfo -> GPS IFD}; GPS IFD {version 2.2,
     * 48 51 29.52 N, 2 17 40.20 E}: the Eiffel tower.
     */
    static byte[] app1Exif(int orientation) {
        ByteBuffer t = ByteBuffer.allocate(152);
        t.put((byte) 'M').put((byte) 'M').putShort((short) 0x2A).putInt(8);
        t.putShort((short) 2);                                                  // IFD0 @ 8
        t.putShort((short) 0x0112).putShort((short) 3).putInt(1)
                .putShort((short) orientation).putShort((short) 0);
        t.putShort((short) 0x8825).putShort((short) 4).putInt(1).putInt(38);     // GPS IFD
        t.putInt(0);
        t.putShort((short) 5);                                                  // GPS @ 38
        t.putShort((short) 0x0000).putShort((short) 1).putInt(4).put(new byte[] {2, 2, 0, 0});
        t.putShort((short) 0x0001).putShort((short) 2).putInt(2).put(new byte[] {'N', 0, 0, 0});
        t.putShort((short) 0x0002).putShort((short) 5).putInt(3).putInt(104);
        t.putShort((short) 0x0003).putShort((short) 2).putInt(2).put(new byte[] {'E', 0, 0, 0});
        t.putShort((short) 0x0004).putShort((short) 5).putInt(3).putInt(128);
        t.putInt(0);
        t.putInt(48).putInt(1).putInt(51).putInt(1).putInt(2952).putInt(100);    // @ 104
        t.putInt(2).putInt(1).putInt(17).putInt(1).putInt(4020).putInt(100);     // @ 128
        assertThat(t.position()).isEqualTo(152);
        byte[] header = {'E', 'x', 'i', 'f', 0, 0};
        return segment(0xE1, concat(header, t.array()));
    }

    static byte[] app1Xmp() {
        String xmp = "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\"><rdf:RDF xmlns:rdf="
                + "\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\"><rdf:Description "
                + "xmlns:exif=\"http://ns.adobe.com/exif/1.0/\" exif:GPSLatitude=\"48,51.492N\" "
                + "exif:GPSLongitude=\"2,17.67E\"/></rdf:RDF></x:xmpmeta>";
        return segment(0xE1, concat("http://ns.adobe.com/xap/1.0/\0".getBytes(
                StandardCharsets.US_ASCII), xmp.getBytes(StandardCharsets.UTF_8)));
    }

    /** APP13 "Photoshop 3.0" with one empty IPTC resource block (8BIM 0x0404). */
    static byte[] app13Photoshop() {
        ByteBuffer irb = ByteBuffer.allocate(12);
        irb.put("8BIM".getBytes(StandardCharsets.US_ASCII)).putShort((short) 0x0404)
                .putShort((short) 0).putInt(0);
        return segment(0xED, concat("Photoshop 3.0\0".getBytes(StandardCharsets.US_ASCII),
                irb.array()));
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
