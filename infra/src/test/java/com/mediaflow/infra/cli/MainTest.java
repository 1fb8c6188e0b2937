package com.mediaflow.infra.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mediaflow.infra.TestPaths;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line's own rules, no stack: help, version, errors that name the option, what a folder walk takes. */
class MainTest {
    @TempDir
    Path tmp;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final Main main = new Main(new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8), TestPaths.root());

    @Test
    void everyCommand_hasHelp_onStdout() throws Exception {
        for (String command : List.of("demo", "process", "up", "invoke", "validate")) {
            for (String flag : List.of("--help", "-h")) {
                out.reset();
                assertThat(main.run(new String[] {command, flag})).isZero();
                assertThat(out.toString(StandardCharsets.UTF_8)).as(command + " " + flag).startsWith("usage: mediaflow " + command);
            }
            out.reset();
            assertThat(main.run(new String[] {"help", command})).isZero();
            assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("usage: mediaflow " + command);
        }
        out.reset();
        assertThat(main.run(new String[] {"--help"})).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("usage: mediaflow COMMAND");
        assertThat(Main.HELP.get("up")).contains("--data DIR", "--port N", "--json", "S3 listens on N, SQS on N+1, the upload API on N+2, delivery on N+3");
        assertThat(Main.HELP.get("process")).contains("--include-hidden", "--workers N", "--timeout SECONDS");
    }

    @Test
    void version_isTheBuildsVersion() throws Exception {
        assertThat(main.run(new String[] {"--version"})).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8).trim()).matches("mediaflow \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?");
    }

    @Test
    void errors_nameTheOption_whatWasExpected_andWhatWasFound() {
        assertThatThrownBy(() -> main.run(new String[] {"process", "--workers", "0", "x.jpg"}))
                .isInstanceOf(Main.UsageException.class)
                .hasMessageContaining("--workers is 0").hasMessageContaining("whole number of workers")
                .hasMessageNotContaining("seconds");
        assertThatThrownBy(() -> main.run(new String[] {"up", "--workers", "many"}))
                .hasMessage("--workers is 'many', expected a whole number of workers from 1 to 64 (concurrent invocations per queue; default 2)");
        assertThatThrownBy(() -> main.run(new String[] {"process", "--timeout", "0", "x.jpg"}))
                .hasMessageContaining("--timeout is 0, expected a whole number of seconds above 0");
        assertThatThrownBy(() -> main.run(new String[] {"up", "--port", "65535"}))
                .hasMessageContaining("--port is 65535, expected a port number from 1 to 65532 (S3 listens on N, SQS on N+1, the upload API on N+2, delivery on N+3)");
        assertThatThrownBy(() -> main.run(new String[] {"up", "--port", "http"}))
                .hasMessageContaining("--port is 'http', expected a port number");
        assertThatThrownBy(() -> main.run(new String[] {"process", "--out"}))
                .hasMessage("--out needs a value: a folder, found the end of the line");
        assertThatThrownBy(() -> main.run(new String[] {"process", "--out", "--timeout", "5", "x"}))
                .hasMessage("--out needs a value: a folder, found '--timeout'");
        assertThatThrownBy(() -> main.run(new String[] {"up", "--daemon"}))
                .hasMessageContaining("unknown option --daemon for up; expected --data, --port, --json, --workers, --env");
        assertThatThrownBy(() -> main.run(new String[] {"validate", "--strict", "x"}))
                .hasMessageContaining("unknown option --strict for validate");
        assertThatThrownBy(() -> main.run(new String[] {"frobnicate"}))
                .hasMessageContaining("unknown command 'frobnicate', expected one of [demo, invoke, process, redrive, up, validate, warm-up]");
        assertThatThrownBy(() -> main.run(new String[] {"up", "--env", "NOPE=1"}))
                .hasMessageContaining("--env names NOPE, which no function reads");
    }

    @Test
    void aBadCommandLine_showsThatCommandsHelp() {
        Main.UsageException e = org.junit.jupiter.api.Assertions.assertThrows(Main.UsageException.class,
                () -> main.run(new String[] {"up", "--port", "0"}));
        assertThat(e.command()).isEqualTo("up");
    }

    @Test
    void dataFolder_mustBeAFolder() throws Exception {
        Path file = Files.writeString(tmp.resolve("not-a-folder"), "x");
        assertThatThrownBy(() -> main.run(new String[] {"up", "--data", file.toString()}))
                .hasMessageContaining("--data is '" + file + "', expected a folder (it is created if missing), found a file");
    }

    @Test
    void folderWalk_skipsDotfilesAndVcsFolders_unlessIncludeHidden() throws Exception {
        Path in = Files.createDirectories(tmp.resolve("in"));
        Files.writeString(in.resolve("a.jpg"), "a");
        Files.writeString(in.resolve(".hidden.jpg"), "h");
        Files.createDirectories(in.resolve(".git/objects"));
        Files.writeString(in.resolve(".git/objects/ab12"), "git");
        Files.createDirectories(in.resolve(".svn"));
        Files.writeString(in.resolve(".svn/entries"), "svn");
        Files.createDirectories(in.resolve(".hg/store"));
        Files.writeString(in.resolve(".hg/store/data"), "hg");
        Files.createDirectories(in.resolve("sub"));
        Files.writeString(in.resolve("sub/b.jpg"), "b");
        Files.writeString(in.resolve("sub/.DS_Store"), "ds");
        Path named = Files.writeString(tmp.resolve(".named.jpg"), "n");

        List<Path> taken = Main.expand(List.of(in, named), false, new PrintStream(err, true, StandardCharsets.UTF_8));

        assertThat(taken).containsExactly(in.resolve("a.jpg"), in.resolve("sub/b.jpg"), named);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("skipped 5 hidden file(s)").contains("--include-hidden");
        assertThat(Main.expand(List.of(in), true, new PrintStream(new ByteArrayOutputStream()))).hasSize(7);
    }

    @Test
    void process_includeHidden_isAnOption() {
        // an empty folder: the option parses, and the error says what was found
        assertThatThrownBy(() -> main.run(new String[] {"process", "--include-hidden", tmp.toString()}))
                .hasMessageContaining("process needs at least one file or folder, found no file to upload in [" + tmp + "]");
    }
}
