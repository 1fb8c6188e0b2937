package com.mediaflow.shared.natives;

import static com.mediaflow.shared.natives.NativeFixtures.CLEAN_LIBC_ONLY;
import static com.mediaflow.shared.natives.NativeFixtures.STATIC_NO_DYNAMIC;
import static com.mediaflow.shared.natives.NativeFixtures.VIOLATES_GLIBC_235_AND_LIBVA;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import com.mediaflow.shared.natives.NativeViolation.Kind;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The Lambda rules (glibc &lt;= 2.34, every NEEDED shipped or in the base image) and main. */
class LambdaNativeRulesTest {

    @TempDir
    Path tmp;

    @Test
    void check_fixtureNeedingGlibc235AndLibva_reportsBoth() throws Exception {
        // given
        Path fixture = NativeFixtures.copy(VIOLATES_GLIBC_235_AND_LIBVA, tmp);

        // when
        NativeReport report = LambdaNativeRules.check(List.of(fixture));

        // then
        assertThat(report.passes()).isFalse();
        assertThat(report.violations()).containsExactly(
                new NativeViolation(fixture.toString(), Kind.GLIBC_TOO_NEW, "libm.so.6", "GLIBC_2.35"),
                new NativeViolation(fixture.toString(), Kind.LIBRARY_NOT_PROVIDED, "libva.so.2", null));
        NativeReport.FileResult file = report.files().get(0);
        assertThat(file.newestGlibc()).contains("GLIBC_2.35");
        assertThat(file.unshipped()).containsExactly("libva.so.2");
        assertThat(report.violations()).extracting(NativeViolation::describe).containsExactly(
                fixture + ": needs GLIBC_2.35 of libm.so.6, but AWS Lambda (Amazon Linux 2023)"
                        + " has glibc 2.34",
                fixture + ": needs libva.so.2, which the package does not ship and the Lambda"
                        + " base image does not provide");
    }

    @Test
    void assertNoViolations_fixtureNeedingGlibc235AndLibva_throwsListingBoth() throws Exception {
        // given
        Path fixture = NativeFixtures.copy(VIOLATES_GLIBC_235_AND_LIBVA, tmp);
        NativeReport report = LambdaNativeRules.check(List.of(tmp));

        // when / then
        assertThatThrownBy(report::assertNoViolations)
                .isInstanceOf(NativeViolationsError.class)
                .isInstanceOf(AssertionError.class)
                .hasMessage("2 native library violations for AWS Lambda (expected glibc <= 2.34"
                        + " and every NEEDED library shipped or in the base image):\n"
                        + "  - " + fixture + ": needs GLIBC_2.35 of libm.so.6, but AWS Lambda"
                        + " (Amazon Linux 2023) has glibc 2.34\n"
                        + "  - " + fixture + ": needs libva.so.2, which the package does not ship"
                        + " and the Lambda base image does not provide");
        assertThatThrownBy(() -> LambdaNativeRules.assertLoadableOnLambda(List.of(tmp), n -> false))
                .isInstanceOfSatisfying(NativeViolationsError.class,
                        e -> assertThat(e.violations()).hasSize(2));
    }

    @Test
    void check_cleanLibraryAndStaticExecutable_pass() throws Exception {
        // given
        NativeFixtures.copy(CLEAN_LIBC_ONLY, tmp);
        NativeFixtures.copy(STATIC_NO_DYNAMIC, tmp);

        // when
        NativeReport report = LambdaNativeRules.check(List.of(tmp));

        // then
        assertThat(report.passes()).isTrue();
        assertThat(report.files()).hasSize(2);
        assertThat(report.file(CLEAN_LIBC_ONLY).orElseThrow().newestGlibc()).contains("GLIBC_2.2.5");
        assertThat(report.file(STATIC_NO_DYNAMIC).orElseThrow().newestGlibc()).isEmpty();
        assertThat(report.newestGlibc()).contains("GLIBC_2.2.5");
        report.assertNoViolations();
    }

    @Test
    void check_libvaShippedUnderItsFileName_reportsOnlyTheGlibcVersion() throws Exception {
        // given: some library for the same machine, shipped as libva.so.2
        NativeFixtures.copy(VIOLATES_GLIBC_235_AND_LIBVA, tmp);
        Files.move(NativeFixtures.copy(CLEAN_LIBC_ONLY, tmp), tmp.resolve("libva.so.2"));

        // when
        NativeReport report = LambdaNativeRules.check(List.of(tmp));

        // then
        assertThat(report.violations()).extracting(NativeViolation::kind, NativeViolation::version)
                .containsExactly(tuple(Kind.GLIBC_TOO_NEW, "GLIBC_2.35"));
    }

