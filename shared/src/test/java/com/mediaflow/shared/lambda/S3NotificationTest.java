package com.mediaflow.shared.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mediaflow.shared.error.MalformedEventException;
import java.util.List;
import org.junit.jupiter.api.Test;

class S3NotificationTest {
    private static final String BUCKET = "mediaflow-ingest-123456789012";

    /** One record, shaped as in the S3 user guide's "Event message structure" (eventVersion 2.1). */
    private static String record(String eventName, String bucket, String key) {
        return """
                {
                  "eventVersion": "2.1",
                  "eventSource": "aws:s3",
                  "awsRegion": "us-west-2",
                  "eventTime": "1970-01-01T00:00:00.000Z",
                  "eventName": "%s",
                  "userIdentity": { "principalId": "AIDAJDPLRKLG7UEXAMPLE" },
                  "requestParameters": { "sourceIPAddress": "127.0.0.1" },
                  "responseElements": {
                    "x-amz-request-id": "C3D13FE58DE4C810",
                    "x-amz-id-2": "FMyUVURIY8/IgAtTv8xRjskZQpcIZ9KG4V5Wp6S7S/JRWeUWerMUE5JgHvANOjpD"
                  },
                  "s3": {
                    "s3SchemaVersion": "1.0",
                    "configurationId": "testConfigRule",
                    "bucket": {
                      "name": "%s",
                      "ownerIdentity": { "principalId": "A3NL1KOZZKExample" },
                      "arn": "arn:aws:s3:::%s"
                    },
                    "object": {
                      "key": "%s",
                      "size": 1024,
                      "eTag": "d41d8cd98f00b204e9800998ecf8427e",
                      "versionId": "096fKKXTRTtl3on89fVO.nfljtsv6qko",
                      "sequencer": "0055AED6DCD90281E5"
                    }
                  }
                }
                """.formatted(eventName, bucket, bucket, key);
    }

    private static String body(String... records) {
        return "{\"Records\":[" + String.join(",", records) + "]}";
    }

    @Test
    void parse_awsDocumentedPut_readsEveryField() {
        // given
        String body = body(record("ObjectCreated:Put", BUCKET, "uploads/HappyFace.jpg"));

        // when
        List<S3Notification.ObjectCreated> created = S3Notification.parse(body, BUCKET);

        // then
        assertThat(created).containsExactly(new S3Notification.ObjectCreated(
                "ObjectCreated:Put", BUCKET, "uploads/HappyFace.jpg", 1024, "d41d8cd98f00b204e9800998ecf8427e", "0055AED6DCD90281E5",
                "1970-01-01T00:00:00.000Z"));
    }

    @Test
    void parse_formEncodedKey_isDecoded() {
        String body = body(record("ObjectCreated:Put", BUCKET, "uploads/my+photo%281%29.jpg"));

        assertThat(S3Notification.parse(body, BUCKET)).singleElement()
                .extracting(S3Notification.ObjectCreated::key).isEqualTo("uploads/my photo(1).jpg");
    }

    @Test
    void parse_utf8EncodedKey_isDecoded() {
        // given "写真 été.jpg" as S3 encodes it
        String body = body(record("ObjectCreated:CompleteMultipartUpload", BUCKET, "%E5%86%99%E7%9C%9F+%C3%A9t%C3%A9.jpg"));

        assertThat(S3Notification.parse(body, BUCKET)).singleElement()
                .extracting(S3Notification.ObjectCreated::key).isEqualTo("写真 été.jpg");
    }

    @Test
    void parse_encodedPlusAndPercent_areLiteral() {
        String body = body(record("ObjectCreated:Put", BUCKET, "a%2Bb%25c.png"));

        assertThat(S3Notification.parse(body, BUCKET).get(0).key()).isEqualTo("a+b%c.png");
    }

    @Test
    void parse_invalidPercentEncoding_isMalformed() {
        String body = body(record("ObjectCreated:Put", BUCKET, "bad%zzkey.jpg"));

        assertThatThrownBy(() -> S3Notification.parse(body, BUCKET))
                .isInstanceOf(MalformedEventException.class)
                .hasMessageContaining("bad%zzkey.jpg");
    }

    @Test
    void parse_s3TestEvent_isEmpty() {
        // given the message S3 sends when a notification configuration is saved
        String body = """
                {"Service":"Amazon S3","Event":"s3:TestEvent","Time":"2014-10-13T15:57:02.089Z",
                 "Bucket":"%s","RequestId":"5582815E1AEA5ADF","HostId":"8cLeGAmw098X5cv4Zkwcmo8vvZa3eH3eKxsPzbB9wrR+YstdA6Knx4Ip8EXAMPLE"}
                """.formatted(BUCKET);

        assertThat(S3Notification.parse(body, BUCKET)).isEmpty();
    }

    @Test
    void parse_nonCreatedRecords_areSkipped() {
        // given a delete, a restore, and one put, for any bucket
        String body = body(
                record("ObjectRemoved:Delete", "another-bucket", "gone.jpg"),
                record("ObjectRestore:Completed", BUCKET, "cold.jpg"),
                record("ObjectCreated:Post", BUCKET, "new.jpg"));

        assertThat(S3Notification.parse(body, BUCKET)).extracting(S3Notification.ObjectCreated::key).containsExactly("new.jpg");
    }

