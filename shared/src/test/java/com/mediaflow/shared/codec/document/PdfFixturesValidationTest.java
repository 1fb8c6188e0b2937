package com.mediaflow.shared.codec.document;

import static org.assertj.core.api.Assertions.assertThat;

import com.mediaflow.shared.format.MediaFormat;
import com.mediaflow.shared.validation.Limits;
import com.mediaflow.shared.validation.StructureValidator;
import com.mediaflow.shared.validation.Verdict;
import com.mediaflow.shared.validation.io.ArrayByteSource;
import com.mediaflow.testkit.PdfFixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The PDFs the tests preview are ones validation lets through: PDFBox only ever sees those. */
class PdfFixturesValidationTest {
    @TempDir
    Path tmp;

    private final StructureValidator validator = new StructureValidator(Limits.DEFAULTS);

    private Verdict verdict(Path pdf) throws IOException {
        return validator.validate(new ArrayByteSource(Files.readAllBytes(pdf)), "application/pdf", pdf.getFileName().toString())
                .verdict();
    }

    @Test
    void everyKindOfFixture_isAcceptedAsAPdf() throws IOException {
        for (Path pdf : new Path[] {
            PdfFixtures.textPages(tmp.resolve("ten.pdf"), 10, "Ten", "Author"),
            PdfFixtures.textAndPicturePages(tmp.resolve("pictures.pdf"), 3, "Pictures", 200),
            PdfFixtures.encrypted(tmp.resolve("owner.pdf"), "", "owner", "Owner only"),
            PdfFixtures.encrypted(tmp.resolve("user.pdf"), "user", "owner", "User password"),
        }) {
            Verdict v = verdict(pdf);
            assertThat(v.accepted()).as("%s: %s", pdf.getFileName(), v.reasons()).isTrue();
            assertThat(v.detected()).isEqualTo(MediaFormat.PDF);
        }
    }
}
