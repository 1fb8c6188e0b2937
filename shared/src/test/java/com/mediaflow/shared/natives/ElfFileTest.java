package com.mediaflow.shared.natives;

import static com.mediaflow.shared.natives.NativeFixtures.CLEAN_LIBC_ONLY;
import static com.mediaflow.shared.natives.NativeFixtures.STATIC_NO_DYNAMIC;
import static com.mediaflow.shared.natives.NativeFixtures.VIOLATES_GLIBC_235_AND_LIBVA;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.mediaflow.shared.natives.ElfFile.VersionNeed;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * ElfFile against the committed fixtures (whose values readelf gave, see
 * src/test/resources/natives/README.md), against ELF32 and big-endian files SyntheticElf writes,
 * and against malformed files, which must give an ElfFormatException naming what did not fit.
 */
class ElfFileTest {

    // ELF64 header and section header field offsets, for corrupting files on purpose
    private static final int E_PHOFF = 32;
    private static final int E_SHOFF = 40;
    private static final int E_PHNUM = 56;
    private static final int E_SHNUM = 60;
    private static final int SH_SIZE = 64;
    private static final int SH_TYPE = 4;
    private static final int SH_OFFSET = 24;
    private static final int SH_SIZE_FIELD = 32;
    private static final int SH_LINK = 40;
    private static final int SH_INFO = 44;

    @TempDir
    Path tmp;

    @Test
    void read_fixtureNeedingGlibc235AndLibva_givesItsNeededAndVersionNeeds() throws Exception {
        // given
        Path fixture = NativeFixtures.copy(VIOLATES_GLIBC_235_AND_LIBVA, tmp);

        // when
        ElfFile elf = ElfFile.read(fixture);

        // then: what `readelf -d -V` prints for it
        assertThat(elf.bits()).isEqualTo(64);
        assertThat(elf.byteOrder()).isEqualTo(ByteOrder.LITTLE_ENDIAN);
        assertThat(elf.type()).isEqualTo(ElfFile.ET_DYN);
        assertThat(elf.machine()).isEqualTo(ElfFile.EM_X86_64).isEqualTo(62);
        assertThat(elf.machineName()).isEqualTo("x86_64");
        assertThat(elf.hasDynamicSection()).isTrue();
        assertThat(elf.soname()).contains("violates-glibc-2.35-and-libva.so");
        assertThat(elf.needed()).containsExactly("libva.so.2", "libm.so.6", "libc.so.6");
        assertThat(elf.versionNeeds()).containsExactly(
                new VersionNeed("libc.so.6", "GLIBC_2.2.5"),
                new VersionNeed("libm.so.6", "GLIBC_2.35"));
        assertThat(elf.source()).isEqualTo(fixture.toString());
    }

    @Test
    void read_cleanFixture_needsOnlyLibcAtGlibc225() throws Exception {
        // given
        Path fixture = NativeFixtures.copy(CLEAN_LIBC_ONLY, tmp);

        // when
        ElfFile elf = ElfFile.read(fixture);

        // then
        assertThat(elf.soname()).contains("clean-libc-only.so");
        assertThat(elf.needed()).containsExactly("libc.so.6");
        assertThat(elf.versionNeeds()).containsExactly(new VersionNeed("libc.so.6", "GLIBC_2.2.5"));
    }

    @Test
    void read_staticExecutable_hasNoDynamicSectionAndNeedsNothing() throws Exception {
        // given
        Path fixture = NativeFixtures.copy(STATIC_NO_DYNAMIC, tmp);

        // when
        ElfFile elf = ElfFile.read(fixture);

        // then
        assertThat(elf.type()).isEqualTo(ElfFile.ET_EXEC);
        assertThat(elf.machine()).isEqualTo(ElfFile.EM_X86_64);
        assertThat(elf.hasDynamicSection()).isFalse();
        assertThat(elf.soname()).isEmpty();
        assertThat(elf.needed()).isEmpty();
        assertThat(elf.versionNeeds()).isEmpty();
    }

    @Test
    void parse_bytesOfAFixture_equalsReadingItsFile() throws Exception {
        // given
        Path fixture = NativeFixtures.copy(VIOLATES_GLIBC_235_AND_LIBVA, tmp);

        // when
        ElfFile fromBytes = ElfFile.parse(Files.readAllBytes(fixture), "in memory");
        ElfFile fromFile = ElfFile.read(fixture);

        // then
        assertThat(fromBytes.source()).isEqualTo("in memory");
        assertThat(fromBytes.needed()).isEqualTo(fromFile.needed());
        assertThat(fromBytes.versionNeeds()).isEqualTo(fromFile.versionNeeds());
        assertThat(fromBytes.soname()).isEqualTo(fromFile.soname());
    }

