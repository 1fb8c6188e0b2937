package com.mediaflow.shared.format;

import static org.assertj.core.api.Assertions.assertThat;

import com.mediaflow.testkit.Corpus;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;

class DetectorTest {

    // ---- images ----------------------------------------------------------------------------

    @Test
    void detect_jfifMagic_isJpeg() {
        assertThat(Detector.detect(bytes(0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, 'J', 'F', 'I', 'F', 0))).isEqualTo(MediaFormat.JPEG);
    }

    @Test
    void detect_exifJpegFromCorpus_isJpeg() throws IOException {
        assertThat(Detector.detect(corpusHead("exif-orientation/Landscape_1.jpg"))).isEqualTo(MediaFormat.JPEG);
    }

    @Test
    void detect_pngSignature_isPng() {
        assertThat(Detector.detect(bytes(0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13))).isEqualTo(MediaFormat.PNG);
    }

    @Test
    void detect_pngFromCorpus_isPng() throws IOException {
        assertThat(Detector.detect(corpusHead("pngsuite/png/basn2c08.png"))).isEqualTo(MediaFormat.PNG);
    }

    @Test
    void detect_pngSignatureWithUnixLineEnding_isUnknown() {
        // given a PNG signature mangled by a text-mode transfer (CRLF -> LF)
        byte[] mangled = bytes(0x89, 'P', 'N', 'G', 0x0A, 0x1A, 0x0A, 0, 0, 0, 13);

        // then it is not a PNG
        assertThat(Detector.detect(mangled)).isEqualTo(MediaFormat.UNKNOWN);
    }

    @Test
    void detect_gif87a_isGif() {
        assertThat(Detector.detect(ascii("GIF87a\u0001\u0000\u0001\u0000"))).isEqualTo(MediaFormat.GIF);
    }

    @Test
    void detect_gif89a_isGif() {
        assertThat(Detector.detect(ascii("GIF89a\u0001\u0000\u0001\u0000"))).isEqualTo(MediaFormat.GIF);
    }

    @Test
    void detect_riffWebp_isWebp() {
        assertThat(Detector.detect(riff("WEBP", "VP8L"))).isEqualTo(MediaFormat.WEBP);
    }

    @Test
    void detect_riffAvi_isUnknown() {
        assertThat(Detector.detect(riff("AVI ", "LIST"))).isEqualTo(MediaFormat.UNKNOWN);
    }

    @Test
    void detect_tiffLittleEndian_isTiff() {
        assertThat(Detector.detect(bytes('I', 'I', 0x2A, 0x00, 0x08, 0, 0, 0))).isEqualTo(MediaFormat.TIFF);
    }

    @Test
    void detect_tiffBigEndian_isTiff() {
        assertThat(Detector.detect(bytes('M', 'M', 0x00, 0x2A, 0, 0, 0, 0x08))).isEqualTo(MediaFormat.TIFF);
    }

    @Test
    void detect_bmpWithBitmapInfoHeader_isBmp() {
        // given "BM", file size, reserved, pixel offset, then a 40-byte BITMAPINFOHEADER
        byte[] head = new byte[54];
        head[0] = 'B';
        head[1] = 'M';
        head[14] = 40;

        assertThat(Detector.detect(head)).isEqualTo(MediaFormat.BMP);
    }

    @Test
    void detect_bmThenTextNotBmpHeader_isText() {
        assertThat(Detector.detect(ascii("BMW owners club newsletter, issue 4"))).isEqualTo(MediaFormat.TEXT);
    }

    // ---- ISO base media file format --------------------------------------------------------

    @Test
    void detect_ftypIsom_isMp4() {
        assertThat(Detector.detect(ftyp("isom", "isom", "iso2", "avc1", "mp41"))).isEqualTo(MediaFormat.MP4);
    }

    @Test
    void detect_ftypMp42_isMp4() {
        assertThat(Detector.detect(ftyp("mp42", "mp42", "isom"))).isEqualTo(MediaFormat.MP4);
    }

    @Test
    void detect_ftypQuickTime_isMov() {
        assertThat(Detector.detect(ftyp("qt  ", "qt  "))).isEqualTo(MediaFormat.MOV);
    }

