package com.mediaflow.shared.natives;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.net.JarURLConnection;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avfilter;
import org.bytedeco.ffmpeg.global.avformat;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.ffmpeg.global.swresample;
import org.bytedeco.ffmpeg.global.swscale;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.leptonica.global.leptonica;
import org.junit.jupiter.api.Test;

/**
 * The project's own natives (JavaCPP, FFmpeg, Leptonica at the versions of the root pom, x86_64
 * as on shared's test classpath) pass the Lambda rules. The arm64 jars are not on this classpath;
 * infra's packaging test checks the arm64 package.
 *
 * <p>Never loads libavdevice or runs the ffmpeg program: libavdevice links libxcb, libpulse and
 * libasound, which bare machines (and Lambda) lack.
 */
class ProjectNativesTest {

    @Test
    void check_nativesJavaCppLoadsForFfmpegAndLeptonica_passTheLambdaRules() throws Exception {
        // given: the natives JavaCPP actually loads, and everything beside them
        for (Class<?> preset : List.of(avutil.class, swresample.class, avcodec.class,
                avformat.class, swscale.class, avfilter.class, leptonica.class)) {
            assertThat(Loader.load(preset)).as("JavaCPP loads %s", preset.getSimpleName()).isNotNull();
        }
        Set<Path> folders = new LinkedHashSet<>();
        for (String loaded : Loader.getLoadedLibraries().values()) {
            Path file = Path.of(loaded);
            if (file.isAbsolute() && Files.isRegularFile(file)) {
                folders.add(file.getParent());
            }
        }

        // when: the folders as one package, without avdevice (which other tests' FFmpegFrameGrabber
        // may have had JavaCPP extract) and the programs
        NativeReport report = LambdaNativeRules.check(folders,
                LambdaNativeRules.withoutAvdeviceAndPrograms());

        // then
        assertThat(folders).as("folders of %s", Loader.getLoadedLibraries()).isNotEmpty();
        assertThat(report.files()).extracting(f -> f.file().name()).anySatisfy(n -> assertThat(n).startsWith("libavcodec.so."))
                .anySatisfy(n -> assertThat(n).startsWith("libavutil.so."))
                .anySatisfy(n -> assertThat(n).startsWith("libleptonica.so."))
                .contains("libjniavcodec.so", "libjniavfilter.so", "libjnileptonica.so", "libjnijavacpp.so");
        assertThat(report.files()).allSatisfy(f -> assertThat(f.file().elf().machineName())
                .isEqualTo(machineOfThisJvm()));
        report.assertNoViolations();
        NativeReport.FileResult libavutil = report.files().stream()
                .filter(f -> f.file().name().startsWith("libavutil.so.")).findFirst().orElseThrow();
        if (libavutil.file().elf().machine() == ElfFile.EM_X86_64) {
            assertThat(libavutil.file().elf().needed()).as("libavutil's VAAPI/DRM hwcontext")
                    .contains("libdrm.so.2");
        }
    }

    @Test
    void check_nativeJarsOnTheTestClasspath_passWithoutAvdeviceAndPrograms() throws Exception {
        // given
        List<Path> jars = nativeJarsOnTheClasspath();

        // when
        NativeReport report = LambdaNativeRules.check(jars,
                LambdaNativeRules.withoutAvdeviceAndPrograms());

        // then
        assertThat(report.files()).hasSizeGreaterThan(15);
        assertThat(report.excluded()).extracting(e -> e.substring(e.lastIndexOf('/') + 1))
                .contains("libjniavdevice.so", "ffmpeg", "ffprobe")
                .anySatisfy(n -> assertThat(n).startsWith("libavdevice.so."));
        report.assertNoViolations();
        assertThat(report.newestGlibc()).hasValueSatisfying(v -> assertThat(
                LambdaNativeRules.compareGlibcVersions(v, "GLIBC_" + LambdaNativeRules.MAX_GLIBC))
                .isLessThanOrEqualTo(0));
    }

    @Test
    void check_nativeJarsOnTheTestClasspathWhole_failOnlyForAvdeviceAndPrograms() throws Exception {
        // given
        List<Path> jars = nativeJarsOnTheClasspath();

        // when
        NativeReport report = LambdaNativeRules.check(jars);

        // then: libavdevice needs libxcb, libpulse, libasound...: why Mediaflow leaves it out
        assertThat(report.violations()).isNotEmpty()
                .allSatisfy(v -> assertThat(v.location().substring(v.location().lastIndexOf('/') + 1))
                        .matches(LambdaNativeRules.AVDEVICE_AND_PROGRAMS));
        assertThat(report.violations()).extracting(NativeViolation::library)
                .contains("libxcb.so.1", "libpulse.so.0");
    }

    /** The x86_64 jars of JavaCPP, FFmpeg (gpl) and Leptonica that shared's tests run with. */
    private static List<Path> nativeJarsOnTheClasspath() throws Exception {
        List<Path> jars = new ArrayList<>();
        for (String resource : List.of("org/bytedeco/javacpp/linux-x86_64/libjnijavacpp.so",
                "org/bytedeco/ffmpeg/linux-x86_64-gpl/libjniavutil.so",
                "org/bytedeco/leptonica/linux-x86_64/libjnileptonica.so")) {
            URL url = ProjectNativesTest.class.getClassLoader().getResource(resource);
            assertThat(url).as("%s on the test classpath", resource).isNotNull();
            assertThat(url.getProtocol()).as("%s", url).isEqualTo("jar");
            jars.add(new File(((JarURLConnection) url.openConnection()).getJarFileURL().toURI())
                    .toPath());
        }
        return jars;
    }

    private static String machineOfThisJvm() {
        String arch = System.getProperty("os.arch");
        return arch.equals("amd64") || arch.equals("x86_64") ? "x86_64"
                : arch.equals("aarch64") ? "aarch64" : arch;
    }
}