    @Test
    void isElf_fixturesAndOtherFiles_onlyTheElfFilesAre() throws Exception {
        // given
        Path library = NativeFixtures.copy(VIOLATES_GLIBC_235_AND_LIBVA, tmp);
        Path executable = NativeFixtures.copy(STATIC_NO_DYNAMIC, tmp);
        Path text = Files.writeString(tmp.resolve("libfake.so"), "not a library");
        Path shortFile = Files.write(tmp.resolve("short"), new byte[] {0x7f, 'E'});
        Path missing = tmp.resolve("missing.so");

        // when / then
        assertThat(ElfFile.isElf(library)).isTrue();
        assertThat(ElfFile.isElf(executable)).isTrue();
        assertThat(ElfFile.isElf(text)).isFalse();
        assertThat(ElfFile.isElf(shortFile)).isFalse();
        assertThat(ElfFile.isElf(tmp)).isFalse();
        assertThat(ElfFile.isElf(missing)).isFalse();
    }

    @ParameterizedTest(name = "ELF{0} {1}")
    @CsvSource({"64, LITTLE_ENDIAN, 62", "64, BIG_ENDIAN, 21", "32, LITTLE_ENDIAN, 40",
        "32, BIG_ENDIAN, 20", "64, LITTLE_ENDIAN, 183"})
    void parse_syntheticFileOfEachClassAndByteOrder_givesWhatWasWritten(int bits, String order,
            int machine) throws Exception {
        // given
        ByteOrder byteOrder = order.equals("BIG_ENDIAN") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        byte[] file = SyntheticElf.of(bits, byteOrder, machine).soname("libdemo.so.1")
                .needs("libz.so.1", "libm.so.6", "libc.so.6")
                .versionNeed("libm.so.6", "GLIBC_2.29")
                .versionNeed("libc.so.6", "GLIBC_2.17").versionNeed("libc.so.6", "GLIBC_2.34")
                .bytes();

        // when
        ElfFile elf = ElfFile.parse(file, "synthetic");

        // then
        assertThat(elf.bits()).isEqualTo(bits);
        assertThat(elf.byteOrder()).isEqualTo(byteOrder);
        assertThat(elf.machine()).isEqualTo(machine);
        assertThat(elf.soname()).contains("libdemo.so.1");
        assertThat(elf.needed()).containsExactly("libz.so.1", "libm.so.6", "libc.so.6");
        assertThat(elf.versionNeeds()).containsExactly(
                new VersionNeed("libm.so.6", "GLIBC_2.29"),
                new VersionNeed("libc.so.6", "GLIBC_2.17"),
                new VersionNeed("libc.so.6", "GLIBC_2.34"));
    }

    @Test
    void parse_syntheticFileWithoutDynamicSection_needsNothing() throws Exception {
        // given
        byte[] file = SyntheticElf.of(32, ByteOrder.BIG_ENDIAN, 8).withoutDynamicSection().bytes();

        // when
        ElfFile elf = ElfFile.parse(file, "synthetic");

        // then
        assertThat(elf.hasDynamicSection()).isFalse();
        assertThat(elf.needed()).isEmpty();
        assertThat(elf.versionNeeds()).isEmpty();
        assertThat(elf.machineName()).isEqualTo("mips");
    }

    @Test
    void parse_fileShorterThanTheIdentification_isRejected() {
        assertThatThrownBy(() -> ElfFile.parse(new byte[] {0x7f, 'E', 'L', 'F', 2, 1}, "tiny"))
                .isInstanceOf(ElfFormatException.class)
                .hasMessage("tiny: file of 6 bytes is shorter than the 16-byte ELF identification");
    }

    @Test
    void parse_truncatedHeader_isRejected() {
        // given
        byte[] file = Arrays.copyOf(fixture(), 40);

        // when / then
        assertThatThrownBy(() -> ElfFile.parse(file, "truncated"))
                .isInstanceOf(ElfFormatException.class)
                .hasMessage("truncated: the ELF64 header needs 64 bytes, but the file has only 40");
    }

