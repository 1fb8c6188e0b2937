package com.mediaflow.shared.natives;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Whether native libraries load on AWS Lambda: the rules, the check of a package of ELF files,
 * and a command line that prints a readelf-like report.
 *
 * <p>A package passes when every ELF file in it
 * <ol>
 *   <li>needs no GLIBC_x.y symbol version newer than {@link #MAX_GLIBC}, and
 *   <li>has every DT_NEEDED library either in the package (by file name, symbolic-link name or
 *       SONAME of an ELF file for the same machine) or in {@link #BASE_IMAGE_LIBRARIES}.
 * </ol>
 *
 * <p>Command line (needs nothing but the JDK and shared's test classes):
 * <pre>
 * java -cp shared/target/test-classes com.mediaflow.shared.natives.LambdaNativeRules \
 *     [--without-avdevice] [--exclude REGEX]... JAR-ZIP-DIR-OR-ELF...
 * </pre>
 * All arguments form one package. Exit code 0 when it passes, 1 on violations, 2 on a usage or
 * read error.
 */
public final class LambdaNativeRules {

    /**
     * The newest glibc on AWS Lambda: the java21 and java25 runtimes (and the provided.al2023 one)
     * run on Amazon Linux 2023, which ships glibc 2.34. A library that needs a GLIBC_2.35 symbol
     * fails there with "version `GLIBC_2.35' not found".
     */
    public static final String MAX_GLIBC = "2.34";

    /**
     * Libraries the Lambda base image (Amazon Linux 2023) provides, by SONAME, with the reason
     * each may be left out of a package. Everything else a native needs must be shipped.
     */
    public static final Map<String, String> BASE_IMAGE_LIBRARIES = baseImageLibraries();

    /**
     * File names of the natives Mediaflow's Lambda packages leave out: libavdevice and its JNI
     * library (capture devices; it links libxcb, libxcb-shm, libpulse and libasound, which Lambda
     * lacks, and JavaCV's FFmpegFrameGrabber/Recorder load it in a try that ignores its failure),
     * libasound (only libavdevice needs it) and the ffmpeg and ffprobe programs (never run).
     */
    public static final Pattern AVDEVICE_AND_PROGRAMS = Pattern.compile(
            "libavdevice\\.so(\\..*)?|libjniavdevice\\.so|libasound\\.so(\\..*)?|ffmpeg|ffprobe");

    private static final Pattern GLIBC_VERSION = Pattern.compile("GLIBC_(\\d+(?:\\.\\d+)*)");

    private LambdaNativeRules() {
    }

    private static Map<String, String> baseImageLibraries() {
        String glibc = "part of glibc " + MAX_GLIBC + " in Amazon Linux 2023";
        Map<String, String> libraries = new LinkedHashMap<>();
        libraries.put("libc.so.6", glibc);
        libraries.put("libm.so.6", glibc);
        libraries.put("libpthread.so.0", glibc + " (a stub since 2.34)");
        libraries.put("libdl.so.2", glibc + " (a stub since 2.34)");
        libraries.put("librt.so.1", glibc);
        libraries.put("libutil.so.1", glibc + " (a stub since 2.34)");
        libraries.put("libresolv.so.2", glibc);
        libraries.put("libmvec.so.1", glibc + " (vector math, x86_64 and aarch64)");
        libraries.put("ld-linux-x86-64.so.2", glibc + " (the x86_64 dynamic loader)");
        libraries.put("ld-linux-aarch64.so.1", glibc + " (the arm64 dynamic loader)");
        libraries.put("libgcc_s.so.1", "GCC's runtime (package libgcc), which glibc itself needs"
                + " for unwinding and every image has");
        libraries.put("libstdc++.so.6", "GCC's C++ runtime (package libstdc++), in the Lambda"
                + " base image; JavaCPP's own JNI libraries need it everywhere");
        libraries.put("libz.so.1", "zlib (package zlib), in the Lambda base image");
        return Collections.unmodifiableMap(libraries);
    }

    /** Collects {@code inputs} (directories, jars/zips, ELF files) as one package and checks it. */
    public static NativeReport check(Collection<Path> inputs) throws IOException {
        return check(NativePackage.collect(inputs));
    }

    /** Like {@link #check(Collection)}, leaving out the ELF files whose name {@code exclude} accepts. */
    public static NativeReport check(Collection<Path> inputs, Predicate<String> exclude)
            throws IOException {
        return check(NativePackage.collect(inputs, exclude));
    }

    /** Checks every file of {@code pkg} against the rules; see the class comment. */
    public static NativeReport check(NativePackage pkg) {
        Map<String, Set<String>> shipped = new HashMap<>();
        for (NativeFile file : pkg.files()) {
            Set<String> names = shipped.computeIfAbsent(platform(file.elf()), p -> new HashSet<>());
            names.add(file.name());
            names.addAll(file.aliases());
            file.elf().soname().ifPresent(names::add);
        }
        List<NativeReport.FileResult> results = new ArrayList<>();
        for (NativeFile file : pkg.files()) {
            List<NativeViolation> violations = new ArrayList<>();
            Optional<String> newest = Optional.empty();
            for (ElfFile.VersionNeed need : new LinkedHashSet<>(file.elf().versionNeeds())) {
                Optional<String> number = glibcNumber(need.version());
                if (number.isEmpty()) {
                    continue; // GLIBCXX_, CXXABI_, GLIBC_PRIVATE, a shipped library's own versions
                }
                if (newest.isEmpty()
                        || compareGlibcVersions(need.version(), newest.get()) > 0) {
                    newest = Optional.of(need.version());
                }
                if (compareGlibcNumbers(number.get(), MAX_GLIBC) > 0) {
                    violations.add(NativeViolation.glibcTooNew(file.location(), need.file(),
                            need.version()));
                }
            }
            Set<String> available = shipped.getOrDefault(platform(file.elf()), Set.of());
            List<String> unshipped = new ArrayList<>();
            for (String library : new LinkedHashSet<>(file.elf().needed())) {
                if (!available.contains(library) && !BASE_IMAGE_LIBRARIES.containsKey(library)) {
                    unshipped.add(library);
                    violations.add(NativeViolation.notProvided(file.location(), library));
                }
            }
            results.add(new NativeReport.FileResult(file, newest, unshipped, violations));
        }
        return new NativeReport(results, pkg.excluded());
    }

    /**
     * Checks {@code inputs} as one package without the files {@code exclude} accepts, and throws a
     * {@link NativeViolationsError} listing every violation unless there is none.
     */
    public static NativeReport assertLoadableOnLambda(Collection<Path> inputs,
            Predicate<String> exclude) throws IOException {
        NativeReport report = check(inputs, exclude);
        report.assertNoViolations();
        return report;
    }

    /** The natives of Mediaflow's packages: every file except {@link #AVDEVICE_AND_PROGRAMS}. */
    public static Predicate<String> withoutAvdeviceAndPrograms() {
        return name -> AVDEVICE_AND_PROGRAMS.matcher(name).matches();
    }

    /** "2.35" for GLIBC_2.35; empty for names that are not a numbered glibc version. */
    public static Optional<String> glibcNumber(String versionName) {
        Matcher m = GLIBC_VERSION.matcher(versionName);
        return m.matches() ? Optional.of(m.group(1)) : Optional.empty();
    }

    /** Orders GLIBC_x.y names numerically: GLIBC_2.9 &lt; GLIBC_2.17 &lt; GLIBC_2.34. */
    public static int compareGlibcVersions(String a, String b) {
        return compareGlibcNumbers(
                glibcNumber(a).orElseThrow(() -> notAVersion(a)),
                glibcNumber(b).orElseThrow(() -> notAVersion(b)));
    }

    /** Orders dotted numbers numerically, missing parts as 0: 2.9 &lt; 2.17 &lt; 2.34 = 2.34.0. */
    public static int compareGlibcNumbers(String a, String b) {
        String[] x = a.split("\\.");
        String[] y = b.split("\\.");
        for (int i = 0; i < Math.max(x.length, y.length); i++) {
            long p = i < x.length ? Long.parseLong(x[i]) : 0;
            long q = i < y.length ? Long.parseLong(y[i]) : 0;
            if (p != q) {
                return Long.compare(p, q);
            }
        }
        return 0;
    }

    private static IllegalArgumentException notAVersion(String name) {
        return new IllegalArgumentException("expected a version name like GLIBC_2.34, found "
                + name);
    }

    /** Files for another machine or class never satisfy each other's NEEDED. */
    private static String platform(ElfFile elf) {
        return elf.machineName() + "/" + elf.bits();
    }

    /** Prints the report for the arguments (see the class comment) and exits 0, 1 or 2. */
    public static void main(String... args) {
        System.exit(run(System.out, System.err, args));
    }

    /** {@link #main} without the exit: returns the exit code. */
    public static int run(PrintStream out, PrintStream err, String... args) {
        List<Path> inputs = new ArrayList<>();
        List<Pattern> excludes = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--without-avdevice" -> excludes.add(AVDEVICE_AND_PROGRAMS);
                case "--exclude" -> {
                    if (i + 1 == args.length) {
                        err.println("--exclude needs a regular expression for file names");
                        return 2;
                    }
                    excludes.add(Pattern.compile(args[++i]));
                }
                case "-h", "--help" -> {
                    out.println(usage());
                    return 0;
                }
                default -> inputs.add(Path.of(args[i]));
            }
        }
        if (inputs.isEmpty()) {
            err.println(usage());
            return 2;
        }
        NativeReport report;
        try {
            report = check(inputs, name -> excludes.stream().anyMatch(p -> p.matcher(name).matches()));
        } catch (IOException | RuntimeException e) {
            err.println("cannot check " + inputs + ": " + e);
            return 2;
        }
        out.println("Natives of " + inputs + (excludes.isEmpty() ? "" : " without " + excludes)
                + " for AWS Lambda (glibc <= " + MAX_GLIBC + "):");
        out.print(report.format());
        return report.passes() ? 0 : 1;
    }

    private static String usage() {
        return "usage: LambdaNativeRules [--without-avdevice] [--exclude FILE-NAME-REGEX]..."
                + " JAR-ZIP-DIR-OR-ELF...\n"
                + "  checks the ELF files of the arguments, as one package, for AWS Lambda:"
                + " GLIBC_x.y <= " + MAX_GLIBC + ", every NEEDED library shipped or in the base"
                + " image; exit 0 pass, 1 violations, 2 error\n"
                + "  --without-avdevice  leaves out " + AVDEVICE_AND_PROGRAMS.pattern();
    }
}
