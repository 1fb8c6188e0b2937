package com.mediaflow.infra.packaging;

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
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Builds a function's Lambda package as {@code sam build} does, without SAM CLI: copy only the
 * function's CodeUri folder, build it there on its own with Maven ({@code mvn clean install}, then
 * {@code dependency:copy-dependencies -DincludeScope=runtime}), and lay out the zip: classes at the
 * root, runtime jars under {@code lib/}. The natives of the functions that use FFmpeg come unpacked
 * in their classes (the parent pom's {@code lambda-natives} execution), for the architecture given.
 *
 * <p>The package is also left unzipped in a folder, which is what Lambda runs from
 * ({@code /var/task}); the packaging tests and {@code bench/run coldstart} start JVMs on it.
 */
public final class LambdaPackager {
    /** Lambda's two architectures, as the template and the {@code lambda.arch} property name them. */
    public static final List<String> ARCHITECTURES = List.of("arm64", "x86_64");

    private static final Duration PROCESS_TIMEOUT = Duration.ofMinutes(10);
    private static final int LOG_TAIL_LINES = 60;

    /** One built package: the zip Lambda would be given, and the same files unzipped. */
    public record LambdaPackage(String functionId, String arch, Path zip, Path dir) {
        /** The class path Lambda's Java runtime gives this package: the root, then every jar in lib/. */
        public String classpath() {
            return dir + File.pathSeparator + dir.resolve("lib") + File.separator + "*";
        }
    }

    private final Path root;
    private final Path work;
    private final Path logs;
    private final List<String> mavenFlags;

    /**
     * @param root the project root (pom.xml, template.yaml)
     * @param work scratch folder for the copied sources, the packages and the zips
     * @param logs where each Maven run's output goes
     * @param mavenFlags extra flags for every Maven run, e.g. {@code -o} or {@code -nsu},
     *     {@code -Dmaven.repo.local=...}
     */
    public LambdaPackager(Path root, Path work, Path logs, List<String> mavenFlags) {
        this.root = root;
        this.work = work;
        this.logs = logs;
        this.mavenFlags = List.copyOf(mavenFlags);
    }

    /**
     * Installs the parent pom, mediaflow-shared, mediaflow-lambda-logging and mediaflow-testkit into
     * the local repository, as a SAM build host needs them (the function poms resolve them from
     * there; the test kit for their test class path only, never their packages).
     */
    public void installParentAndShared() throws IOException, InterruptedException {
        Files.createDirectories(logs);
        mvn(root, logs.resolve("install-parent.log"), "-DskipTests", "install", "-N");
        // logging/ and testkit/ are absent from checkouts older than them (a baseline for bench/run coldstart)
        String modules = "shared";
        for (String module : List.of("logging", "testkit")) {
            if (Files.isDirectory(root.resolve(module))) {
                modules += "," + module;
            }
        }
        mvn(root, logs.resolve("install-shared.log"), "-DskipTests", "install", "-pl", modules);
    }

    /** Builds {@code function}'s package for {@code arch} (arm64 or x86_64). */
    public LambdaPackage build(FunctionDef function, String arch) throws IOException, InterruptedException {
        if (!ARCHITECTURES.contains(arch)) {
            throw new IllegalArgumentException("expected a Lambda architecture " + ARCHITECTURES + ", found " + arch);
        }
        String name = function.logicalId() + "-" + arch;
        Path codeUri = root.resolve(function.codeUri()).normalize();
        if (!Files.isRegularFile(codeUri.resolve("pom.xml"))) {
            throw new IllegalStateException(function.logicalId() + ": CodeUri " + function.codeUri()
                    + " must hold a pom.xml for SAM's Maven workflow, found none in " + codeUri);
        }
        // Two levels deep, so that the poms' <relativePath>../../pom.xml</relativePath> finds nothing
        // and the parent comes from the local repository, exactly as on a SAM build host.
        Path source = work.resolve("src").resolve(name);
        deleteTree(source);
        copyTree(codeUri, source);

        Path log = logs.resolve(name + ".log");
        Files.createDirectories(logs);
        Files.deleteIfExists(log);
        mvn(source, log, "clean", "install", "-DskipTests", "-Dlambda.arch=" + arch);
        mvn(source, log, "dependency:copy-dependencies", "-DincludeScope=runtime", "-DoutputDirectory=target/dependency");

        Path dir = work.resolve("pkg").resolve(name);
        deleteTree(dir);
        copyTree(source.resolve("target/classes"), dir);
        Path lib = Files.createDirectories(dir.resolve("lib"));
        Path dependencies = source.resolve("target/dependency");
        if (Files.isDirectory(dependencies)) {
            try (Stream<Path> jars = Files.list(dependencies)) {
                for (Path jar : jars.filter(p -> p.toString().endsWith(".jar")).toList()) {
                    Files.copy(jar, lib.resolve(jar.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        Path zip = work.resolve("zip").resolve(name + ".zip");
        zip(dir, zip);
        return new LambdaPackage(function.logicalId(), arch, zip, dir);
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

    /** Runs Maven in batch mode, quietly, with a timeout; its output goes to {@code log}. */
    private void mvn(Path dir, Path log, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(mvnExecutable(), "-q", "-B"));
        command.addAll(mavenFlags);
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
            throw new IllegalStateException("`" + String.join(" ", command) + "` in " + dir + " did not finish within "
                    + PROCESS_TIMEOUT.toMinutes() + " min; log " + log + ", its tail:\n" + tail(log));
        }
        if (p.exitValue() != 0) {
            throw new IllegalStateException("`" + String.join(" ", command) + "` in " + dir + " exited with "
                    + p.exitValue() + ", expected 0; log " + log + ", its tail:\n" + tail(log));
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

    /** Copies a folder as SAM copies a CodeUri, leaving out its build output. */
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

    /** Deletes a folder and everything in it; nothing when it does not exist. */
    public static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private static void zip(Path dir, Path zip) throws IOException {
        Files.createDirectories(zip.getParent());
        List<Path> files;
        try (Stream<Path> walk = Files.walk(dir)) {
            files = walk.filter(Files::isRegularFile).sorted().toList();
        }
        try (OutputStream out = Files.newOutputStream(zip); ZipOutputStream z = new ZipOutputStream(out)) {
            for (Path file : files) {
                z.putNextEntry(new ZipEntry(dir.relativize(file).toString().replace(File.separatorChar, '/')));
                try (InputStream in = Files.newInputStream(file)) {
                    in.transferTo(z);
                }
                z.closeEntry();
            }
        }
    }
}