    @Test
    void parse_otherMagic_isRejected() {
        // given
        byte[] file = fixture();
        file[3] = 'G';

        // when / then
        assertThatThrownBy(() -> ElfFile.parse(file, "png"))
                .isInstanceOf(ElfFormatException.class)
                .hasMessage("png: expected the ELF magic 7f 45 4c 46, found 7f 45 4c 47");
    }

    @Test
    void parse_unknownClassOrByteOrder_isRejected() {
        byte[] badClass = fixture();
        badClass[4] = 3;
        assertThatThrownBy(() -> ElfFile.parse(badClass, "f"))
                .isInstanceOf(ElfFormatException.class)
                .hasMessage("f: EI_CLASS is 3, expected 1 (ELF32) or 2 (ELF64)");
        byte[] badData = fixture();
        badData[5] = 0;
        assertThatThrownBy(() -> ElfFile.parse(badData, "f"))
                .isInstanceOf(ElfFormatException.class)
                .hasMessage("f: EI_DATA is 0, expected 1 (little-endian) or 2 (big-endian)");
    }

    @Test
    void parse_sectionHeaderTablePastEndOfFile_isRejected() {
        // given
        byte[] file = fixture();
        long size = file.length;
        le(file).putLong(E_SHOFF, size - 10);

        // when / then
        assertThatThrownBy(() -> ElfFile.parse(file, "f"))
                .isInstanceOf(ElfFormatException.class)
                .hasMessage("f: section header table at offset " + (size - 10)
                        + " (1 entry of 64 bytes) extends past end of file (size " + size + ")");
    }

    @Test
    void parse_hugeSectionCount_isRejected() {
        // given
        byte[] file = fixture();
        long shoff = le(file).getLong(E_SHOFF);
        le(file).putShort(E_SHNUM, (short) 0xffff);

        // when / then
        assertThatThrownBy(() -> ElfFile.parse(file, "f"))
                .isInstanceOf(ElfFormatException.class)
                .hasMessage("f: section header table at offset " + shoff
                        + " (65535 entries of 64 bytes) extends past end of file (size "
                        + file.length + ")");
    }

    @Test
    void parse_extendedSectionCountOfTwoTo40_isRejected() {
        // given: e_shnum 0 says "the count is in section 0's sh_size"
        byte[] file = fixture();
        int shoff = (int) le(file).getLong(E_SHOFF);
        le(file).putShort(E_SHNUM, (short) 0).putLong(shoff + SH_SIZE_FIELD, 1L << 40);

        // when / then
        assertThatThrownBy(() -> ElfFile.parse(file, "f"))
                .isInstanceOf(ElfFormatException.class)
                .hasMessageContaining("(1099511627776 entries of 64 bytes) extends past end of file");
    }

    @Test
    void parse_sectionTableOffsetAbove2To63_isRejectedWithTheUnsignedOffset() {
        // given
        byte[] file = fixture();
        le(file).putLong(E_SHOFF, 0xffff_ffff_ffff_ff00L);

        // when / then
        assertThatThrownBy(() -> ElfFile.parse(file, "f"))
                .isInstanceOf(ElfFormatException.class)
                .hasMessageContaining("section header table at offset 18446744073709551360");
    }

    @Test
    void parse_hugeProgramHeaderCount_isRejected() {
        // given
        byte[] file = fixture();
        long phoff = le(file).getLong(E_PHOFF);
        le(file).putShort(E_PHNUM, (short) 0xfffe);

        // when / then
        assertThatThrownBy(() -> ElfFile.parse(file, "f"))
                .isInstanceOf(ElfFormatException.class)
                .hasMessage("f: program header table at offset " + phoff
                        + " (65534 entries of 56 bytes) extends past end of file (size "
                        + file.length + ")");
    }

    @Test
    void parse_dynamicLibraryWithoutSectionHeaders_isRejectedNotReportedAsNeedingNothing() {
        // given: what sstrip leaves
        byte[] file = fixture();
        le(file).putLong(E_SHOFF, 0).putShort(E_SHNUM, (short) 0);

        // when / then
        assertThatThrownBy(() -> ElfFile.parse(file, "f"))
                .isInstanceOf(ElfFormatException.class)
                .hasMessageContaining("has a PT_DYNAMIC segment but no section headers");
    }

