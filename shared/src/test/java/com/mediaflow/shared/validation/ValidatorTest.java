package com.mediaflow.shared.validation;

import com.mediaflow.shared.error.ReasonCode;
import static org.assertj.core.api.Assertions.assertThat;

import com.mediaflow.shared.format.MediaFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class ValidatorTest {
    private static final long MAX = 10_000;
    private final Validator validator = new Validator(MAX);

    @Test
    void judge_jpegDeclaredAndNamedJpeg_isAccepted() {
        Verdict v = validator.judge(MediaFormat.JPEG, 1234, "image/jpeg", "uploads/cat.jpg");

        assertThat(v.accepted()).isTrue();
        assertThat(v.reasons()).isEmpty();
        assertThat(v.contentRejected()).isFalse();
        assertThat(v.detected()).isEqualTo(MediaFormat.JPEG);
        assertThat(v.detectedType()).isEqualTo("image/jpeg");
        assertThat(v.declaredType()).isEqualTo("image/jpeg");
    }

    @Test
    void judge_emptyObject_isEmptyAndNothingElse() {
        Verdict v = validator.judge(MediaFormat.UNKNOWN, 0, "image/jpeg", "a.jpg");

        assertThat(codes(v)).containsExactly(ReasonCode.EMPTY);
        assertThat(v.accepted()).isFalse();
        assertThat(v.contentRejected()).isTrue();
        assertThat(v.detected()).isEqualTo(MediaFormat.UNKNOWN);
        assertThat(v.reasons().get(0).message()).contains("expected media bytes", "empty");
    }

    @Test
    void judge_overSizeLimit_isSizeLimitWithBothNumbers() {
        Verdict v = validator.judge(MediaFormat.PNG, MAX + 1, "image/png", "a.png");

        assertThat(codes(v)).containsExactly(ReasonCode.SIZE_LIMIT);
        assertThat(v.contentRejected()).isTrue();
        assertThat(v.reasons().get(0).message()).contains("10001 bytes", "at most 10000", "MAX_UPLOAD_BYTES");
    }

    @Test
    void judge_exactlyAtSizeLimit_isAccepted() {
        assertThat(validator.judge(MediaFormat.PNG, MAX, "image/png", "a.png").accepted()).isTrue();
    }

    @Test
    void judge_elfNamedJpg_isExecutable() {
        Verdict v = validator.judge(MediaFormat.ELF, 500, "image/jpeg", "cat.jpg");

        assertThat(codes(v)).containsExactly(ReasonCode.EXECUTABLE);
        assertThat(v.contentRejected()).isTrue();
        assertThat(v.reasons().get(0).message())
                .contains("expected media", "ELF executable", "application/x-executable", "'cat.jpg'", "image/jpeg");
    }

    @Test
    void judge_shebangScript_isExecutable() {
        Verdict v = validator.judge(MediaFormat.SCRIPT, 20, null, null);

        assertThat(codes(v)).containsExactly(ReasonCode.EXECUTABLE);
        assertThat(v.reasons().get(0).message()).contains("#!");
    }

    @Test
    void judge_apkNamedJpg_isArchiveDisguised() {
        Verdict v = validator.judge(MediaFormat.APK, 500, "image/jpeg", "holiday.jpg");

        assertThat(codes(v)).containsExactly(ReasonCode.ARCHIVE_DISGUISED);
        assertThat(v.contentRejected()).isTrue();
        assertThat(v.reasons().get(0).message())
                .contains("expected media", "Android APK", "application/vnd.android.package-archive", "'holiday.jpg'");
    }

    @Test
    void judge_everyArchive_isArchiveDisguised() {
        for (MediaFormat f : MediaFormat.values()) {
            if (f.isArchive()) {
                assertThat(codes(validator.judge(f, 10, null, null))).as(f.name()).containsExactly(ReasonCode.ARCHIVE_DISGUISED);
            }
        }
    }

    @Test
    void judge_svgDeclaredAsImage_isActiveMarkup() {
        Verdict v = validator.judge(MediaFormat.SVG, 300, "image/svg+xml", "logo.svg");

        assertThat(codes(v)).containsExactly(ReasonCode.ACTIVE_MARKUP);
        assertThat(v.contentRejected()).isTrue();
        assertThat(v.reasons().get(0).message()).contains("expected media", "image/svg+xml", "script");
    }

    @Test
    void judge_html_isActiveMarkup() {
        Verdict v = validator.judge(MediaFormat.HTML, 300, "image/png", "a.png");

        assertThat(codes(v)).containsExactly(ReasonCode.ACTIVE_MARKUP);
        assertThat(v.reasons().get(0).message()).contains("text/html");
    }

    @Test
    void judge_unknownContent_isUnsupportedType() {
        Verdict v = validator.judge(MediaFormat.UNKNOWN, 300, "image/png", "a.png");

        assertThat(codes(v)).containsExactly(ReasonCode.UNSUPPORTED_TYPE);
        assertThat(v.contentRejected()).isTrue();
        assertThat(v.reasons().get(0).message()).contains("expected a supported", "unrecognised", "image/png");
    }

    @Test
    void judge_imageDeclaredPdf_isTypeMismatch() {
        Verdict v = validator.judge(MediaFormat.PNG, 300, "application/pdf", "scan");

        assertThat(codes(v)).containsExactly(ReasonCode.TYPE_MISMATCH);
        assertThat(v.accepted()).isFalse();
        assertThat(v.reasons().get(0).message())
                .contains("Content-Type 'application/pdf'", "says application/pdf (document)", "content is image/png (image)");
    }

    @Test
    void judge_imageNamedPdf_isTypeMismatch() {
        Verdict v = validator.judge(MediaFormat.JPEG, 300, null, "uploads/invoice.PDF");

        assertThat(codes(v)).containsExactly(ReasonCode.TYPE_MISMATCH);
        assertThat(v.reasons().get(0).message())
                .contains("extension of 'uploads/invoice.PDF'", "application/pdf", "image/jpeg");
    }

    @Test
    void judge_imageDeclaredAndNamedPdf_reportsBothMismatches() {
        Verdict v = validator.judge(MediaFormat.JPEG, 300, "application/pdf", "x.pdf");

        assertThat(codes(v)).containsExactly(ReasonCode.TYPE_MISMATCH, ReasonCode.TYPE_MISMATCH);
    }

    @Test
    void judge_imageDeclaredHtml_isTypeMismatch() {
        // given a real JPEG that a browser would render as a page
        Verdict v = validator.judge(MediaFormat.JPEG, 300, "text/html; charset=utf-8", "a.jpg");

        assertThat(codes(v)).containsExactly(ReasonCode.TYPE_MISMATCH);
    }

    @Test
    void judge_jpegNamedPng_isNotMismatch() {
        Verdict v = validator.judge(MediaFormat.JPEG, 300, "image/png", "photo.png");

        assertThat(v.accepted()).isTrue();
        assertThat(v.reasons()).isEmpty();
    }

    @Test
    void judge_mp4DeclaredAudioMp4_isNotMismatch() {
        Verdict v = validator.judge(MediaFormat.MP4, 300, "audio/mp4", "song.m4a");

        assertThat(v.accepted()).isTrue();
        assertThat(v.reasons()).isEmpty();
    }

    @Test
    void judge_octetStreamOrMissingDeclarations_isNeverMismatch() {
        for (MediaFormat f : MediaFormat.values()) {
            if (!f.accepted()) {
                continue;
            }
            assertThat(validator.judge(f, 300, "application/octet-stream", "upload.bin").reasons()).as(f.name()).isEmpty();
            assertThat(validator.judge(f, 300, null, null).reasons()).as(f.name()).isEmpty();
            assertThat(validator.judge(f, 300, "", "no-extension").reasons()).as(f.name()).isEmpty();
        }
    }

    @Test
    void contentRejected_onlyTypeMismatch_isFalse() {
        Verdict v = validator.judge(MediaFormat.PNG, 300, "application/pdf", null);

        assertThat(v.accepted()).isFalse();
        assertThat(v.contentRejected()).isFalse();
    }

    @Test
    void contentRejected_sizeLimitAndTypeMismatch_isTrue() {
        Verdict v = validator.judge(MediaFormat.PNG, MAX + 1, "application/pdf", null);

        assertThat(codes(v)).containsExactlyInAnyOrder(ReasonCode.SIZE_LIMIT, ReasonCode.TYPE_MISMATCH);
        assertThat(v.contentRejected()).isTrue();
    }

    @Test
    void verdict_onlyWarnings_isAccepted() {
        Verdict v = Verdict.of(MediaFormat.JPEG, "image/jpeg",
                List.of(Reason.warning(ReasonCode.STRUCTURE_INVALID, "EXIF IFD offset 99999 past end 1200, metadata skipped")));

        assertThat(v.accepted()).isTrue();
        assertThat(v.contentRejected()).isFalse();
    }

    @Test
    void verdict_reasons_areImmutableCopy() {
        List<Reason> reasons = new java.util.ArrayList<>();
        Verdict v = Verdict.of(MediaFormat.JPEG, null, reasons);
        reasons.add(Reason.error(ReasonCode.EMPTY, "late"));

        assertThat(v.reasons()).isEmpty();
        assertThat(v.accepted()).isTrue();
    }

    @Test
    void reasonCode_perUpload_onlyTypeMismatch() {
        assertThat(java.util.Arrays.stream(ReasonCode.values()).filter(ReasonCode::perUpload))
                .containsExactly(ReasonCode.TYPE_MISMATCH);
    }

    private static List<ReasonCode> codes(Verdict v) {
        return v.reasons().stream().map(Reason::code).toList();
    }
}