    @Test
    void detect_ftypM4a_isM4a() {
        assertThat(Detector.detect(ftyp("M4A ", "M4A ", "mp42", "isom"))).isEqualTo(MediaFormat.M4A);
    }

    @Test
    void detect_ftyp3gp_isThreeGp() {
        assertThat(Detector.detect(ftyp("3gp4", "isom", "3gp4"))).isEqualTo(MediaFormat.THREE_GP);
    }

    @Test
    void detect_ftyp3g2_isThreeGp() {
        assertThat(Detector.detect(ftyp("3g2a", "3g2a"))).isEqualTo(MediaFormat.THREE_GP);
    }

    @Test
    void detect_ftypHeic_isHeic() {
        assertThat(Detector.detect(ftyp("heic", "mif1", "heic"))).isEqualTo(MediaFormat.HEIC);
    }

    @Test
    void detect_ftypMif1WithHeicCompatible_isHeic() {
        assertThat(Detector.detect(ftyp("mif1", "mif1", "heic"))).isEqualTo(MediaFormat.HEIC);
    }

    @Test
    void detect_ftypAvif_isAvif() {
        assertThat(Detector.detect(ftyp("avif", "avif", "mif1", "miaf", "MA1B"))).isEqualTo(MediaFormat.AVIF);
    }

    @Test
    void detect_ftypMif1WithAvifCompatible_isAvif() {
        assertThat(Detector.detect(ftyp("mif1", "avif", "mif1", "miaf"))).isEqualTo(MediaFormat.AVIF);
    }

    @Test
    void detect_ftypAvifSequence_isAvif() {
        assertThat(Detector.detect(ftyp("avis", "avis", "msf1", "miaf"))).isEqualTo(MediaFormat.AVIF);
    }

    @Test
    void detect_ftypMinorVersionSpellsHeic_isStillMp4() {
        // given an MP4 whose minor_version field happens to be the bytes "heic"
        byte[] head = ftyp("isom", "isom", "avc1");
        System.arraycopy(ascii("heic"), 0, head, 12, 4);

        // then the minor version is not read as a brand
        assertThat(Detector.detect(head)).isEqualTo(MediaFormat.MP4);
    }

    @Test
    void detect_iphoneHeicFromCorpus_isHeic() throws IOException {
        assertThat(Detector.detect(corpusHead("heic/IMG_5195.HEIC"))).isEqualTo(MediaFormat.HEIC);
    }

    @Test
    void detect_heifFromCorpus_isHeic() throws IOException {
        assertThat(Detector.detect(corpusHead("heic/samplefilehub.heif"))).isEqualTo(MediaFormat.HEIC);
    }

    // ---- Matroska, audio --------------------------------------------------------------------

    @Test
    void detect_ebmlWithWebmDocType_isWebm() {
        assertThat(Detector.detect(ebml("webm"))).isEqualTo(MediaFormat.WEBM);
    }

    @Test
    void detect_ebmlWithMatroskaDocType_isMkv() {
        assertThat(Detector.detect(ebml("matroska"))).isEqualTo(MediaFormat.MKV);
    }

    @Test
    void detect_oggPage_isOgg() {
        assertThat(Detector.detect(concat(ascii("OggS"), bytes(0, 2, 0, 0, 0, 0, 0, 0, 0, 0)))).isEqualTo(MediaFormat.OGG);
    }

    @Test
    void detect_flacMarker_isFlac() {
        assertThat(Detector.detect(concat(ascii("fLaC"), bytes(0, 0, 0, 0x22)))).isEqualTo(MediaFormat.FLAC);
    }

    @Test
    void detect_riffWave_isWav() {
        assertThat(Detector.detect(riff("WAVE", "fmt "))).isEqualTo(MediaFormat.WAV);
    }

    @Test
    void detect_id3Tag_isMp3() {
        assertThat(Detector.detect(concat(ascii("ID3"), bytes(4, 0, 0, 0, 0, 0, 0x0A)))).isEqualTo(MediaFormat.MP3);
    }