    @Test
    void parse_dynamicSectionPastEndOfFile_isRejected() {
        // given
        byte[] file = SyntheticElf.x86_64().needs("libc.so.6").bytes();
        int header = sectionHeader(file, ElfFile.SHT_DYNAMIC);
        long offset = le(file).getLong(header + SH_OFFSET);
        le(file).putLong(header + SH_SIZE_FIELD, 1L << 32);

        // when / then
        assertThatThrownBy(() -> ElfFile.parse(file, "f"))
                .isInstanceOf(ElfFormatException.class)
                .hasMessage("f: section [2] (SHT_DYNAMIC) at offset " + offset
                        + " with 4294967296 bytes extends past end of file (size " + file.length
                        + ")");
    }

    @Test
    void parse_dynamicSectionLinkedToNoStringTable_isRejected() {
        byte[] outOfRange = SyntheticElf.x86_64().needs("libc.so.6").bytes();
        le(outOfRange).putInt(sectionHeader(outOfRange, ElfFile.SHT_DYNAMIC) + SH_LINK, 99);
        assertThatThrownBy(() -> ElfFile.parse(outOfRange, "f"))
                .isInstanceOf(ElfFormatException.class)
                .hasMessage("f: section [2] (SHT_DYNAMIC) links to section [99], but the file"
                        + " has only 4 sections");

        byte[] toItself = SyntheticElf.x86_64().needs("libc.so.6").bytes();
        le(toItself).putInt(sectionHeader(toItself, ElfFile.SHT_DYNAMIC) + SH_LINK, 2);
        assertThatThrownBy(() -> ElfFile.parse(toItself, "f"))
                .isInstanceOf(ElfFormatException.class)
                .hasMessage("f: section [2] (SHT_DYNAMIC) links to section [2] of SHT_DYNAMIC,"
                        + " expected a string table (SHT_STRTAB)");
    }

    @Test
    void parse_neededNamePastItsStringTable_isRejected() {
        // given: the first DT_NEEDED's d_val points far beyond .dynstr
        byte[] file = SyntheticElf.x86_64().needs("libc.so.6").bytes();
        int dynamic = (int) le(file).getLong(sectionHeader(file, ElfFile.SHT_DYNAMIC) + SH_OFFSET);
        le(file).putLong(dynamic + 8, 0x7fff_ffffL);

        // when / then
        assertThatThrownBy(() -> ElfFile.parse(file, "f"))
                .isInstanceOf(ElfFormatException.class)
                .hasMessageStartingWith("f: a name of section [2] (SHT_DYNAMIC) at offset"
                        + " 2147483647 is past the end of its string table section [1]");
    }

    @Test
    void parse_nameWithoutTerminatingNul_isRejected() {
        // given: .dynstr cut by one byte, so its last name ("libc.so.6") loses its NUL
        byte[] file = SyntheticElf.x86_64().needs("libc.so.6").bytes();
        int dynstr = sectionHeader(file, ElfFile.SHT_STRTAB);
        le(file).putLong(dynstr + SH_SIZE_FIELD, le(file).getLong(dynstr + SH_SIZE_FIELD) - 1);

        // when / then
        assertThatThrownBy(() -> ElfFile.parse(file, "f"))
                .isInstanceOf(ElfFormatException.class)
                .hasMessageContaining("runs to the table's end without a terminating NUL");
    }

    @Test
    void parse_verneedDeclaringHugeCount_isRejected() {
        // given
        byte[] file = SyntheticElf.x86_64().needs("libc.so.6").versionNeed("libc.so.6", "GLIBC_2.17")
                .bytes();
        le(file).putInt(sectionHeader(file, ElfFile.SHT_GNU_VERNEED) + SH_INFO, 0x7fff_ffff);

        // when / then
        assertThatThrownBy(() -> ElfFile.parse(file, "f"))
                .isInstanceOf(ElfFormatException.class)
                .hasMessage("f: section [2] (SHT_GNU_verneed) declares 2147483647 Elf_Verneed"
                        + " entries in sh_info, but its 32 bytes hold at most 2");
    }

    @Test
    void parse_verneedAuxOffsetPastTheSection_isRejected() {
        // given: vn_aux of the first Elf_Verneed points 4 GiB ahead
        byte[] file = SyntheticElf.x86_64().needs("libc.so.6").versionNeed("libc.so.6", "GLIBC_2.17")
                .bytes();
        int verneed = (int) le(file).getLong(sectionHeader(file, ElfFile.SHT_GNU_VERNEED) + SH_OFFSET);
        le(file).putInt(verneed + 8, 0xffff_fff0);

        // when / then
        assertThatThrownBy(() -> ElfFile.parse(file, "f"))
                .isInstanceOf(ElfFormatException.class)
                .hasMessage("f: Elf_Vernaux #0 of libc.so.6 at offset 4294967280 extends past the"
                        + " end of section [2] (SHT_GNU_verneed) (32 bytes)");
    }

