package com.mediaflow.shared.format;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MediaFormatTest {

    @Test
    void byMimeType_canonical_findsFormat() {
        assertThat(MediaFormat.byMimeType("image/jpeg")).contains(MediaFormat.JPEG);
        assertThat(MediaFormat.byMimeType("video/quicktime")).contains(MediaFormat.MOV);
        assertThat(MediaFormat.byMimeType("application/pdf")).contains(MediaFormat.PDF);
    }

    @Test
    void byMimeType_withParametersAndCase_ignoresThem() {
        assertThat(MediaFormat.byMimeType("text/html; charset=UTF-8")).contains(MediaFormat.HTML);
        assertThat(MediaFormat.byMimeType(" IMAGE/PNG ;name=\"a.png\"")).contains(MediaFormat.PNG);
        assertThat(MediaFormat.byMimeType("audio/ogg; codecs=opus")).contains(MediaFormat.OGG);
    }

    @Test
    void byMimeType_commonAliases_mapToCanonicalFormat() {
        assertThat(MediaFormat.byMimeType("image/jpg")).contains(MediaFormat.JPEG);
        assertThat(MediaFormat.byMimeType("image/pjpeg")).contains(MediaFormat.JPEG);
        assertThat(MediaFormat.byMimeType("audio/x-wav")).contains(MediaFormat.WAV);
        assertThat(MediaFormat.byMimeType("audio/wave")).contains(MediaFormat.WAV);
        assertThat(MediaFormat.byMimeType("image/heif")).contains(MediaFormat.HEIC);
        assertThat(MediaFormat.byMimeType("audio/mp3")).contains(MediaFormat.MP3);
        assertThat(MediaFormat.byMimeType("audio/x-m4a")).contains(MediaFormat.M4A);
    }

    @Test
    void byMimeType_octetStreamNullOrBlank_isEmpty() {
        assertThat(MediaFormat.byMimeType("application/octet-stream")).isEmpty();
        assertThat(MediaFormat.byMimeType(null)).isEmpty();
        assertThat(MediaFormat.byMimeType("")).isEmpty();
        assertThat(MediaFormat.byMimeType("not a mime type")).isEmpty();
    }

    @Test
    void byMimeType_everyFormatsOwnType_roundTrips() {
        for (MediaFormat f : MediaFormat.values()) {
            if (f != MediaFormat.UNKNOWN) {
                assertThat(MediaFormat.byMimeType(f.mimeType())).as(f.name()).contains(f);
            }
        }
    }

    @Test
    void mimeTypesAndExtensions_areUnique() {
        // given the enum is the one source of truth, no two formats may claim the same name
        Map<String, MediaFormat> mimes = new HashMap<>();
        Map<String, MediaFormat> exts = new HashMap<>();
        for (MediaFormat f : MediaFormat.values()) {
            assertThat(mimes.put(f.mimeType(), f)).as("MIME type %s", f.mimeType()).isNull();
            for (String ext : f.extensions()) {
                assertThat(exts.put(ext, f)).as("extension %s", ext).isNull();
            }
        }
    }

    @Test
    void byFileName_upperCaseExtension_findsFormat() {
        assertThat(MediaFormat.byFileName("IMG_0001.JPG")).contains(MediaFormat.JPEG);
        assertThat(MediaFormat.byFileName("clip.MoV")).contains(MediaFormat.MOV);
    }

    @Test
    void byFileName_pathWithDottedFolders_usesLastSegment() {
        assertThat(MediaFormat.byFileName("uploads/v1.2/photo.heic")).contains(MediaFormat.HEIC);
        assertThat(MediaFormat.byFileName("uploads/v1.pdf/README")).isEmpty();
    }

    @Test
    void byFileName_doubleExtension_usesLast() {
        assertThat(MediaFormat.byFileName("invoice.pdf.exe")).contains(MediaFormat.PE);
        assertThat(MediaFormat.byFileName("backup.tar.gz")).contains(MediaFormat.GZIP);
    }

    @Test
    void byFileName_noExtensionTrailingDotOrNull_isEmpty() {
        assertThat(MediaFormat.byFileName("README")).isEmpty();
        assertThat(MediaFormat.byFileName("photo.")).isEmpty();
        assertThat(MediaFormat.byFileName("uploads/")).isEmpty();
        assertThat(MediaFormat.byFileName(null)).isEmpty();
        assertThat(MediaFormat.byFileName("archive.xyz")).isEmpty();
    }

    @Test
    void defaultExtension_isFirstOrBin() {
        assertThat(MediaFormat.JPEG.defaultExtension()).isEqualTo("jpg");
        assertThat(MediaFormat.ELF.defaultExtension()).isEqualTo("bin");
        assertThat(MediaFormat.UNKNOWN.defaultExtension()).isEqualTo("bin");
    }

    @Test
    void classification_executablesArchivesAndAccepted_areDisjoint() {
        for (MediaFormat f : MediaFormat.values()) {
            assertThat(f.isExecutable() && f.isArchive()).as(f.name()).isFalse();
            if (f.isExecutable() || f.isArchive()) {
                assertThat(f.accepted()).as(f.name()).isFalse();
                assertThat(f.category()).as(f.name()).isEqualTo(MediaCategory.OTHER);
            }
            assertThat(f.accepted()).as(f.name()).isEqualTo(f.category() != MediaCategory.OTHER);
        }
    }

    @Test
    void mediaCategory_idAndClientClass_areStable() {
        assertThat(MediaCategory.fromId("video")).isEqualTo(MediaCategory.VIDEO);
        assertThat(MediaCategory.VIDEO.clientClass()).isEqualTo(MediaCategory.AUDIO.clientClass());
        assertThat(MediaCategory.IMAGE.clientClass()).isNotEqualTo(MediaCategory.DOCUMENT.clientClass());
    }
}