    @Test
    void detect_mpeg1Layer3FrameSync_isMp3() {
        // given a raw frame header: MPEG-1 Layer III, 128 kbit/s, 44.1 kHz
        assertThat(Detector.detect(bytes(0xFF, 0xFB, 0x90, 0x64, 0, 0))).isEqualTo(MediaFormat.MP3);
    }

    @Test
    void detect_mpeg2Layer3FrameSync_isMp3() {
        assertThat(Detector.detect(bytes(0xFF, 0xF3, 0x40, 0xC4, 0, 0))).isEqualTo(MediaFormat.MP3);
    }

    @Test
    void detect_utf16LittleEndianText_isNotMp3() {
        // given Notepad's "Unicode" text: BOM FF FE, then " hello" in UTF-16LE; FF FE reads as an MPEG-1 Layer I sync
        byte[] text = concat(bytes(0xFF, 0xFE), " hello".getBytes(StandardCharsets.UTF_16LE));

        assertThat(Detector.detect(text)).isEqualTo(MediaFormat.TEXT);
        assertThat(Detector.detect(concat(bytes(0xFF, 0xFE), "Title,Date".getBytes(StandardCharsets.UTF_16LE))))
                .isEqualTo(MediaFormat.TEXT);
    }

    @Test
    void detect_mpeg1Layer2FrameSync_isMp3() {
        // given an MP2 frame header (MPEG-1 Layer II, 192 kbit/s, 48 kHz), also audio/mpeg
        assertThat(Detector.detect(bytes(0xFF, 0xFD, 0xA4, 0x00, 0, 0))).isEqualTo(MediaFormat.MP3);
    }

    @Test
    void detect_adtsAacSync_isNotMp3() {
        // given an ADTS AAC header, whose layer bits are 00
        assertThat(Detector.detect(bytes(0xFF, 0xF1, 0x50, 0x80, 0x02, 0x1F, 0xFC))).isEqualTo(MediaFormat.UNKNOWN);
    }

    @Test
    void detect_frameSyncWithBadBitrate_isUnknown() {
        assertThat(Detector.detect(bytes(0xFF, 0xFB, 0xF0, 0x64, 0, 0))).isEqualTo(MediaFormat.UNKNOWN);
    }

    // ---- documents ----------------------------------------------------------------------------

    @Test
    void detect_pdfHeader_isPdf() {
        assertThat(Detector.detect(ascii("%PDF-1.7\n%\u00e2\u00e3\n1 0 obj"))).isEqualTo(MediaFormat.PDF);
    }

    // ---- executables ------------------------------------------------------------------------

    @Test
    void detect_elfMagic_isElf() {
        assertThat(Detector.detect(bytes(0x7F, 'E', 'L', 'F', 2, 1, 1, 0))).isEqualTo(MediaFormat.ELF);
    }

    @Test
    void detect_mzHeader_isPe() {
        assertThat(Detector.detect(concat(ascii("MZ"), bytes(0x90, 0, 3, 0, 0, 0, 4, 0)))).isEqualTo(MediaFormat.PE);
    }

    @Test
    void detect_machO64LittleEndian_isMachO() {
        assertThat(Detector.detect(bytes(0xCF, 0xFA, 0xED, 0xFE, 0x07, 0, 0, 0x01))).isEqualTo(MediaFormat.MACH_O);
    }

    @Test
    void detect_machO32BigEndian_isMachO() {
        assertThat(Detector.detect(bytes(0xFE, 0xED, 0xFA, 0xCE, 0, 0, 0, 0x12))).isEqualTo(MediaFormat.MACH_O);
    }

    @Test
    void detect_machOUniversal_isMachO() {
        assertThat(Detector.detect(bytes(0xCA, 0xFE, 0xBA, 0xBE, 0, 0, 0, 2))).isEqualTo(MediaFormat.MACH_O);
    }

    @Test
    void detect_shebang_isScript() {
        assertThat(Detector.detect(ascii("#!/bin/sh\nrm -rf /tmp/x\n"))).isEqualTo(MediaFormat.SCRIPT);
    }

    // ---- archives -------------------------------------------------------------------------------