    @Test
    void parse_verneedWithHugeAuxCount_isRejected() {
        // given: vn_cnt 65535, but the aux chain is one entry long
        byte[] file = SyntheticElf.x86_64().needs("libc.so.6").versionNeed("libc.so.6", "GLIBC_2.17")
                .bytes();
        int verneed = (int) le(file).getLong(sectionHeader(file, ElfFile.SHT_GNU_VERNEED) + SH_OFFSET);
        le(file).putShort(verneed + 2, (short) 0xffff);

        // when / then
        assertThatThrownBy(() -> ElfFile.parse(file, "f"))
                .isInstanceOf(ElfFormatException.class)
                .hasMessage("f: Elf_Verneed #0 (libc.so.6) declares vn_cnt 65535, but its"
                        + " Elf_Vernaux chain ends after 1");
    }

    @Test
    void parse_verneedOfUnknownVersion_isRejected() {
        // given
        byte[] file = SyntheticElf.x86_64().versionNeed("libc.so.6", "GLIBC_2.17").bytes();
        int verneed = (int) le(file).getLong(sectionHeader(file, ElfFile.SHT_GNU_VERNEED) + SH_OFFSET);
        le(file).putShort(verneed, (short) 2);

        // when / then
        assertThatThrownBy(() -> ElfFile.parse(file, "f"))
                .isInstanceOf(ElfFormatException.class)
                .hasMessage("f: Elf_Verneed #0 at offset 0 of section [2] (SHT_GNU_verneed) has"
                        + " vn_version 2, expected 1");
    }

    @Test
    void read_everyTruncationOfTheFixture_givesAResultOrElfFormatException() {
        byte[] whole = fixture();
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            for (int length = 0; length < whole.length; length++) {
                parseOrFormatError(Arrays.copyOf(whole, length), "first " + length + " bytes");
            }
        });
    }

    @Test
    void read_randomCorruptionsOfTheFixture_giveAResultOrElfFormatException() {
        // given: bytes changed where the structures are (header, tables, .dynamic, .dynstr,
        // .gnu.version_r) of the fixture and of an ELF32 big-endian synthetic file
        byte[][] originals = {fixture(), SyntheticElf.of(32, ByteOrder.BIG_ENDIAN, 20)
                .needs("libz.so.1").versionNeed("libc.so.6", "GLIBC_2.4").bytes()};
        Random random = new Random(20250101);

        // when / then
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            for (int round = 0; round < 20_000; round++) {
                byte[] original = originals[round % 2];
                byte[] file = original.clone();
                for (int changes = 1 + random.nextInt(6); changes > 0; changes--) {
                    int at = random.nextInt(4) == 0 ? random.nextInt(64)
                            : random.nextInt(file.length);
                    file[at] = random.nextInt(3) == 0 ? (byte) 0xff : (byte) random.nextInt(256);
                }
                parseOrFormatError(file, "round " + round);
            }
        });
    }

    private static void parseOrFormatError(byte[] file, String what) {
        try {
            ElfFile.parse(file, what);
        } catch (ElfFormatException expected) {
            assertThat(expected.getMessage()).startsWith(what + ": ");
        } catch (RuntimeException e) {
            fail(what + ": expected a result or an ElfFormatException, got " + e, e);
        }
    }

    private static byte[] fixture() {
        return NativeFixtures.bytes(VIOLATES_GLIBC_235_AND_LIBVA);
    }

    private static ByteBuffer le(byte[] file) {
        return ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** The file offset of the first ELF64 little-endian section header of {@code type}. */
    private static int sectionHeader(byte[] file, long type) {
        ByteBuffer b = le(file);
        long shoff = b.getLong(E_SHOFF);
        int shnum = Short.toUnsignedInt(b.getShort(E_SHNUM));
        for (int i = 0; i < shnum; i++) {
            int at = (int) shoff + i * SH_SIZE;
            if (Integer.toUnsignedLong(b.getInt(at + SH_TYPE)) == type) {
                return at;
            }
        }
        throw new AssertionError("no section of type 0x" + Long.toHexString(type));
    }
}
