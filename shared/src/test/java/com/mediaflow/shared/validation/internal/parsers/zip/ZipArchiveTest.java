package com.mediaflow.shared.validation.internal.parsers.zip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mediaflow.shared.error.MediaRejectedException;
import com.mediaflow.shared.error.ReasonCode;
import com.mediaflow.shared.validation.io.ArrayByteSource;
import com.mediaflow.shared.validation.io.Cursor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ZipArchiveTest {
    private static ZipArchive read(byte[] zip) {
        return read(zip, ZipLimits.DEFAULTS);
    }

    private static ZipArchive read(byte[] zip, ZipLimits limits) {
        return ZipArchive.read(Cursor.over(new ArrayByteSource(zip), "ZIP"), limits, 32);
    }

    private static ReasonCode code(Runnable r) {
        try {
            r.run();
        } catch (MediaRejectedException e) {
            return e.code();
        }
        throw new AssertionError("expected a rejection");
    }

    static byte[] javaZip(String... namesAndTexts) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            for (int i = 0; i < namesAndTexts.length; i += 2) {
                zip.putNextEntry(new java.util.zip.ZipEntry(namesAndTexts[i]));
                zip.write(namesAndTexts[i + 1].getBytes(StandardCharsets.UTF_8));
                zip.closeEntry();
            }
        }
        return out.toByteArray();
    }

    @Test
    void read_zipOutputStreamsArchiveWithDataDescriptors_readsEveryEntryAndItsText() throws IOException {
        // given ZipOutputStream's deflated entries, whose sizes follow the data (flag bit 3)
        byte[] zip = javaZip("a.txt", "hello", "dir/b.xml", "<x/>".repeat(1000));

        // when
        ZipArchive a = read(zip);

        // then
        assertThat(a.entries()).extracting(ZipEntry::name).containsExactly("a.txt", "dir/b.xml");
        assertThat(new String(a.read(a.entry("dir/b.xml").orElseThrow()), StandardCharsets.UTF_8)).isEqualTo("<x/>".repeat(1000));
        assertThat(new String(a.head(a.entry("a.txt").orElseThrow(), 3), StandardCharsets.UTF_8)).isEqualTo("hel");
        assertThat(a.logicalEnd()).isEqualTo(zip.length);
    }

    @Test
    void read_storedAndDeflatedRawEntries_agreeWithTheirHeaders() {
        ZipArchive a = read(new RawZip().stored("mimetype", "application/epub+zip").deflated("x.txt", "some text").bytes());
        assertThat(new String(a.read(a.entries().get(1)), StandardCharsets.UTF_8)).isEqualTo("some text");
        assertThat(a.entries().get(0).stored()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"../evil.sh", "word/../../evil.sh", "/etc/passwd", "word\\..\\evil.sh", "C:/evil.sh", "a//b", "./a"})
    void read_nameThatEscapesItsFolder_isArchivePathUnsafe(String name) {
        byte[] zip = new RawZip().stored("ok.txt", "ok").stored(name, "pwned").bytes();
        assertThatThrownBy(() -> read(zip)).isInstanceOf(MediaRejectedException.class)
                .hasMessageContaining("expected a relative path inside the package")
                .extracting(e -> ((MediaRejectedException) e).code()).isEqualTo(ReasonCode.ARCHIVE_PATH_UNSAFE);
    }

    @Test
    void read_entryWhoseLocalHeaderSitsInsideAnothersData_isOverlapping() {
        // given entry a.txt whose stored data holds b.txt's whole local header and data (the
        // overlapping-files construction of non-recursive zip bombs), and a directory naming both
        RawZip.Entry inner = RawZip.entry("b.txt", "bbbbbbbbbb".getBytes(StandardCharsets.UTF_8));
        RawZip raw = new RawZip().stored("a.txt", RawZip.local(inner));
        raw.stored("b.txt", "bbbbbbbbbb").bend(e -> {
            e.writeLocal = false;
            e.centralOffset = 30L + "a.txt".length();
        });

        // then
        assertThatThrownBy(() -> read(raw.bytes())).hasMessageContaining("inside entry 'a.txt'")
                .hasMessageContaining("expected entries that do not overlap");
    }

    @Test
    void read_sameLocalHeaderTwice_isOverlapping() {
        // given two names whose directory entries both point at the first local header
        RawZip raw = new RawZip().stored("a.txt", "same").stored("b.txt", "same");
        raw.entry(1).localName = "a.txt";
        raw.entry(1).centralOffset = 0L;

        // then: its local header names a.txt, so the names disagree before the overlap is seen
        assertThat(code(() -> read(raw.bytes()))).isEqualTo(ReasonCode.STRUCTURE_INVALID);
    }

    @Test
    void read_localNameDisagreesWithDirectory_isStructureInvalid() {
        RawZip raw = new RawZip().stored("word/document.xml", "<w/>").bend(e -> e.localName = "word/documenu.xml");
        assertThatThrownBy(() -> read(raw.bytes())).hasMessageContaining("expected them to agree");
    }

    @Test
    void read_localSizeDisagreesWithDirectory_isStructureInvalid() {
        RawZip raw = new RawZip().stored("a.txt", "hello").bend(e -> e.localSize = 4L);
        assertThatThrownBy(() -> read(raw.bytes())).hasMessageContaining("local header says CRC");
    }

    @Test
    void read_bytesBetweenEntries_belongToNoEntry() {
        RawZip raw = new RawZip().stored("a.txt", "a").stored("b.txt", "b").bend(e -> e.gapBefore = "MZ hidden".getBytes());
        assertThatThrownBy(() -> read(raw.bytes())).hasMessageContaining("belong to no entry");
    }

    @Test
    void read_duplicateNames_areRefused() {
        byte[] zip = new RawZip().stored("a.txt", "1").stored("a.txt", "2").bytes();
        assertThatThrownBy(() -> read(zip)).hasMessageContaining("two entries are named 'a.txt'");
    }

    @Test
    void read_zipBomb_isArchiveLimitByRatio() {
        // given 64 MiB of zeros deflated to about 64 KiB
        byte[] zip = new RawZip().deflated("bomb.xml", new byte[64 * 1024 * 1024]).bytes();
        assertThat(zip.length).isLessThan(200_000);

        // then
        assertThatThrownBy(() -> read(zip)).hasMessageContaining("a zip bomb")
                .extracting(e -> ((MediaRejectedException) e).code()).isEqualTo(ReasonCode.ARCHIVE_LIMIT);
    }

    @Test
    void read_moreEntriesOrBytesThanTheLimits_isArchiveLimit() {
        ZipLimits small = new ZipLimits(2, 100, 150, 200, 1024, 1024, 2, 4096);
        assertThat(code(() -> read(new RawZip().stored("a", "1").stored("b", "2").stored("c", "3").bytes(), small)))
                .isEqualTo(ReasonCode.ARCHIVE_LIMIT);
        assertThat(code(() -> read(new RawZip().stored("a", new byte[101]).bytes(), small))).isEqualTo(ReasonCode.ARCHIVE_LIMIT);
        assertThat(code(() -> read(new RawZip().stored("a", new byte[80]).stored("b", new byte[80]).bytes(), small)))
                .isEqualTo(ReasonCode.ARCHIVE_LIMIT);
        assertThat(read(new RawZip().stored("a", new byte[70]).stored("b", new byte[70]).bytes(), small).entries()).hasSize(2);
    }

    @Test
    void read_partThatInflatesPastItsDeclaredSize_isArchiveLimit() {
        // given an entry that declares 10 bytes but inflates to 5000
        RawZip raw = new RawZip().deflated("a.xml", new byte[5000]).bend(e -> e.size = 10);
        ZipArchive a = read(raw.bytes());

        // then
        assertThat(code(() -> a.read(a.entries().get(0)))).isEqualTo(ReasonCode.ARCHIVE_LIMIT);
    }

    @Test
    void read_partWithWrongCrc_isStructureInvalid() {
        RawZip raw = new RawZip().deflated("a.xml", "<a/>").bend(e -> e.crc = 1234);
        ZipArchive a = read(raw.bytes());
        assertThatThrownBy(() -> a.read(a.entries().get(0))).hasMessageContaining("has CRC");
    }

    @Test
    void read_zip64Marker_isRefusedWithAReason() {
        RawZip raw = new RawZip().stored("a", "1");
        raw.totalOverride = 0xFFFF;
        assertThatThrownBy(() -> read(raw.bytes())).hasMessageContaining("ZIP64")
                .extracting(e -> ((MediaRejectedException) e).code()).isEqualTo(ReasonCode.UNSUPPORTED_TYPE);
    }

    @Test
    void read_nameNestedDeeperThanTheLimit_isDepthLimit() {
        byte[] zip = new RawZip().stored("a/".repeat(40) + "x.xml", "<x/>").bytes();
        assertThat(code(() -> read(zip))).isEqualTo(ReasonCode.DEPTH_LIMIT);
    }

    @Test
    void read_dataAfterTheEndRecord_hasNoEndRecordAtTheEnd() {
        RawZip raw = new RawZip().stored("a", "1");
        raw.trailing = "MZ appended".getBytes();
        assertThatThrownBy(() -> read(raw.bytes())).hasMessageContaining("no end-of-central-directory record");
    }

    @Test
    void read_truncatedArchive_isRejected() {
        byte[] zip = new RawZip().stored("a.txt", "hello").bytes();
        byte[] cut = java.util.Arrays.copyOf(zip, zip.length - 30);
        assertThatThrownBy(() -> read(cut)).isInstanceOf(MediaRejectedException.class);
    }
}