    @Test
    void detect_zipWithMediaEntries_isZip() throws IOException {
        byte[] zip = zip(ZipEntry.DEFLATED, "photos/a.jpg", "photos/b.jpg");

        assertThat(Detector.detect(zip)).isEqualTo(MediaFormat.ZIP);
    }

    @Test
    void detect_emptyZip_isZip() throws IOException {
        // given a ZIP with no entries: just the end-of-central-directory record
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new ZipOutputStream(out).close();

        assertThat(Detector.detect(out.toByteArray())).isEqualTo(MediaFormat.ZIP);
    }

    @Test
    void detect_apkStoredFirstEntry_isApk() throws IOException {
        assertThat(Detector.detect(zip(ZipEntry.STORED, "AndroidManifest.xml", "classes.dex"))).isEqualTo(MediaFormat.APK);
    }

    @Test
    void detect_apkDeflatedFirstEntryWithDataDescriptor_isApk() throws IOException {
        // given ZipOutputStream's DEFLATED entry: sizes follow the data (flag bit 3)
        byte[] apk = zip(ZipEntry.DEFLATED, "AndroidManifest.xml", "classes.dex");
        assertThat(apk[6] & 0x08).as("general purpose flag bit 3").isEqualTo(0x08);

        // then the first entry's name is still read
        assertThat(Detector.detect(apk)).isEqualTo(MediaFormat.APK);
    }

    @Test
    void detect_apkWithManifestAfterStoredEntries_isApk() throws IOException {
        assertThat(Detector.detect(zip(ZipEntry.STORED, "resources.arsc", "res/raw/x.bin", "AndroidManifest.xml")))
                .isEqualTo(MediaFormat.APK);
    }

    @Test
    void detect_jarDeflatedManifestFirst_isJar() throws IOException {
        // given what JarOutputStream writes: a DEFLATED META-INF/MANIFEST.MF with a data descriptor
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JarOutputStream jar = new JarOutputStream(out, manifest)) {
            jar.putNextEntry(new ZipEntry("com/example/Main.class"));
            jar.write(new byte[] {(byte) 0xCA, (byte) 0xFE, (byte) 0xBA, (byte) 0xBE});
            jar.closeEntry();
        }

