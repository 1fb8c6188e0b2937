package com.mediaflow.infra.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.mediaflow.infra.packaging.LambdaPackager.LambdaPackage;
import com.mediaflow.infra.template.Template;
import com.mediaflow.infra.template.Template.FunctionDef;
import com.mediaflow.shared.natives.ElfFile;
import com.mediaflow.shared.natives.LambdaNativeRules;
import com.mediaflow.shared.natives.NativeReport;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;

/**
 * What {@code sam build} makes of each function in template.yaml, built by hand with
 * {@link LambdaPackager} because SAM CLI is not installed here, and checked for what Lambda will
 * do with it:
 * <ul>
 *   <li>for the template's architecture: the handler is there, every native library passes the ELF
 *       rules (no symbol version above glibc 2.34, every NEEDED shipped or provided by the Lambda
 *       base image), no native sits inside a jar (nothing to extract at cold start), no
 *       libavdevice or {@code ffmpeg} program, validate, finalize, the sweeper, the upload API and the PreTraffic hook carry no {@code org.bytedeco}
 *       artifact, no test kit (no {@code mediaflow-testkit} jar, no {@code SyntheticMedia} or
 *       {@code LocalContext} class), and the package fits Lambda's 250 MB;</li>
 *   <li>the same function built for x86_64, this machine's architecture: a fresh JVM on that
 *       package alone loads every native library it ships, from the package itself, and writes
 *       no native library to its temp or cache folders.</li>
 * </ul>
 *
 * <p>The nested builds use the outer build's Maven, local repository and offline mode. The outer
 * {@code mvn verify} has already resolved every artifact they need: the function modules unpack
 * their natives (both architectures' jars are resolved by the lambda-natives execution of the
 * arm64 build, and this test's x86_64 builds use the jars the tests run on).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SamBuildIT {
    /** Lambda's limit on a deployment package, unzipped (code and layers together). */
    private static final long LAMBDA_UNZIPPED_LIMIT = 250L * 1024 * 1024;
    /** The functions that decode nothing: they must not carry JavaCV, JavaCPP or FFmpeg at all. */
    private static final Set<String> NO_CODEC_FUNCTIONS = Set.of("ValidateFunction", "FinalizeFunction", "SweeperFunction",
            "UploadApiFunction", "PreTrafficHookFunction");
    private static final Duration PROBE_TIMEOUT = Duration.ofMinutes(2);

    private Path root;
    private Template template;
    private LambdaPackager packager;
    private long startedNanos;
    private final List<String> report = new ArrayList<>();

    /** Sources, packages and zips, kept after the run for a look: infra/target/sam-build. */
    private Path scratch;

    @BeforeAll
    void installParentAndShared() throws Exception {
        startedNanos = System.nanoTime();
        String prop = System.getProperty("mediaflow.root");
        if (prop == null || prop.isBlank()) {
            fail("system property mediaflow.root is not set; expected the project root (failsafe sets it from the parent"
                    + " pom's mediaflow.root, i.e. ${maven.multiModuleProjectDirectory}); run this test through mvn verify");
        }
        root = Path.of(prop).toAbsolutePath().normalize();
        if (!Files.isRegularFile(root.resolve("template.yaml")) || !Files.isRegularFile(root.resolve("pom.xml"))) {
            fail("mediaflow.root is " + root + ", expected the project root holding pom.xml and template.yaml;"
                    + " run mvn from the project root (e.g. mvn verify -pl infra)");
        }
        template = Template.load(root.resolve("template.yaml"));
        scratch = root.resolve("infra/target/sam-build");
        packager = new LambdaPackager(root, scratch, root.resolve("infra/target/sam-build-logs"), mavenFlags());
        // The function poms resolve their parent and mediaflow-shared from the local repository, as
        // they would under SAM. In `mvn verify` the reactor has built those but not installed them.
        long t0 = System.nanoTime();
        packager.installParentAndShared();
        report.add(String.format(Locale.ROOT, "nested Maven %s; installed parent + shared in %.1f s", mavenFlags(), seconds(t0)));
    }

    @AfterAll
    void printReport() {
        report.add(String.format(Locale.ROOT, "SamBuildIT total %.1f s", seconds(startedNanos)));
        System.out.println("---- sam build (by hand) ----");
        report.forEach(line -> System.out.println("  " + line));
    }

    /** One test per function, run one after another: each build is a Maven JVM on a 2-core CI machine. */
    @TestFactory
    Stream<DynamicTest> everyFunction_samBuild_givesALambdaPackageThatLoadsOnAmazonLinux2023() {
        List<FunctionDef> functions = template.functions();
        assertThat(functions).as("AWS::Serverless::Function resources in template.yaml").isNotEmpty();
        return functions.stream().map(f -> DynamicTest.dynamicTest(f.logicalId() + " (" + f.codeUri() + ", "
                + architectureOf(f.logicalId()) + ")", () -> checkTemplatePackage(f)));
    }

    /**
     * Every layer of the template (none today): its natives must pass the same ELF rules, since
     * Lambda loads them from /opt beside the function's. A layer is checked as its ContentUri folder.
     */
    @TestFactory
    Stream<DynamicTest> everyLayer_passesTheElfRules() {
        return template.layers().stream().map(layer -> DynamicTest.dynamicTest(layer.logicalId() + " (" + layer.contentUri() + ")",
                () -> {
                    Path dir = root.resolve(layer.contentUri()).normalize();
                    assertThat(dir).as("%s ContentUri", layer.logicalId()).isDirectory();
                    NativeReport elf = LambdaNativeRules.check(List.of(dir));
                    report.add(String.format(Locale.ROOT, "%-17s layer : ELF check: %s", layer.logicalId(), elf.summary()));
                    elf.assertNoViolations();
                }));
    }

    /** The same functions built for this machine's architecture, loaded for real. */
    @TestFactory
    Stream<DynamicTest> everyFunction_x86_64Package_loadsEveryNativeFromItselfInAFreshJvm() {
        assertThat(System.getProperty("os.arch")).as("this machine's architecture; the load test runs x86_64 packages")
                .isIn("amd64", "x86_64");
        return template.functions().stream().map(f -> DynamicTest.dynamicTest(f.logicalId() + " (x86_64)",
                () -> checkLoads(f)));
    }

    private void checkTemplatePackage(FunctionDef f) throws Exception {
        long t0 = System.nanoTime();
        String id = f.logicalId();
        String arch = architectureOf(id);
        LambdaPackage pkg = packager.build(f, arch);
        Contents c = Contents.of(pkg.dir());
        report.add(String.format(Locale.ROOT,
                "%-17s %-6s: zip %5.1f MB, unzipped %5.1f MB (limit 250), %2d jars in lib/, %2d native libraries (%5.1f MB), built in %4.1f s",
                id, arch, mb(Files.size(pkg.zip())), mb(c.totalBytes), c.jars.size(), c.natives.size(), mb(c.nativeBytes),
                seconds(t0)));

        String platform = "linux-" + arch;
        String otherPlatform = arch.equals("arm64") ? "linux-x86_64" : "linux-arm64";
        String handlerEntry = f.handlerClass().replace('.', '/') + ".class";
        SoftAssertions.assertSoftly(soft -> {
            soft.assertThat(c.files).as("%s: handler %s at its package path in the zip root", id, f.handler())
                    .contains(handlerEntry);
            if (NO_CODEC_FUNCTIONS.contains(id)) {
                soft.assertThat(c.jars.stream().filter(j -> j.matches("(javacv|javacpp|ffmpeg|leptonica)-.*\\.jar")))
                        .as("%s decodes nothing: org.bytedeco jars in lib/", id).isEmpty();
                soft.assertThat(c.natives).as("%s decodes nothing: native libraries in the package", id).isEmpty();
            } else {
                soft.assertThat(c.files).as("%s: JavaCPP's natives for %s (template Architectures), unpacked", id, platform)
                        .contains("org/bytedeco/javacpp/" + platform + "/libjnijavacpp.so");
                soft.assertThat(c.files).as("%s: FFmpeg's natives for %s, unpacked", id, platform)
                        .anyMatch(n -> n.matches("org/bytedeco/ffmpeg/" + platform + "(-gpl)?/libavcodec\\.so\\.[0-9]+"));
            }
            soft.assertThat(c.files.stream().filter(n -> n.contains("/" + otherPlatform + "/") || n.contains("/" + otherPlatform + "-")))
                    .as("%s: %s natives in a %s package", id, otherPlatform, arch).isEmpty();
            soft.assertThat(c.files.stream().filter(n -> n.contains("avdevice") || n.matches(".*/(ffmpeg|ffprobe)")))
                    .as("%s: libavdevice or the ffmpeg/ffprobe programs (they link libxcb, libpulse, libasound)", id).isEmpty();
            soft.assertThat(c.nativesInJars)
                    .as("%s: native libraries inside jars, which JavaCPP would extract to /tmp at cold start", id).isEmpty();
            soft.assertThat(c.jars).as("%s: the SDK's url-connection-client in lib/", id)
                    .anyMatch(j -> j.startsWith("url-connection-client-"));
            soft.assertThat(c.jars.stream().filter(SamBuildIT::isOtherHttpClient))
                    .as("%s: other SDK HTTP clients in lib/ (STYLE: url-connection-client only; exclude netty and apache)", id)
                    .isEmpty();
            soft.assertThat(c.jars).as("%s: mediaflow-shared in lib/", id).anyMatch(j -> j.matches("mediaflow-shared-.*\\.jar"));
            soft.assertThat(c.jars).as("%s: the JSON log provider in lib/", id)
                    .anyMatch(j -> j.matches("mediaflow-lambda-logging-.*\\.jar"));
            soft.assertThat(c.jars.stream().filter(j -> j.startsWith("log4j-") || j.startsWith("logback-")))
                    .as("%s: log4j or logback in lib/ (their start-up cost about 450 ms of a cold start)", id).isEmpty();
            soft.assertThat(c.jars.stream().filter(j -> j.endsWith("-tests.jar"))).as("%s: test jars in lib/", id).isEmpty();
            soft.assertThat(c.jars.stream().filter(j -> j.startsWith("mediaflow-testkit-")))
                    .as("%s: the test kit in lib/ (a test-scope dependency only; LambdaPackagingTest reads the poms)", id)
                    .isEmpty();
            soft.assertThat(c.testkitClasses)
                    .as("%s: test-kit classes (SyntheticMedia, LocalContext) at the package root or inside its jars", id)
                    .isEmpty();
            soft.assertThat(c.totalBytes).as("%s: unzipped package size in bytes, Lambda allows %d", id, LAMBDA_UNZIPPED_LIMIT)
                    .isLessThan(LAMBDA_UNZIPPED_LIMIT);
        });
        assertElfRules(pkg);
    }

    /** The ELF check: no symbol version above glibc 2.34, every NEEDED shipped or in the Lambda base image. */
    private void assertElfRules(LambdaPackage pkg) throws IOException {
        NativeReport elf = LambdaNativeRules.check(List.of(pkg.dir()));
        report.add(String.format(Locale.ROOT, "%-17s %-6s: ELF check: %s", pkg.functionId(), pkg.arch(), elf.summary()));
        elf.assertNoViolations();
    }

    private void checkLoads(FunctionDef f) throws Exception {
        long t0 = System.nanoTime();
        LambdaPackage pkg = packager.build(f, "x86_64");
        assertElfRules(pkg);
        Contents c = Contents.of(pkg.dir());

        Path probes = Probes.writeTo(scratch.resolve("probes"));
        Path tmp = scratch.resolve("tmp-" + f.logicalId());
        LambdaPackager.deleteTree(tmp);
        Files.createDirectories(tmp);
        Path cache = tmp.resolve("javacpp");
        List<String> command = List.of(javaExecutable(),
                "-cp", probes + File.pathSeparator + pkg.classpath(),
                // only the package's own folders, as on Lambda (/var/task, /var/task/lib)
                "-Djava.library.path=" + pkg.dir() + File.pathSeparator + pkg.dir().resolve("lib"),
                "-Djava.io.tmpdir=" + tmp, "-Dorg.bytedeco.javacpp.cachedir=" + cache,
                "com.mediaflow.infra.probe.NativeLoadProbe", pkg.dir().toString());
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().remove("LD_LIBRARY_PATH");
        pb.environment().remove("JAVA_TOOL_OPTIONS");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(PROBE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
            p.destroyForcibly();
            fail("the native load probe for " + f.logicalId() + " did not finish within " + PROBE_TIMEOUT);
        }
        List<String> loaded = out.lines().filter(l -> l.startsWith("LOADED ")).map(l -> l.substring(7)).toList();
        List<String> javacpp = out.lines().filter(l -> l.startsWith("JAVACPP ")).map(l -> l.substring(l.lastIndexOf(' ') + 1)).toList();
        List<String> written = elfFilesUnder(tmp);
        report.add(String.format(Locale.ROOT, "%-17s x86_64: a fresh JVM loaded %d of %d native libraries from the package"
                + " (%d through JavaCPP), wrote %d to its temp folders, in %4.1f s",
                f.logicalId(), loaded.size(), c.natives.size(), javacpp.size(), written.size(), seconds(t0)));
        SoftAssertions.assertSoftly(soft -> {
            soft.assertThat(p.exitValue()).as("%s: the probe's exit code; its output:\n%s", f.logicalId(), out).isZero();
            soft.assertThat(loaded.stream().map(s -> pkg.dir().relativize(Path.of(s)).toString()).toList())
                    .as("%s: every native library of the package, loaded", f.logicalId())
                    .containsExactlyInAnyOrderElementsOf(c.natives);
            soft.assertThat(javacpp).as("%s: libraries JavaCPP loaded, each from the package itself", f.logicalId())
                    .allMatch(s -> s.startsWith(pkg.dir().toString()));
            soft.assertThat(written).as("%s: native libraries written under the JVM's tmpdir and JavaCPP's cachedir", f.logicalId())
                    .isEmpty();
            if (c.natives.stream().anyMatch(n -> n.endsWith("/libmediaflowjpeg.so"))) {
                soft.assertThat(out.lines().filter(l -> l.startsWith("MEDIAFLOWJPEG ")).toList())
                        .as("%s: TurboJpeg's answer whether libmediaflowjpeg loaded (in place: nothing written); output:\n%s",
                                f.logicalId(), out)
                        .containsExactly("MEDIAFLOWJPEG true");
            }
        });
    }

    /** What a package folder holds: every file's path, the jars in lib/, the ELF files, natives inside jars. */
    private record Contents(List<String> files, List<String> jars, List<String> natives, List<String> nativesInJars,
            List<String> testkitClasses, long totalBytes, long nativeBytes) {
        static Contents of(Path dir) throws IOException {
            List<String> files = new ArrayList<>();
            List<String> natives = new ArrayList<>();
            List<String> nativesInJars = new ArrayList<>();
            List<String> testkitClasses = new ArrayList<>();
            long total = 0;
            long nativeBytes = 0;
            try (Stream<Path> walk = Files.walk(dir)) {
                for (Path p : walk.filter(Files::isRegularFile).sorted().toList()) {
                    String name = dir.relativize(p).toString().replace(File.separatorChar, '/');
                    files.add(name);
                    long size = Files.size(p);
                    total += size;
                    if (ElfFile.isElf(p)) {
                        natives.add(name);
                        nativeBytes += size;
                    } else if (name.endsWith(".jar")) {
                        nativesInJars.addAll(elfEntries(p, name));
                        testkitClasses.addAll(testkitEntries(p, name));
                    }
                    if (isTestkitClass(name)) {
                        testkitClasses.add(name);
                    }
                }
            }
            List<String> jars = files.stream().filter(n -> n.startsWith("lib/") && n.endsWith(".jar"))
                    .map(n -> n.substring("lib/".length())).toList();
            return new Contents(files, jars, natives, nativesInJars, testkitClasses, total, nativeBytes);
        }
    }

    /** SyntheticMedia, LocalContext or their nested classes, in whatever package: the test kit's. */
    private static boolean isTestkitClass(String entry) {
        return entry.matches("(.*/)?(SyntheticMedia|LocalContext)(\\$[^/]*)?\\.class")
                || entry.startsWith("com/mediaflow/testkit/");
    }

    private static List<String> testkitEntries(Path jar, String name) throws IOException {
        List<String> found = new ArrayList<>();
        try (InputStream in = Files.newInputStream(jar); ZipInputStream z = new ZipInputStream(in)) {
            for (ZipEntry e = z.getNextEntry(); e != null; e = z.getNextEntry()) {
                if (isTestkitClass(e.getName())) {
                    found.add(name + "!/" + e.getName());
                }
            }
        }
        return found;
    }

    private static List<String> elfEntries(Path jar, String name) throws IOException {
        List<String> out = new ArrayList<>();
        try (InputStream in = Files.newInputStream(jar); ZipInputStream z = new ZipInputStream(in)) {
            for (ZipEntry e; (e = z.getNextEntry()) != null; ) {
                byte[] head = z.readNBytes(4);
                if (ElfFile.isElf(head)) {
                    out.add(name + "!/" + e.getName());
                }
            }
        }
        return out;
    }

    private static List<String> elfFilesUnder(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            List<String> out = new ArrayList<>();
            for (Path p : walk.filter(Files::isRegularFile).toList()) {
                if (ElfFile.isElf(p)) {
                    out.add(p.toString());
                }
            }
            return out;
        }
    }

    /** The SDK's netty and Apache HTTP clients (4 and 5) and what they bring. */
    private static boolean isOtherHttpClient(String jar) {
        return jar.startsWith("netty-nio-client-") || jar.startsWith("apache-client-") || jar.startsWith("apache5-client-")
                || jar.startsWith("netty-") || jar.startsWith("httpclient") || jar.startsWith("httpcore");
    }

    /** Template Architectures, Globals merged: [arm64] or [x86_64] (Lambda's default). */
    private String architectureOf(String functionId) {
        Object arch = template.functionProperty(functionId, "Architectures");
        List<?> archs = arch == null ? List.of("x86_64") : (List<?>) arch;
        assertThat(archs).as("%s Architectures in template.yaml", functionId).hasSize(1);
        String a = String.valueOf(archs.get(0));
        assertThat(LambdaPackager.ARCHITECTURES).as("%s Architectures in template.yaml", functionId).contains(a);
        return a;
    }

    private static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /**
     * Offline when the outer build is ({@code mvn -o verify}). Otherwise online, but without snapshot
     * updates ({@code -nsu}): the parent and mediaflow-shared come from what this test just installed.
     * Online matters on a fresh CI machine: {@code mvn verify} resolves every dependency of the
     * function poms, but never the clean and install plugins that {@code mvn clean install} needs,
     * so {@code -o} would fail there. The nested builds use the outer build's local repository.
     */
    private static List<String> mavenFlags() {
        List<String> flags = new ArrayList<>();
        flags.add("offline=true".equals(System.getProperty("mediaflow.maven.mode")) ? "-o" : "-nsu");
        String repo = System.getProperty("maven.repo.local");
        if (repo != null && !repo.isBlank()) {
            flags.add("-Dmaven.repo.local=" + repo);
        }
        return flags;
    }

    private static double mb(long bytes) {
        return bytes / (1024.0 * 1024.0);
    }

    private static double seconds(long sinceNanos) {
        return (System.nanoTime() - sinceNanos) / 1e9;
    }
}