    @Test
    void check_libvaShippedUnderItsSoname_reportsOnlyTheGlibcVersion() throws Exception {
        // given: a file of another name whose DT_SONAME is libva.so.2
        NativeFixtures.copy(VIOLATES_GLIBC_235_AND_LIBVA, tmp);
        Files.write(tmp.resolve("va-build-1234.so"),
                SyntheticElf.x86_64().soname("libva.so.2").needs("libc.so.6").bytes());

        // when
        NativeReport report = LambdaNativeRules.check(List.of(tmp));

        // then
        assertThat(report.violations()).extracting(NativeViolation::kind)
                .containsExactly(Kind.GLIBC_TOO_NEW);
    }

    @Test
    void check_libvaShippedOnlyForAnotherMachine_stillReportsIt() throws Exception {
        // given: libva.so.2 for aarch64 beside the x86_64 fixture
        NativeFixtures.copy(VIOLATES_GLIBC_235_AND_LIBVA, tmp);
        Files.write(tmp.resolve("libva.so.2"), SyntheticElf.of(64, ByteOrder.LITTLE_ENDIAN,
                ElfFile.EM_AARCH64).soname("libva.so.2").bytes());

        // when
        NativeReport report = LambdaNativeRules.check(List.of(tmp));

        // then
        assertThat(report.violations()).extracting(NativeViolation::kind, NativeViolation::library)
                .contains(tuple(Kind.LIBRARY_NOT_PROVIDED, "libva.so.2"));
        assertThat(report.file("libva.so.2").orElseThrow().passes()).isTrue();
    }

    @Test
    void check_everyBaseImageLibrary_isNotAViolation() throws Exception {
        // given
        Files.write(tmp.resolve("libneedsbase.so"), SyntheticElf.x86_64()
                .needs(LambdaNativeRules.BASE_IMAGE_LIBRARIES.keySet().toArray(String[]::new))
                .bytes());

        // when
        NativeReport report = LambdaNativeRules.check(List.of(tmp));

        // then
        assertThat(report.files().get(0).file().elf().needed()).hasSize(13);
        assertThat(report.violations()).isEmpty();
    }

    @Test
    void check_glibcVersions_comparedNumericallyAndOnlyNumberedGlibcOnesCount() throws Exception {
        // given: 2.9 < 2.17 < 2.34, and names that are no glibc version numbers
        Files.write(tmp.resolve("libold.so"), SyntheticElf.x86_64().needs("libc.so.6")
                .versionNeed("libc.so.6", "GLIBC_2.9").versionNeed("libc.so.6", "GLIBC_2.34")
                .versionNeed("libc.so.6", "GLIBC_2.17").versionNeed("libc.so.6", "GLIBC_PRIVATE")
                .versionNeed("libstdc++.so.6", "GLIBCXX_3.4.30").bytes());
        Files.write(tmp.resolve("libnew.so"), SyntheticElf.x86_64().needs("libm.so.6")
                .versionNeed("libm.so.6", "GLIBC_2.4").versionNeed("libm.so.6", "GLIBC_2.38")
                .versionNeed("libc.so.6", "GLIBC_2.34").versionNeed("libc.so.6", "GLIBC_2.35")
                .bytes());

        // when
        NativeReport report = LambdaNativeRules.check(List.of(tmp));

        // then
        assertThat(report.file("libold.so").orElseThrow().newestGlibc()).contains("GLIBC_2.34");
        assertThat(report.file("libold.so").orElseThrow().passes()).isTrue();
        assertThat(report.file("libnew.so").orElseThrow().newestGlibc()).contains("GLIBC_2.38");
        assertThat(report.violations()).extracting(NativeViolation::library, NativeViolation::version)
                .containsExactly(tuple("libm.so.6", "GLIBC_2.38"),
                        tuple("libc.so.6", "GLIBC_2.35"));
    }

    @ParameterizedTest(name = "{0} vs {1} -> {2}")
    @CsvSource({"GLIBC_2.9, GLIBC_2.17, -1", "GLIBC_2.17, GLIBC_2.34, -1",
        "GLIBC_2.34, GLIBC_2.35, -1", "GLIBC_2.2.5, GLIBC_2.3, -1", "GLIBC_2.35, GLIBC_2.34, 1",
        "GLIBC_2.34, GLIBC_2.34, 0", "GLIBC_2.34.0, GLIBC_2.34, 0", "GLIBC_3.0, GLIBC_2.99, 1"})
    void compareGlibcVersions_ordersByNumberNotText(String a, String b, int sign) {
        assertThat(Integer.signum(LambdaNativeRules.compareGlibcVersions(a, b))).isEqualTo(sign);
    }