        assertThat(Detector.detect(out.toByteArray())).isEqualTo(MediaFormat.JAR);
    }

    @Test
    void detect_mavenLayoutJarDeflatedDirectoryFirst_isJar() throws IOException {
        // given the layout Maven and Gradle write (e.g. jackson-core-2.22.4.jar): a DEFLATED "META-INF/"
        // entry with a data descriptor, and only then the manifest
        byte[] jar = zip(ZipEntry.DEFLATED, "META-INF/", "META-INF/MANIFEST.MF", "META-INF/LICENSE", "com/example/Main.class");

        assertThat(Detector.detect(jar)).isEqualTo(MediaFormat.JAR);
    }

    @Test
    void detect_jarsignerApkManifestAfterDeflatedSignatures_isApk() throws IOException {
        // given a v1-signed APK as jarsigner rewrites it: signature entries first, all with data descriptors
        byte[] apk = zip(ZipEntry.DEFLATED, "META-INF/MANIFEST.MF", "META-INF/CERT.SF", "META-INF/CERT.RSA",
                "AndroidManifest.xml", "classes.dex");

        assertThat(Detector.detect(apk)).isEqualTo(MediaFormat.APK);
    }

    @Test
    void detect_ipaDeflatedDirectoriesFirst_isIpa() throws IOException {
        assertThat(Detector.detect(zip(ZipEntry.DEFLATED, "Payload/", "Payload/Game.app/", "Payload/Game.app/Info.plist")))
                .isEqualTo(MediaFormat.IPA);
    }

    @Test
    void detect_jarStoredManifestFirst_isJar() throws IOException {
        assertThat(Detector.detect(zip(ZipEntry.STORED, "META-INF/", "META-INF/MANIFEST.MF", "a/B.class")))
                .isEqualTo(MediaFormat.JAR);
    }

    @Test
    void detect_ipaStoredEntries_isIpa() throws IOException {
        assertThat(Detector.detect(zip(ZipEntry.STORED, "Payload/", "Payload/Game.app/", "Payload/Game.app/Info.plist")))
                .isEqualTo(MediaFormat.IPA);
    }

    @Test
    void detect_ipaDeflatedFirstEntry_isIpa() throws IOException {
        assertThat(Detector.detect(zip(ZipEntry.DEFLATED, "Payload/Game.app/Info.plist"))).isEqualTo(MediaFormat.IPA);
    }

    @Test
    void detect_rar5Signature_isRar() {
        assertThat(Detector.detect(bytes('R', 'a', 'r', '!', 0x1A, 0x07, 0x01, 0x00))).isEqualTo(MediaFormat.RAR);
    }

    @Test
    void detect_rar4Signature_isRar() {
        assertThat(Detector.detect(bytes('R', 'a', 'r', '!', 0x1A, 0x07, 0x00))).isEqualTo(MediaFormat.RAR);
    }

    @Test
    void detect_sevenZipSignature_isSevenZip() {
        assertThat(Detector.detect(bytes('7', 'z', 0xBC, 0xAF, 0x27, 0x1C, 0, 4))).isEqualTo(MediaFormat.SEVEN_ZIP);
    }

    @Test
    void detect_gzipStream_isGzip() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (java.util.zip.GZIPOutputStream gz = new java.util.zip.GZIPOutputStream(out)) {
            gz.write(ascii("hello"));
        }

        assertThat(Detector.detect(out.toByteArray())).isEqualTo(MediaFormat.GZIP);
    }

    // ---- markup -------------------------------------------------------------------------------

    @Test
    void detect_html5Doctype_isHtml() {
        assertThat(Detector.detect(ascii("<!DOCTYPE html>\n<html><body>hi</body></html>"))).isEqualTo(MediaFormat.HTML);
    }

    @Test
    void detect_htmlWithBomAndLeadingWhitespace_isHtml() {
        assertThat(Detector.detect(concat(bytes(0xEF, 0xBB, 0xBF), ascii("\r\n  <HTML><script>alert(1)</script>"))))
                .isEqualTo(MediaFormat.HTML);
    }

    @Test
    void detect_bareScriptTag_isHtml() {
        assertThat(Detector.detect(ascii("<script>fetch('/steal?c='+document.cookie)</script>"))).isEqualTo(MediaFormat.HTML);
    }

    @Test
    void detect_plainSvg_isSvg() {
        assertThat(Detector.detect(ascii("<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\"/>")))
                .isEqualTo(MediaFormat.SVG);
    }

    @Test
    void detect_svgAfterXmlDeclarationAndComment_isSvg() {
        String svg = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"no\"?>\n"
                + "<!-- Created with Inkscape (http://www.inkscape.org/) -->\n"
                + "<svg width=\"10\" height=\"10\" xmlns=\"http://www.w3.org/2000/svg\"></svg>\n";

        assertThat(Detector.detect(ascii(svg))).isEqualTo(MediaFormat.SVG);
    }

    @Test
    void detect_svgWithDoctypeAndNoXmlDeclaration_isSvg() {
        String svg = "<!DOCTYPE svg PUBLIC \"-//W3C//DTD SVG 1.1//EN\" \"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd\">\n"
                + "<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>";

        assertThat(Detector.detect(ascii(svg))).isEqualTo(MediaFormat.SVG);
    }

    @Test
    void detect_htmlOpeningWithAComment_isHtml() {
        assertThat(Detector.detect(ascii("<!-- saved from url=(0014)about:internet -->\n<html><body><script>x()</script>")))
                .isEqualTo(MediaFormat.HTML);
    }

    @Test
    void detect_xmlThatIsNotSvg_isText() {
        // plain XML is neither HTML nor SVG: it is text, and served as text/plain
        assertThat(Detector.detect(ascii("<?xml version=\"1.0\"?><rss version=\"2.0\"></rss>"))).isEqualTo(MediaFormat.TEXT);
    }

    // ---- nothing / noise / bounds -----------------------------------------------------------

    @Test
    void detect_empty_isUnknown() {
        assertThat(Detector.detect(new byte[0])).isEqualTo(MediaFormat.UNKNOWN);
    }

    @Test
    void detect_plainText_isText() {
        assertThat(Detector.detect(ascii("just some notes, nothing to see here\n"))).isEqualTo(MediaFormat.TEXT);
    }

    @Test
    void detect_randomBytes_isUnknown() {
        // given seeded noise whose first bytes match no signature (0x00 cannot start any magic above)
        byte[] noise = new byte[4096];
        new Random(42).nextBytes(noise);
        noise[0] = 0x00;

        assertThat(Detector.detect(noise)).isEqualTo(MediaFormat.UNKNOWN);
    }

    @Test
    void detect_lengthShorterThanArray_ignoresBytesPastLength() {
        // given a buffer that holds a PNG, of which only 4 bytes are valid
        byte[] buffer = bytes(0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A);

        assertThat(Detector.detect(buffer, 4)).isEqualTo(MediaFormat.UNKNOWN);
        assertThat(Detector.detect(buffer, 0)).isEqualTo(MediaFormat.UNKNOWN);
    }

    @Test
    void detect_everyPrefixOfEverySample_neverThrows() throws IOException {
        // given truncated heads of each sample, as a short object would give
        byte[][] samples = {
            ftyp("heic", "mif1", "heic"), ebml("webm"), riff("WEBP", "VP8 "),
            zip(ZipEntry.DEFLATED, "AndroidManifest.xml"), zip(ZipEntry.STORED, "a", "b"),
            ascii("<?xml version=\"1.0\"?><svg/>"), bytes(0xFF, 0xFB, 0x90, 0x64), corpusHead("heic/IMG_5195.HEIC"),
        };

        // then detection answers for every prefix without reading past it
        for (byte[] sample : samples) {
            for (int len = 0; len <= Math.min(sample.length, 600); len++) {
                assertThat(Detector.detect(Arrays.copyOf(sample, len))).isNotNull();
            }
        }
    }

    // ---- helpers ----------------------------------------------------------------------------

    private static byte[] corpusHead(String relative) throws IOException {
        byte[] all = Files.readAllBytes(Corpus.file(relative));
        return Arrays.copyOf(all, Math.min(all.length, Detector.HEAD_BYTES));
    }

    private static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static byte[] riff(String form, String firstChunk) {
        return concat(concat(ascii("RIFF"), bytes(0x24, 0x08, 0, 0)), ascii(form + firstChunk + "\0\0\0\0"));
    }

    /** An ftyp box: size, "ftyp", major brand, minor version 0, compatible brands, then an mdat header. */
    private static byte[] ftyp(String major, String... compatible) {
        int size = 16 + 4 * compatible.length;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(bytes(0, 0, 0, size));
        out.writeBytes(ascii("ftyp" + major));
        out.writeBytes(bytes(0, 0, 0, 0));
        for (String c : compatible) {
            out.writeBytes(ascii(c));
        }
        out.writeBytes(bytes(0, 0, 0, 8));
        out.writeBytes(ascii("mdat"));
        return out.toByteArray();
    }

    /** An EBML header whose DocType element (0x4282) holds docType. */
    private static byte[] ebml(String docType) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(bytes(0x42, 0x86, 0x81, 0x01)); // EBMLVersion 1
        body.writeBytes(bytes(0x42, 0x82, 0x80 | docType.length()));
        body.writeBytes(ascii(docType));
        body.writeBytes(bytes(0x42, 0x87, 0x81, 0x04)); // DocTypeVersion 4
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(bytes(0x1A, 0x45, 0xDF, 0xA3, 0x80 | body.size()));
        out.writeBytes(body.toByteArray());
        return out.toByteArray();
    }

    static byte[] zip(int method, String... names) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            for (String name : names) {
                byte[] data = name.endsWith("/") ? new byte[0] : ("content of " + name).getBytes(StandardCharsets.UTF_8);
                ZipEntry e = new ZipEntry(name);
                e.setMethod(method);
                if (method == ZipEntry.STORED) {
                    CRC32 crc = new CRC32();
                    crc.update(data);
                    e.setSize(data.length);
                    e.setCompressedSize(data.length);
                    e.setCrc(crc.getValue());
                }
                zip.putNextEntry(e);
                zip.write(data);
                zip.closeEntry();
            }
        }
        return out.toByteArray();
    }
}
