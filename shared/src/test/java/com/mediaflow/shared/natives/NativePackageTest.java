package com.mediaflow.shared.natives;

import static com.mediaflow.shared.natives.NativeFixtures.CLEAN_LIBC_ONLY;
import static com.mediaflow.shared.natives.NativeFixtures.VIOLATES_GLIBC_235_AND_LIBVA;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mediaflow.shared.natives.NativeViolation.Kind;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Gathering a package's ELF files from directories, jars and zips, by content. */
class NativePackageTest {

    @TempDir
    Path tmp;

    @Test
    void collect_jarWithElfEntriesUnderAnyName_findsThemByContent() throws Exception {
        // given: natives under odd names, and a text file named like a library
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("META-INF/MANIFEST.MF", "Manifest-Version: 1.0\n".getBytes(StandardCharsets.UTF_8));
        entries.put("org/demo/linux-x86_64/", new byte[0]);
        entries.put("org/demo/linux-x86_64/libviolating.so.1", NativeFixtures.bytes(VIOLATES_GLIBC_235_AND_LIBVA));
        entries.put("org/demo/linux-x86_64/tool", NativeFixtures.bytes(CLEAN_LIBC_ONLY));
        entries.put("org/demo/linux-x86_64/libfake.so", "not ELF".getBytes(StandardCharsets.UTF_8));
        Path jar = zip(tmp.resolve("natives-linux-x86_64.jar"), entries);

        // when
        NativePackage pkg = NativePackage.collect(List.of(jar));

        // then
        assertThat(pkg.files()).extracting(NativeFile::location).containsExactly(
                jar + "!/org/demo/linux-x86_64/libviolating.so.1",
                jar + "!/org/demo/linux-x86_64/tool");
        assertThat(pkg.files()).extracting(NativeFile::name).containsExactly("libviolating.so.1", "tool");
        assertThat(pkg.files().get(0).container()).isEqualTo(jar + "!/org/demo/linux-x86_64/");
        assertThat(pkg.files().get(0).elf().needed()).containsExactly("libva.so.2", "libm.so.6", "libc.so.6");
        assertThat(pkg.files().get(0).elf().source()).isEqualTo(pkg.files().get(0).location());
    }

    @Test
    void collect_lambdaZipWithNativesInANestedJar_findsThem() throws Exception {
        // given: function.zip!/lib/natives.jar!/org/demo/libviolating.so, as a Lambda zip has them
        Path inner = zip(tmp.resolve("natives.jar"), Map.of("org/demo/libviolating.so",
                NativeFixtures.bytes(VIOLATES_GLIBC_235_AND_LIBVA)));
        Path lambdaZip = zip(tmp.resolve("function.zip"), Map.of("lib/natives.jar",
                Files.readAllBytes(inner), "com/demo/Handler.class", new byte[] {(byte) 0xca, (byte) 0xfe}));

        // when
        NativeReport report = LambdaNativeRules.check(List.of(lambdaZip));

        // then
        assertThat(report.files()).extracting(f -> f.file().location())
                .containsExactly(lambdaZip + "!/lib/natives.jar!/org/demo/libviolating.so");
        assertThat(report.violations()).extracting(NativeViolation::kind)
                .containsExactly(Kind.GLIBC_TOO_NEW, Kind.LIBRARY_NOT_PROVIDED);
    }

    @Test
    void collect_directoryWithSymlink_countsTheLinkAsAnotherNameOfItsTarget() throws Exception {
        // given: libva.so.2 -> libva.so.2.2000.0, as JavaCPP's cache links unversioned names
        NativeFixtures.copy(VIOLATES_GLIBC_235_AND_LIBVA, tmp);
        Path real = Files.move(NativeFixtures.copy(CLEAN_LIBC_ONLY, tmp), tmp.resolve("libva.so.2.2000.0"));
        Files.createSymbolicLink(tmp.resolve("libva.so.2"), real.getFileName());

        // when
        NativePackage pkg = NativePackage.collect(List.of(tmp));
        NativeReport report = LambdaNativeRules.check(pkg);

        // then: two files, the link an alias that satisfies NEEDED libva.so.2
        assertThat(pkg.files()).extracting(NativeFile::name)
                .containsExactly("libva.so.2.2000.0", "violates-glibc-2.35-and-libva.so");
        assertThat(pkg.files().get(0).aliases()).containsExactly("libva.so.2");
        assertThat(report.violations()).extracting(NativeViolation::kind)
                .containsExactly(Kind.GLIBC_TOO_NEW);
    }

    @Test
    void collect_excludedLibrary_isLeftOutAndNoLongerSatisfiesNeeded() throws Exception {
        // given
        NativeFixtures.copy(VIOLATES_GLIBC_235_AND_LIBVA, tmp);
        Files.move(NativeFixtures.copy(CLEAN_LIBC_ONLY, tmp), tmp.resolve("libva.so.2"));

        // when
        NativePackage pkg = NativePackage.collect(List.of(tmp), name -> name.startsWith("libva"));
        NativeReport report = LambdaNativeRules.check(pkg);

        // then
        assertThat(pkg.files()).extracting(NativeFile::name).containsExactly("violates-glibc-2.35-and-libva.so");
        assertThat(pkg.excluded()).containsExactly(tmp.resolve("libva.so.2").toString());
        assertThat(report.excluded()).isEqualTo(pkg.excluded());
        assertThat(report.violations()).extracting(NativeViolation::library).contains("libva.so.2");
    }

    @Test
    void collect_sameFileTwice_isOneFile() throws Exception {
        // given
        Path fixture = NativeFixtures.copy(CLEAN_LIBC_ONLY, tmp);

        // when
        NativePackage pkg = NativePackage.collect(List.of(fixture, tmp));

        // then
        assertThat(pkg.files()).hasSize(1);
    }

    @Test
    void collect_inputThatIsNeitherElfZipNorDirectory_isRejected() throws Exception {
        Path text = Files.writeString(tmp.resolve("notes.txt"), "hello");
        assertThatThrownBy(() -> NativePackage.collect(List.of(text)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(text + " is neither a directory, a jar/zip nor an ELF file");
        assertThatThrownBy(() -> NativePackage.collect(List.of(tmp.resolve("missing"))))
                .isInstanceOf(NoSuchFileException.class)
                .hasMessageContaining("missing");
    }

    @Test
    void collect_malformedElfEntry_namesTheEntry() throws Exception {
        // given
        byte[] truncated = java.util.Arrays.copyOf(NativeFixtures.bytes(CLEAN_LIBC_ONLY), 100);
        Path jar = zip(tmp.resolve("broken.jar"), Map.of("lib/libbroken.so", truncated));

        // when / then
        assertThatThrownBy(() -> NativePackage.collect(List.of(jar)))
                .isInstanceOf(ElfFormatException.class)
                .hasMessageStartingWith(jar + "!/lib/libbroken.so: section header table at offset");
    }

    private static Path zip(Path file, Map<String, byte[]> entries) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (Map.Entry<String, byte[]> entry : entries.entrySet()) {
                zip.putNextEntry(new ZipEntry(entry.getKey()));
                zip.write(entry.getValue());
                zip.closeEntry();
            }
        }
        try (OutputStream out = Files.newOutputStream(file)) {
            bytes.writeTo(out);
        }
        return file;
    }
}
