package com.mediaflow.shared.validation;

import static org.assertj.core.api.Assertions.assertThat;

import com.mediaflow.shared.codec.MediaProbe;
import com.mediaflow.shared.codec.ProbeResult;
import com.mediaflow.shared.error.CodecException;
import com.mediaflow.shared.validation.io.FileByteSource;
import com.mediaflow.testkit.Corpus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * WhatsApp's method: on every corpus file, our verdict and dimensions against what FFmpeg (through
 * JavaCV) reports. Every disagreement is either fixed or listed below: what we expect to see (a
 * pattern over the disagreement's description) and why it is right, so an allowed file that starts
 * to disagree in another way fails too.
 */
class DifferentialTest {
    /** An allowed disagreement: the pattern its description must match, and why we differ on purpose. */
    private record Allowed(String expected, String why) {
    }

    /** File name to its allowed disagreement. */
    private static final Map<String, Allowed> ALLOWED = Map.ofEntries(
            Map.entry("IMG_5195.HEIC", new Allowed("we say 2566x3313, FFmpeg says 512x512",
                    "FFmpeg's HEIF demuxer opens one 512x512 tile of the iPhone's grid; we report the grid's output size")),
            Map.entry("xc1n0g08.png", new Allowed("we reject .*colou?r type 1.*, FFmpeg opens it",
                    "IHDR colour type 1 does not exist; FFmpeg's PNG decoder does not check it and decodes grey")),
            Map.entry("xc9n2c08.png", new Allowed("we reject .*colou?r type 9.*, FFmpeg opens it",
                    "IHDR colour type 9 does not exist; FFmpeg's PNG decoder does not check it")),
            Map.entry("xcsn0g01.png", new Allowed("we reject .*IDAT.*CRC.*, FFmpeg opens it",
                    "the IDAT chunk's CRC is wrong; FFmpeg checks chunk CRCs only with -err_detect crccheck")),
            Map.entry("xhdn0g08.png", new Allowed("we reject .*IHDR.*CRC.*, FFmpeg opens it",
                    "the IHDR chunk's CRC is wrong; FFmpeg checks chunk CRCs only with -err_detect crccheck")));

    @Test
    void corpus_ourVerdictAndDimensions_agreeWithFfmpeg_exceptTheAllowlist() throws IOException {
        Path corpus = Corpus.dir();
        List<Path> files = new ArrayList<>();
        for (String dir : List.of("pngsuite/png", "exif-orientation", "heic")) {
            try (Stream<Path> s = Files.list(corpus.resolve(dir))) {
                s.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().matches("(?i).*\\.(md|markdown|txt)|LICENSE"))
                        .sorted().forEach(files::add);
            }
        }
        assertThat(files).hasSizeGreaterThan(150);

        StructureValidator validator = new StructureValidator(Limits.DEFAULTS);
        Map<String, String> disagreements = new TreeMap<>();
        for (Path f : files) {
            String name = f.getFileName().toString();
            StructureValidator.Result ours;
            try (FileByteSource source = new FileByteSource(f)) {
                ours = validator.validate(source, null, name);
            }
            ProbeResult theirs = null;
            String ffmpegError = null;
            try {
                theirs = MediaProbe.probe(f);
            } catch (CodecException e) {
                ffmpegError = e.getMessage();
            }
            boolean weAccept = ours.verdict().accepted();
            boolean theyOpen = theirs != null && theirs.width() != null && theirs.width() > 0;
            if (weAccept != theyOpen) {
                disagreements.put(name, "we " + (weAccept ? "accept" : "reject " + ours.verdict().reasons())
                        + ", FFmpeg " + (theyOpen ? "opens it" : "fails: " + ffmpegError));
            } else if (weAccept && ours.structure() != null
                    && (!theirs.width().equals(ours.structure().width()) || !theirs.height().equals(ours.structure().height()))) {
                disagreements.put(name, "we say " + ours.structure().width() + "x" + ours.structure().height()
                        + ", FFmpeg says " + theirs.width() + "x" + theirs.height());
            }
        }

        Map<String, String> unexpected = new TreeMap<>(disagreements);
        unexpected.keySet().removeAll(ALLOWED.keySet());
        assertThat(unexpected).as("disagreements with FFmpeg that are neither fixed nor allowed").isEmpty();
        assertThat(disagreements.keySet()).as("every allowed disagreement still happens (else shrink the list)")
                .containsExactlyInAnyOrderElementsOf(ALLOWED.keySet());
        ALLOWED.forEach((name, allowed) -> assertThat(disagreements.get(name))
                .as("%s disagrees as allowed (%s)", name, allowed.why())
                .matches(java.util.regex.Pattern.compile(allowed.expected(), java.util.regex.Pattern.DOTALL)));
    }

}
