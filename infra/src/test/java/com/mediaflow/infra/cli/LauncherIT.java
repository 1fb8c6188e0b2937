package com.mediaflow.infra.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.mediaflow.infra.TestPaths;
import com.mediaflow.shared.model.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./mediaflow} itself, the bash launcher, after the build: it records the class-data archive
 * (by running {@code warm-up}) when there is none or it was recorded for another JVM or class path
 * (other jars, or the same jars with another time or size), and
 * every later JVM it starts maps its classes from it. What it saves is in bench/README.md ("bench/run
 * load": a restart takes about 2 s instead of 4).
 */
class LauncherIT {
    private static final String MAIN_FROM_ARCHIVE = "com.mediaflow.infra.cli.Main source: shared objects file (top)";
    private static final Path PHOTO = TestPaths.root().resolve("corpus/exif-orientation/Portrait_6.jpg");
    /** A line of an archive's key naming a jar of ours from a Maven repository (time and size as stat prints them). */
    private static final String OTHER_JAR =
            "/root/.m2/repository/com/mediaflow/mediaflow-shared/0.1.0-SNAPSHOT/mediaflow-shared-0.1.0-SNAPSHOT.jar 1764940820 902200";

    @TempDir
    Path tmp;

    @Test
    void recordsTheArchiveWhenStale_thenStartsFromIt_andMediaflowCdsOffStartsWithout() throws Exception {
        Path archive = tmp.resolve("classes.jsa");
        // an archive older than every jar, with no record of what it was recorded for, and not one at all:
        // the launcher must not hand it to the JVM
        Files.writeString(archive, "left over from an earlier build");
        Files.setLastModifiedTime(archive, FileTime.from(Instant.parse("2000-01-01T00:00:00Z")));

        Run first = launch(Map.of("MEDIAFLOW_CDS", archive.toString()), "validate", PHOTO.toString());
        assertThat(first.code).as(first.err).isZero();
        assertThat(first.err).contains("recording the class-data archive")
                .containsPattern("mediaflow warm-up: (\\d+) of \\1 sample\\(s\\) READY or QUARANTINED");
        assertThat(Files.size(archive)).isGreaterThan(10_000_000L);
        assertThat(Files.getLastModifiedTime(archive).toInstant()).isAfter(Instant.now().minusSeconds(600));
        assertThat(Files.readString(tmp.resolve("classes.jsa.key"))).as("what the archive was recorded for")
                .startsWith("java /").contains(TestPaths.root().resolve("infra/target").toString() + "/mediaflow-infra-");
        assertThat(verdict(first.out)).isEqualTo("ACCEPTED");

        Path classLog = tmp.resolve("classes-second.log");
        Run second = launch(Map.of("MEDIAFLOW_CDS", archive.toString(),
                "MEDIAFLOW_JAVA_OPTS", "-Xlog:class+load=info:file=" + classLog), "validate", PHOTO.toString());
        assertThat(second.code).as(second.err).isZero();
        assertThat(second.err).doesNotContain("recording the class-data archive");
        assertThat(verdict(second.out)).isEqualTo("ACCEPTED");
        assertThat(Files.readString(classLog)).contains(MAIN_FROM_ARCHIVE);

        Path offLog = tmp.resolve("classes-off.log");
        Run off = launch(Map.of("MEDIAFLOW_CDS", "off", "MEDIAFLOW_JAVA_OPTS", "-Xlog:class+load=info:file=" + offLog),
                "validate", PHOTO.toString());
        assertThat(off.code).as(off.err).isZero();
        assertThat(off.err).doesNotContain("recording the class-data archive");
        assertThat(Files.readString(offLog)).contains("com.mediaflow.infra.cli.Main source: file:")
                .doesNotContain(MAIN_FROM_ARCHIVE);
    }

    @Test
    void aWarmUpThatFails_isSaid_theCommandStillRuns_andItIsNotTriedAgainForThisBuild() throws Exception {
        Path archive = tmp.resolve("failing.jsa");
        Map<String, String> env = failingWarmUp(archive);

        assertTriedAndFailed(launch(env, "validate", PHOTO.toString()));
        assertThat(archive).doesNotExist();
        assertThat(tmp.resolve("failing.jsa.failed")).exists();

        Run second = launch(env, "validate", PHOTO.toString());
        assertThat(second.code).as(second.err).isZero();
        assertThat(second.err).doesNotContain("recording the class-data archive");
        assertThat(verdict(second.out)).isEqualTo("ACCEPTED");

        // the failure was for another class path (a build since): tried again
        Files.writeString(tmp.resolve("failing.jsa.failed"), "java /usr/bin/java\n" + OTHER_JAR + "\n");
        assertTriedAndFailed(launch(env, "validate", PHOTO.toString()));

        Run forced = launch(env, "warm-up");
        assertThat(forced.code).as("warm-up itself says it failed").isEqualTo(1);
        assertThat(forced.err).contains("recording the class-data archive");
    }

    @Test
    void anArchiveRecordedForAnotherClassPath_isRecordedAgain_thoughNoJarIsNewer() throws Exception {
        // newer than every jar, but recorded for the jars `mvn -pl infra` (without -am) puts in
        // cli.classpath: the JVM would refuse it without a word, and every start would pay for that
        Path archive = tmp.resolve("other.jsa");
        Files.writeString(archive, "recorded for another class path");
        Files.writeString(tmp.resolve("other.jsa.key"), "java /usr/bin/java\n" + OTHER_JAR + "\n");

        // recording is what is checked here, not its outcome
        assertTriedAndFailed(launch(failingWarmUp(archive), "validate", PHOTO.toString()));
        assertThat(archive).as("the archive for the other class path, removed").doesNotExist();
        assertThat(tmp.resolve("other.jsa.key")).doesNotExist();
    }

    /** A warm-up that stops at once: it reads MEDIAFLOW_TIME_SCALE and refuses a bad one; validate does not read it. */
    private static Map<String, String> failingWarmUp(Path archive) {
        return Map.of("MEDIAFLOW_CDS", archive.toString(), "MEDIAFLOW_TIME_SCALE", "not-a-number");
    }

    /** The launcher tried to record the archive, said that it could not, and ran the command all the same. */
    private static void assertTriedAndFailed(Run run) throws IOException {
        assertThat(run.code).as(run.err).isZero();
        assertThat(run.err).contains("recording the class-data archive").contains("no class-data archive recorded");
        assertThat(verdict(run.out)).isEqualTo("ACCEPTED");
    }

    @Test
    void helpAndVersion_neverRecordAnArchive() throws Exception {
        Path archive = tmp.resolve("never.jsa");
        Run version = launch(Map.of("MEDIAFLOW_CDS", archive.toString()), "--version");
        assertThat(version.code).as(version.err).isZero();
        assertThat(version.out).startsWith("mediaflow ");
        assertThat(archive).doesNotExist();
    }

    private static String verdict(String stdout) throws IOException {
        List<String> lines = stdout.lines().filter(l -> !l.isBlank()).toList();
        assertThat(lines).as("stdout holds the JSON lines alone: %s", stdout).hasSize(1);
        JsonNode line = Json.MAPPER.readTree(lines.get(0));
        return line.path("status").asText();
    }

    private record Run(int code, String out, String err) {
    }

    private Run launch(Map<String, String> env, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("bash", TestPaths.root().resolve("mediaflow").toString()));
        command.addAll(List.of(args));
        Path out = tmp.resolve("out-" + System.nanoTime());
        Path err = tmp.resolve("err-" + System.nanoTime());
        ProcessBuilder pb = new ProcessBuilder(command).directory(tmp.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().putAll(env);
        Process p = pb.start();
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("./mediaflow " + String.join(" ", args) + " ran over 5 minutes; stderr: "
                    + Files.readString(err, StandardCharsets.UTF_8));
        }
        return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }
}
