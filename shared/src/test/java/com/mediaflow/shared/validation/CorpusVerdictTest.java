package com.mediaflow.shared.validation;

import static org.assertj.core.api.Assertions.assertThat;

import com.mediaflow.shared.validation.io.FileByteSource;
import com.mediaflow.testkit.Corpus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The corpus's expected verdicts (corpus/README.md at the project root), through the whole validator. */
class CorpusVerdictTest {
    static Stream<Path> corpusFiles() throws IOException {
        Path corpus = Corpus.dir();
        List<Path> files = new java.util.ArrayList<>();
        for (String dir : List.of("pngsuite/png", "exif-orientation", "heic")) {
            try (Stream<Path> s = Files.list(corpus.resolve(dir))) {
                s.filter(p -> p.toString().matches("(?i).*\\.(png|jpg|heic|heif)")).sorted().forEach(files::add);
            }
        }
        assertThat(files).hasSizeGreaterThan(190);
        return files.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpusFiles")
    void corpusFile_getsItsExpectedVerdict(Path file) throws IOException {
        String name = file.getFileName().toString();
        boolean corrupt = file.getParent().endsWith("png") && name.startsWith("x");

        StructureValidator.Result result;
        try (FileByteSource source = new FileByteSource(file)) {
            result = new StructureValidator(Limits.DEFAULTS).validate(source, null, name);
        }

        if (corrupt) {
            assertThat(result.verdict().accepted()).as(name + " is deliberately corrupt").isFalse();
            assertThat(result.verdict().reasons()).as(name).isNotEmpty()
                    .allSatisfy(r -> assertThat(r.message()).isNotBlank());
        } else {
            assertThat(result.verdict().accepted()).as(name + " " + result.verdict().reasons()).isTrue();
            assertThat(result.structure().width()).as(name).isPositive();
        }
    }
}