    @Test
    void compareGlibcVersions_nameThatIsNoVersion_isRejected() {
        assertThatThrownBy(() -> LambdaNativeRules.compareGlibcVersions("GLIBC_PRIVATE", "GLIBC_2.3"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("expected a version name like GLIBC_2.34, found GLIBC_PRIVATE");
    }

    @Test
    void rules_areAmazonLinux2023sGlibcAndItsBaseImageLibraries() {
        assertThat(LambdaNativeRules.MAX_GLIBC).isEqualTo("2.34");
        assertThat(LambdaNativeRules.BASE_IMAGE_LIBRARIES).containsOnlyKeys("libc.so.6",
                "libm.so.6", "libpthread.so.0", "libdl.so.2", "librt.so.1", "libmvec.so.1",
                "ld-linux-x86-64.so.2", "ld-linux-aarch64.so.1", "libutil.so.1", "libresolv.so.2",
                "libgcc_s.so.1", "libstdc++.so.6", "libz.so.1");
        assertThat(LambdaNativeRules.BASE_IMAGE_LIBRARIES).allSatisfy((library, reason) ->
                assertThat(reason).isNotBlank().doesNotContain("\n"));
        assertThat(LambdaNativeRules.BASE_IMAGE_LIBRARIES.get("libm.so.6"))
                .startsWith("part of glibc 2.34");
    }

    @Test
    void withoutAvdeviceAndPrograms_matchesOnlyWhatMediaflowLeavesOut() {
        assertThat(Set.of("libavdevice.so.61", "libavdevice.so", "libjniavdevice.so", "ffmpeg",
                "ffprobe", "libasound.so.2")).allMatch(LambdaNativeRules.withoutAvdeviceAndPrograms());
        assertThat(Set.of("libavcodec.so.61", "libjniavcodec.so", "libavutil.so.59", "ffmpeg.so",
                "libdrm.so.2", "libjniavdevice.so.bak")).noneMatch(
                        LambdaNativeRules.withoutAvdeviceAndPrograms());
    }

    @Test
    void run_fixtureNeedingGlibc235AndLibva_printsBothAndExits1() {
        // given
        Path fixture = NativeFixtures.copy(VIOLATES_GLIBC_235_AND_LIBVA, tmp);
        NativeFixtures.copy(CLEAN_LIBC_ONLY, tmp);

        // when
        Run run = run(tmp.toString());

        // then
        assertThat(run.code).isEqualTo(1);
        assertThat(run.out).contains(tmp + "/\n")
                .containsPattern("ok +x86_64 +GLIBC_2\\.2\\.5 +clean-libc-only\\.so\n")
                .containsPattern("FAIL +x86_64 +GLIBC_2\\.35 +violates-glibc-2\\.35-and-libva\\.so"
                        + " +glibc > 2\\.34: GLIBC_2\\.35 \\(libm\\.so\\.6\\); unshipped NEEDED:"
                        + " libva\\.so\\.2\n")
                .contains("  - " + fixture + ": needs libva.so.2")
                .contains("FAIL: 2 ELF files (x86_64 2), newest GLIBC_2.35 (limit 2.34),"
                        + " 0 excluded, 2 violations in 1 of 2 files (1 glibc too new, 1 NEEDED"
                        + " not provided)");
        assertThat(run.err).isEmpty();
    }

    @Test
    void run_excludingTheViolatingFile_exits0() {
        // given
        NativeFixtures.copy(VIOLATES_GLIBC_235_AND_LIBVA, tmp);
        NativeFixtures.copy(CLEAN_LIBC_ONLY, tmp);

        // when
        Run run = run("--exclude", "violates-.*", tmp.toString());

        // then
        assertThat(run.code).isZero();
        assertThat(run.out).contains("Excluded (1):")
                .contains("PASS: 1 ELF files (x86_64 1), newest GLIBC_2.2.5 (limit 2.34),"
                        + " 1 excluded, 0 violations");
    }

    @Test
    void run_badArguments_exit2() {
        assertThat(run().code).isEqualTo(2);
        assertThat(run("--exclude").code).isEqualTo(2);
        Run missing = run(tmp.resolve("missing.jar").toString());
        assertThat(missing.code).isEqualTo(2);
        assertThat(missing.err).contains("missing.jar");
    }

    private record Run(int code, String out, String err) {
    }

    private static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = LambdaNativeRules.run(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), args);
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