    @Test
    void parse_everyRecord_isReturnedInOrder() {
        String body = body(record("ObjectCreated:Put", BUCKET, "a.jpg"), record("ObjectCreated:Copy", BUCKET, "b.jpg"));

        assertThat(S3Notification.parse(body, BUCKET)).extracting(S3Notification.ObjectCreated::key).containsExactly("a.jpg", "b.jpg");
    }

    @Test
    void parse_wrongBucket_isMalformedNamingBoth() {
        String body = body(record("ObjectCreated:Put", "someone-elses-bucket", "a.jpg"));

        assertThatThrownBy(() -> S3Notification.parse(body, BUCKET))
                .isInstanceOf(MalformedEventException.class)
                .hasMessageContaining("'someone-elses-bucket'")
                .hasMessageContaining("expected '" + BUCKET + "'");
    }

    @Test
    void parse_missingRecords_isMalformedNamingKeysFound() {
        assertThatThrownBy(() -> S3Notification.parse("{\"Messages\":[]}", BUCKET))
                .isInstanceOf(MalformedEventException.class)
                .hasMessageContaining("Records")
                .hasMessageContaining("Messages");
    }

    @Test
    void parse_recordsNotArray_isMalformed() {
        assertThatThrownBy(() -> S3Notification.parse("{\"Records\":{}}", BUCKET)).isInstanceOf(MalformedEventException.class);
    }

    @Test
    void parse_invalidJson_isMalformedWithCause() {
        assertThatThrownBy(() -> S3Notification.parse("{\"Records\": [", BUCKET))
                .isInstanceOf(MalformedEventException.class)
                .hasMessageContaining("invalid JSON")
                .hasCauseInstanceOf(Exception.class);
    }

    @Test
    void parse_jsonArrayOrEmptyBody_isMalformed() {
        assertThatThrownBy(() -> S3Notification.parse("[]", BUCKET)).isInstanceOf(MalformedEventException.class);
        assertThatThrownBy(() -> S3Notification.parse("", BUCKET)).isInstanceOf(MalformedEventException.class);
    }

    @Test
    void parse_createdRecordWithoutKey_isMalformed() {
        String body = "{\"Records\":[{\"eventName\":\"ObjectCreated:Put\",\"s3\":{\"bucket\":{\"name\":\"" + BUCKET + "\"},\"object\":{}}}]}";

        assertThatThrownBy(() -> S3Notification.parse(body, BUCKET))
                .isInstanceOf(MalformedEventException.class)
                .hasMessageContaining("s3.object.key");
    }

    @Test
    void parse_missingSize_isMinusOne() {
        String body = "{\"Records\":[{\"eventName\":\"ObjectCreated:Put\",\"s3\":{\"bucket\":{\"name\":\"" + BUCKET
                + "\"},\"object\":{\"key\":\"a.jpg\"}}}]}";

        S3Notification.ObjectCreated created = S3Notification.parse(body, BUCKET).get(0);

        assertThat(created.size()).isEqualTo(-1);
        assertThat(created.etag()).isNull();
        assertThat(created.sequencer()).isNull();
    }

    @Test
    void record_writtenThenParsed_givesBackTheSameObject_forKeysS3EncodesSpecially() {
        for (String key : List.of("uploads/HappyFace.jpg", "été 2026/a+b %41\nphoto~1*.jpg", "k".repeat(1024), "a%2Fb/c%20d")) {
            S3Notification.ObjectCreated o = new S3Notification.ObjectCreated("ObjectCreated:Put", BUCKET, key, 1024,
                    "d41d8cd98f00b204e9800998ecf8427e", "0055AED6DCD90281E5", "1970-01-01T00:00:00.000Z");

            String body = com.mediaflow.shared.model.Json.write(S3Notification.notification("us-west-2", "cfg", o));

            assertThat(S3Notification.parse(body, BUCKET)).containsExactly(o);
        }
    }

    @Test
    void record_keepsTheAwsShape_slashAndTildeLiteral_spaceAsPlus_andLeavesOutWhatItDoesNotKnow() {
        S3Notification.ObjectCreated o = new S3Notification.ObjectCreated("ObjectCreated:Copy", BUCKET, "a b/c~d*e+f.jpg", -1,
                "\"abc\"", null, null);

        String json = com.mediaflow.shared.model.Json.write(S3Notification.record("eu-west-1", "sweeper", o));

        assertThat(json).isEqualTo("{\"eventVersion\":\"2.1\",\"eventSource\":\"aws:s3\",\"awsRegion\":\"eu-west-1\","
                + "\"eventName\":\"ObjectCreated:Copy\",\"s3\":{\"s3SchemaVersion\":\"1.0\",\"configurationId\":\"sweeper\","
                + "\"bucket\":{\"name\":\"" + BUCKET + "\",\"arn\":\"arn:aws:s3:::" + BUCKET + "\"},"
                + "\"object\":{\"key\":\"a+b/c~d%2Ae%2Bf.jpg\",\"eTag\":\"abc\"}}}");
    }
}
