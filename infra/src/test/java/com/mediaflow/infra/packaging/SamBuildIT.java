package com.mediaflow.infra.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.mediaflow.infra.template.Template;
import com.mediaflow.infra.template.Template.FunctionDef;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code sam build} does for each function of template.yaml, done by hand because SAM CLI is
 * not installed here: copy only the function's CodeUri folder to a scratch directory, build it there
 * on its own with Maven (SAM's Java Maven workflow), copy its runtime dependencies, and lay out the
 * Lambda zip (classes at the root, jars under {@code lib/}). Then check the zip is what AWS would
 * run: the handler is there, the natives match the template's Architectures, no heavy HTTP client,
 * and it fits Lambda's 250 MB unzipped limit.
 *
 * <p>The nested builds use the outer build's Maven, local repository and offline mode (see
 * {@link #offlineFlag()}). The outer {@code mvn verify} has already resolved every dependency the
 * function poms declare, including the {@code linux-arm64} natives: the function modules declare
 * them in runtime scope, so they are on their test classpath.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SamBuildIT {
    /** Lambda's limit on a deployment package, unzipped (code and layers together). */
    private static final long LAMBDA_UNZIPPED_LIMIT = 250L * 1024 * 1024;
    private static final Duration PROCESS_TIMEOUT = Duration.ofMinutes(10);
    private static final int LOG_TAIL_LINES = 60;

    private Path root;
    private Template template;
    private Path logs;
    private long startedNanos;
    private final List<String> report = new ArrayList<>();

    @TempDir
    Path scratch;

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
        logs = Files.createDirectories(root.resolve("infra/target/sam-build-logs"));

        // The function poms resolve their parent and mediaflow-shared from the local repository, as
        // they would under SAM. In `mvn verify` the reactor has built those but not installed them.
        long t0 = System.nanoTime();
        Files.deleteIfExists(logs.resolve("install-parent.log"));
        Files.deleteIfExists(logs.resolve("install-shared.log"));
        mvn(root, logs.resolve("install-parent.log"), "-DskipTests", "install", "-N");
        mvn(root, logs.resolve("install-shared.log"), "-DskipTests", "install", "-pl", "shared");
        report.add(String.format(Locale.ROOT, "nested Maven %s; installed parent + shared in %.1f s", offlineFlag(), seconds(t0)));
    }

    @AfterAll
    void printReport() {
        report.add(String.format(Locale.ROOT, "SamBuildIT total %.1f s", seconds(startedNanos)));
        System.out.println("---- sam build (by hand) ----");
        report.forEach(line -> System.out.println("  " + line));
    }

    /** One test per function, run one after another: each build is a Maven JVM on a 2-core CI machine. */
    @TestFactory
    Stream<DynamicTest> everyFunction_samBuild_givesAnArchitectureCorrectLambdaZip() {
        List<FunctionDef> functions = template.functions();
        assertThat(functions).as("AWS::Serverless::Function resources in template.yaml").isNotEmpty();
        return functions.stream().map(f -> DynamicTest.dynamicTest(f.logicalId() + " (" + f.codeUri() + ")", () -> buildAndCheck(f)));
    }

    private void buildAndCheck(FunctionDef f) throws Exception {
        long t0 = System.nanoTime();
        String id = f.logicalId();
        Path codeUri = root.resolve(f.codeUri()).normalize();
        assertThat(codeUri).as("%s CodeUri %s", id, f.codeUri()).isDirectory();
        assertThat(codeUri.resolve("pom.xml")).as("%s CodeUri must hold a pom.xml for SAM's Maven workflow", id).isRegularFile();

        // 1. Only the CodeUri folder, as SAM copies it; not the reactor, not a stale target/. Two levels
        //    deep so the poms' <relativePath>../../pom.xml</relativePath> finds nothing and the parent
        //    comes from the local repository, exactly as on a SAM build host.
        Path source = scratch.resolve("src").resolve(id);
        copyTree(codeUri, source);

        // 2. SAM runs `mvn clean install` then `mvn dependency:copy-dependencies -DincludeScope=runtime`.
        //    Tests are skipped here to keep CI time low: the reactor build has already run them.
        Path log = logs.resolve(id + ".log");
        Files.deleteIfExists(log);
        mvn(source, log, "clean", "install", "-DskipTests");
        mvn(source, log, "dependency:copy-dependencies", "-DincludeScope=runtime", "-DoutputDirectory=target/dependency");

        // 3. The zip SAM uploads: classes at the root, runtime jars under lib/.
        Path zip = scratch.resolve("artifacts").resolve(id + ".zip");
        assemble(source.resolve("target/classes"), source.resolve("target/dependency"), zip);

        // 4. Is it what Lambda would run?
        List<String> entries = new ArrayList<>();
        long unzipped = 0;
        long nativesUnpacked = 0;
        try (ZipFile z = new ZipFile(zip.toFile())) {
            for (var e = z.entries(); e.hasMoreElements(); ) {
                ZipEntry entry = e.nextElement();
                entries.add(entry.getName());
                unzipped += entry.getSize();
                if (entry.getName().startsWith("lib/") && entry.getName().matches(".*-linux-[^/]*\\.jar")) {
                    try (InputStream in = z.getInputStream(entry)) {
                        nativesUnpacked += unpackedSize(in);
                    }
                }
            }
        }
        List<String> jars = entries.stream().filter(n -> n.startsWith("lib/") && n.endsWith(".jar"))
                .map(n -> n.substring("lib/".length())).sorted().toList();

        String platform = platformOf(id);
        String otherPlatform = platform.equals("linux-arm64") ? "linux-x86_64" : "linux-arm64";
        report.add(String.format(Locale.ROOT,
                "%-17s %s: zip %5.1f MB, unzipped %5.1f MB (limit 250), %d jars in lib/, natives JavaCPP unpacks to /tmp %5.1f MB, built in %4.1f s",
                id, platform, mb(Files.size(zip)), mb(unzipped), jars.size(), mb(nativesUnpacked), seconds(t0)));

        // Every check runs, so one failure does not hide the others.
        String handlerEntry = f.handlerClass().replace('.', '/') + ".class";
        long total = unzipped;
        SoftAssertions.assertSoftly(soft -> {
            soft.assertThat(entries).as("%s: handler %s at its package path in the zip root", id, f.handler())
                    .contains(handlerEntry);
            soft.assertThat(jars).as("%s: JavaCPP natives for %s (template Architectures) in lib/", id, platform)
                    .anyMatch(j -> j.matches("javacpp-.*-" + platform + "\\.jar"));
            soft.assertThat(jars).as("%s: FFmpeg natives for %s (template Architectures) in lib/", id, platform)
                    .anyMatch(j -> j.matches("ffmpeg-.*-" + platform + "(-gpl)?\\.jar"));
            soft.assertThat(jars.stream().filter(j -> j.contains("-" + otherPlatform)))
                    .as("%s: %s natives in a %s package", id, otherPlatform, platform).isEmpty();
            soft.assertThat(jars).as("%s: the SDK's url-connection-client in lib/", id)
                    .anyMatch(j -> j.startsWith("url-connection-client-"));
            soft.assertThat(jars.stream().filter(SamBuildIT::isOtherHttpClient))
                    .as("%s: other SDK HTTP clients in lib/ (STYLE: url-connection-client only; exclude netty and apache)", id)
                    .isEmpty();
            soft.assertThat(jars).as("%s: mediaflow-shared in lib/", id).anyMatch(j -> j.matches("mediaflow-shared-.*\\.jar"));
            soft.assertThat(jars.stream().filter(j -> j.endsWith("-tests.jar"))).as("%s: test jars in lib/", id).isEmpty();
            soft.assertThat(total).as("%s: unzipped package size in bytes, Lambda allows %d", id, LAMBDA_UNZIPPED_LIMIT)
                    .isLessThan(LAMBDA_UNZIPPED_LIMIT);
        });
    }

    /** The SDK's netty and Apache HTTP clients (4 and 5) and what they bring. */
    private static boolean isOtherHttpClient(String jar) {
        return jar.startsWith("netty-nio-client-") || jar.startsWith("apache-client-") || jar.startsWith("apache5-client-")
                || jar.startsWith("netty-") || jar.startsWith("httpclient") || jar.startsWith("httpcore");
    }

    /** Template Architectures, Globals merged: [arm64] or [x86_64] (Lambda's default) to a JavaCPP platform. */
    private String platformOf(String functionId) {
        Object arch = template.functionProperty(functionId, "Architectures");
        List<?> archs = arch == null ? List.of("x86_64") : (List<?>) arch;
        assertThat(archs).as("%s Architectures in template.yaml", functionId).hasSize(1);
        return switch (String.valueOf(archs.get(0))) {
            case "arm64" -> "linux-arm64";
            case "x86_64" -> "linux-x86_64";
            default -> throw new AssertionError(functionId + " Architectures is " + archs + ", expected [arm64] or [x86_64]");
        };
    }

    // ------------------------------------------------------------------ Maven

    private static String mvnExecutable() {
        String home = System.getProperty("maven.home");
        if (home != null && !home.isBlank()) {
            Path mvn = Path.of(home, "bin", "mvn");
            if (Files.isExecutable(mvn)) {
                return mvn.toString();
            }
        }
        return "mvn";
    }

    /**
     * Offline when the outer build is ({@code mvn -o verify}). Otherwise online, but without snapshot
     * updates ({@code -nsu}): the parent and mediaflow-shared come from what this test just installed.
     * Online matters on a fresh CI machine: {@code mvn verify} resolves every dependency of the
     * function poms, the linux-arm64 natives included, but never the clean and install plugins that
     * {@code mvn clean install} needs, so {@code -o} would fail there.
     */
    private static String offlineFlag() {
        return "offline=true".equals(System.getProperty("mediaflow.maven.mode")) ? "-o" : "-nsu";
    }

    /** Runs Maven in batch mode, quietly, with a timeout; its output goes to {@code log}. */
    private static void mvn(Path dir, Path log, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(mvnExecutable(), offlineFlag(), "-q", "-B"));
        // Build with the same local repository as the outer build (failsafe passes it on).
        String repo = System.getProperty("maven.repo.local");
        if (repo != null && !repo.isBlank()) {
            command.add("-Dmaven.repo.local=" + repo);
        }
        command.addAll(List.of(args));
        Files.writeString(log, "\n$ (cd " + dir + " && " + String.join(" ", command) + ")\n", StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        Process p = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        if (!p.waitFor(PROCESS_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            fail("`" + String.join(" ", command) + "` in " + dir + " did not finish within " + PROCESS_TIMEOUT.toMinutes()
                    + " min; log " + log + ", its tail:\n" + tail(log));
        }
        if (p.exitValue() != 0) {
            fail("`" + String.join(" ", command) + "` in " + dir + " exited with " + p.exitValue() + ", expected 0; log "
                    + log + ", its tail:\n" + tail(log));
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size()));
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e + ")";
        }
    }

    // ------------------------------------------------------------------ files

    /** Copies a CodeUri folder as SAM does, leaving out build output. */
    private static void copyTree(Path from, Path to) throws IOException {
        Files.walkFileTree(from, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                if (dir.equals(from.resolve("target"))) {
                    return FileVisitResult.SKIP_SUBTREE;
                }
                Files.createDirectories(to.resolve(from.relativize(dir).toString()));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.copy(file, to.resolve(from.relativize(file).toString()), StandardCopyOption.COPY_ATTRIBUTES);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /** The layout of SAM's Java Maven workflow: target/classes at the root, target/dependency/*.jar under lib/. */
    private static void assemble(Path classes, Path dependencies, Path zip) throws IOException {
        assertThat(classes).as("compiled classes after mvn install").isDirectory();
        assertThat(dependencies).as("runtime dependencies after dependency:copy-dependencies").isDirectory();
        Files.createDirectories(zip.getParent());
        try (OutputStream out = Files.newOutputStream(zip); ZipOutputStream z = new ZipOutputStream(out)) {
            List<Path> files;
            try (Stream<Path> walk = Files.walk(classes)) {
                files = walk.filter(Files::isRegularFile).sorted(Comparator.naturalOrder()).toList();
            }
            for (Path file : files) {
                put(z, classes.relativize(file).toString().replace(File.separatorChar, '/'), file);
            }
            try (Stream<Path> list = Files.list(dependencies)) {
                files = list.filter(p -> p.toString().endsWith(".jar")).sorted().toList();
            }
            for (Path jar : files) {
                put(z, "lib/" + jar.getFileName(), jar);
            }
        }
    }

    private static void put(ZipOutputStream z, String name, Path file) throws IOException {
        z.putNextEntry(new ZipEntry(name));
        Files.copy(file, z);
        z.closeEntry();
    }

    /** The bytes a jar holds once extracted: what JavaCPP writes to its cache dir at first use. */
    private static long unpackedSize(InputStream jar) throws IOException {
        long total = 0;
        byte[] buf = new byte[1 << 16];
        try (ZipInputStream in = new ZipInputStream(jar)) {
            while (in.getNextEntry() != null) {
                for (int n; (n = in.read(buf)) > 0; ) {
                    total += n;
                }
            }
        }
        return total;
    }

    private static double mb(long bytes) {
        return bytes / (1024.0 * 1024.0);
    }

    private static double seconds(long sinceNanos) {
        return (System.nanoTime() - sinceNanos) / 1e9;
    }
}
