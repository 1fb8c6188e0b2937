package com.mediaflow.infra.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.mediaflow.shared.aws.AwsClients;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * PUTs the embedded S3 answers without reading their body (a failed {@code If-Match}, a part of an
 * upload no longer open), sent as the functions send them (the SDK's url-connection client, body
 * after headers) with the body arriving after the answer, as on a busy machine: the client gets
 * the answer, not "Error writing request body to server", and its next requests work. Without
 * {@link UnreadBodyDrain} every refused PUT here fails so, deterministically (checked by removing
 * its install line: SdkClientException "Error writing request body to server", 3 SDK attempts).
 */
class UnreadBodyIT {
    private static final int ROUNDS = 5;
    private static final long BODY_DELAY_MILLIS = 300;
    private static StackFixture fx;

    @BeforeAll
    static void start() throws Exception {
        fx = StackFixture.start(false);
    }

    @AfterAll
    static void stop() {
        fx.close();
    }

    /**
     * A body whose first byte comes {@code millis} after the client starts writing it (each time: the
     * SDK reads it once to sign it, once to send it), when the server has its headers only.
     */
    static RequestBody late(byte[] bytes, long millis) {
        return RequestBody.fromContentProvider(() -> new InputStream() {
            private final InputStream in = new ByteArrayInputStream(bytes);
            private boolean started;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (!started) {
                    started = true;
                    sleep(millis);
                }
                return in.read(b, off, len);
            }
        }, bytes.length, "application/octet-stream");
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void putIfMatchThatFails_withItsBodyStillOnTheWay_is412_andTheSameClientGoesOn() {
        try (S3Client s3 = AwsClients.s3(fx.stack.clientConfig())) {
            String key = "unread/if-match.json";
            s3.putObject(b -> b.bucket(fx.media).key(key), RequestBody.fromString("{\"first\":true}"));
            for (int round = 0; round < ROUNDS; round++) {
                int r = round;
                Throwable refused = catchThrowable(() -> s3.putObject(b -> b.bucket(fx.media).key(key)
                        .ifMatch("\"0123456789abcdef0123456789abcdef\""), late(utf8("{\"second\":" + r + "}"), BODY_DELAY_MILLIS)));

                assertThat(refused).as("round %d: a PUT with an If-Match that does not match", round).isInstanceOf(S3Exception.class);
                assertThat(((S3Exception) refused).statusCode()).as("round %d", round).isEqualTo(412);
                String other = "unread/after-" + round + ".json";
                s3.putObject(b -> b.bucket(fx.media).key(other), RequestBody.fromString("{\"round\":" + r + "}"));
                assertThat(s3.getObjectAsBytes(b -> b.bucket(fx.media).key(other)).asUtf8String()).isEqualTo("{\"round\":" + r + "}");
            }
            assertThat(s3.getObjectAsBytes(b -> b.bucket(fx.media).key(key)).asUtf8String()).isEqualTo("{\"first\":true}");
        }
    }

    @Test
    void partOfAnAbortedUpload_withItsBodyStillOnTheWay_is404NoSuchUpload() {
        try (S3Client s3 = AwsClients.s3(fx.stack.clientConfig())) {
            String key = "unread/aborted-upload.bin";
            for (int round = 0; round < ROUNDS; round++) {
                String uploadId = s3.createMultipartUpload(b -> b.bucket(fx.ingest).key(key)).uploadId();
                s3.abortMultipartUpload(b -> b.bucket(fx.ingest).key(key).uploadId(uploadId));

                Throwable refused = catchThrowable(() -> s3.uploadPart(b -> b.bucket(fx.ingest).key(key).uploadId(uploadId)
                        .partNumber(1), late(new byte[64 * 1024], BODY_DELAY_MILLIS)));

                assertThat(refused).as("round %d: a part of an aborted upload", round).isInstanceOf(S3Exception.class);
                assertThat(((S3Exception) refused).awsErrorDetails().errorCode()).as("round %d", round).isEqualTo("NoSuchUpload");
                assertThat(s3.listMultipartUploads(b -> b.bucket(fx.ingest)).uploads()).noneMatch(u -> u.key().equals(key));
            }
        }
    }
}
