package com.mediaflow.shared.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mediaflow.shared.aws.Keys;
import com.mediaflow.shared.error.MalformedEventException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class UploadTest {
    private static final String BUCKET = "mediaflow-ingest-000000000000";

    private static String sha256(String s) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void ids_areSha256OfTheFieldsJoinedByBars() throws Exception {
        Upload upload = new Upload(BUCKET, "uploads/a b.jpg", "0055AED6DCD90281E5", "1a4b21e45ec884762ef9f4af3ff2c73c");

        assertThat(upload.version()).isEqualTo("0055AED6DCD90281E5");
        assertThat(Upload.keyHash(BUCKET, "uploads/a b.jpg")).isEqualTo(sha256(BUCKET + "|uploads/a b.jpg"));
        assertThat(upload.id()).isEqualTo(sha256(BUCKET + "|uploads/a b.jpg|0055AED6DCD90281E5"));
        assertThat(upload.eventId(MediaStatus.READY)).isEqualTo(sha256(BUCKET + "|uploads/a b.jpg|0055AED6DCD90281E5|READY"));
    }

    @Test
    void id_sameKeyUploadedTwice_isTwoUploadsWithOneReceiptFolder() {
        Upload first = new Upload(BUCKET, "photo.jpg", "0055AED6DCD90281E5", "aaaa");
        Upload second = new Upload(BUCKET, "photo.jpg", "0055AED6DCD90281E6", "aaaa");

        assertThat(second.id()).isNotEqualTo(first.id());
        assertThat(Keys.receipt(second)).isNotEqualTo(Keys.receipt(first));
        assertThat(Keys.receipt(first)).startsWith(Keys.receiptPrefix(BUCKET, "photo.jpg"));
        assertThat(Keys.receipt(second)).startsWith(Keys.receiptPrefix(BUCKET, "photo.jpg"));
    }

    @Test
    void version_withoutSequencer_isTheEtagWithoutQuotes() {
        Upload quoted = new Upload(BUCKET, "photo.jpg", null, "\"d41d8cd98f00b204e9800998ecf8427e\"");
        Upload bare = new Upload(BUCKET, "photo.jpg", "", "d41d8cd98f00b204e9800998ecf8427e");

        assertThat(quoted.version()).isEqualTo("d41d8cd98f00b204e9800998ecf8427e");
        assertThat(quoted.id()).isEqualTo(bare.id());
    }

    @Test
    void withEtag_keepsTheSequencerAsTheIdentity() {
        Upload announced = new Upload(BUCKET, "photo.jpg", "0055AED6DCD90281E5", null);

        Upload read = announced.withEtag("\"abc\"");

        assertThat(read.id()).isEqualTo(announced.id());
        assertThat(read.etag()).isEqualTo("abc");
    }

    @Test
    void eventId_eachFinalState_hasItsOwnId_stableAcrossRuns() {
        Upload upload = new Upload(BUCKET, "photo.jpg", "0055AED6DCD90281E5", "abc");

        List<String> ids = List.of(upload.eventId(MediaStatus.FAILED), upload.eventId(MediaStatus.READY),
                upload.eventId(MediaStatus.QUARANTINED));

        assertThat(ids).doesNotHaveDuplicates().allMatch(id -> id.matches("[0-9a-f]{64}"));
        assertThat(new Upload(BUCKET, "photo.jpg", "0055AED6DCD90281E5", "abc").eventId(MediaStatus.READY)).isEqualTo(ids.get(1));
    }

    @Test
    void receiptKey_anyIngestKeyUpTo1024Bytes_staysWithinS3sKeyLimit() {
        String ascii = "k".repeat(1024);
        String unicode = "日".repeat(341) + "a"; // 3 bytes each: 1024 bytes
        String awkward = "a+b%20c d\nnext line/ü/" + "x".repeat(990);
        for (String key : List.of(ascii, unicode, awkward, "a")) {
            assertThat(key.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(1024);

            String receipt = Keys.receipt(new Upload(BUCKET, key, "0055AED6DCD90281E5", "abc"));

            assertThat(receipt.getBytes(StandardCharsets.UTF_8)).as("receipt key of a %d-byte key",
                    key.getBytes(StandardCharsets.UTF_8).length).hasSize(143);
            assertThat(receipt).matches("receipts/[0-9a-f]{64}/[0-9a-f]{64}\\.json");
        }
    }

    @Test
    void constructor_sequencerWithTheSeparator_isRefused() {
        assertThatThrownBy(() -> new Upload(BUCKET, "k", "AB|CD", "abc"))
                .isInstanceOf(MalformedEventException.class)
                .hasMessageContaining("sequencer 'AB|CD'").hasMessageContaining("expected 1 to 64 hex digits");
        assertThatThrownBy(() -> new Upload(BUCKET, "k", null, "ab|c"))
                .isInstanceOf(MalformedEventException.class).hasMessageContaining("ETag 'ab|c'");
    }

    @Test
    void id_withNeitherSequencerNorEtag_saysWhatIsMissing() {
        Upload upload = new Upload(BUCKET, "k", null, null);

        assertThat(upload.hasVersion()).isFalse();
        assertThatThrownBy(upload::id).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("expected the event's sequencer or the object's ETag, found neither");
    }
}
