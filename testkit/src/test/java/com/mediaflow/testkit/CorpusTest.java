package com.mediaflow.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CorpusTest {
    @TempDir
    Path tmp;

    private String saved;

    @BeforeEach
    void save() {
        saved = System.getProperty(Corpus.PROPERTY);
    }

    @AfterEach
    void restore() {
        if (saved == null) {
            System.clearProperty(Corpus.PROPERTY);
        } else {
            System.setProperty(Corpus.PROPERTY, saved);
        }
    }

    @Test
    void dir_fromThePom_isTheRepositoryCorpus() {
        assertThat(Corpus.dir().resolve("README.md")).isRegularFile();
        assertThat(Corpus.file("exif-orientation/Portrait_6.jpg")).isRegularFile();
    }

    @Test
    void dir_propertyNotSet_failsNamingTheProperty() {
        System.clearProperty(Corpus.PROPERTY);

        assertThatThrownBy(Corpus::dir).isInstanceOf(Corpus.MissingException.class)
                .hasMessageContaining("mediaflow.corpus is not set");
    }

    @Test
    void dir_folderMissing_failsSayingWhatWasFound() {
        System.setProperty(Corpus.PROPERTY, tmp.resolve("nowhere").toString());

        assertThatThrownBy(Corpus::dir).isInstanceOf(Corpus.MissingException.class)
                .hasMessageContaining("expected a folder").hasMessageContaining("found nothing");
    }

    @Test
    void file_missing_failsNamingTheFile() throws Exception {
        Files.createDirectory(tmp.resolve("sub"));
        System.setProperty(Corpus.PROPERTY, tmp.toString());

        assertThatThrownBy(() -> Corpus.file("sub")).isInstanceOf(Corpus.MissingException.class)
                .hasMessageContaining("corpus file sub is missing").hasMessageContaining("found a folder");
        assertThatThrownBy(() -> Corpus.file("x.jpg")).isInstanceOf(Corpus.MissingException.class)
                .hasMessageContaining("found nothing");
    }
}
