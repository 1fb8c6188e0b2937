package com.mediaflow.uploadapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.mediaflow.shared.format.MediaFormat;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class UploadRequestTest {
    private static final long MAX = 1000;

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "not json at all | BAD_REQUEST | the body is not JSON",
            "[1,2] | BAD_REQUEST | expected a JSON object",
            "{\"contentType\":\"image/png\",\"size\":5} | BAD_REQUEST | filename is missing",
            "{\"filename\":\"a.png\",\"contentType\":\"image/png\",\"size\":\"5\"} | BAD_REQUEST | size is \"5\"",
            "{\"filename\":\"a.png\",\"contentType\":\"image/png\",\"size\":5.5} | BAD_REQUEST | size is 5.5",
            "{\"filename\":\"a.zip\",\"contentType\":\"application/zip\",\"size\":5} | UNSUPPORTED_TYPE | contentType is 'application/zip' (ZIP), expected a type Mediaflow processes: image/jpeg",
            "{\"filename\":\"a.html\",\"contentType\":\"text/html\",\"size\":5} | UNSUPPORTED_TYPE | contentType is 'text/html'",
            "{\"filename\":\"a\",\"contentType\":\"image/x-unheard-of\",\"size\":5} | UNSUPPORTED_TYPE | 'image/x-unheard-of', expected",
            "{\"filename\":\"photo.png\",\"contentType\":\"image/jpeg\",\"size\":5} | TYPE_MISMATCH | names a PNG file, but contentType is image/jpeg",
            "{\"filename\":\"a.png\",\"contentType\":\"image/png\",\"size\":0} | EMPTY | size is 0, expected at least 1 byte",
            "{\"filename\":\"a.png\",\"contentType\":\"image/png\",\"size\":1001} | SIZE_LIMIT | size is 1001 bytes, expected at most 1000 (MAX_UPLOAD_BYTES)",
    })
    void parse_refused_is400WithItsCode(String body, String code, String message) {
        ApiError error = catchThrowableOfType(ApiError.class, () -> UploadRequest.parse(body, MAX));

        assertThat(error).isNotNull();
        assertThat(error.status()).isEqualTo(400);
        assertThat(error.code()).isEqualTo(code);
        assertThat(error.getMessage()).contains(message);
    }

    @Test
    void parse_accepted_keepsTheDeclaredTypeAndSize_atTheLimit() {
        UploadRequest r = UploadRequest.parse("{\"filename\":\"Beach Day.JPG\",\"contentType\":\"image/jpeg\",\"size\":1000}", MAX);

        assertThat(r).isEqualTo(new UploadRequest("Beach_Day.JPG", "image/jpeg", MediaFormat.JPEG, 1000));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "../../etc/passwd.png | passwd.png",
            "C:\\Users\\me\\photo.png | photo.png",
            "my photo (1).png | my_photo__1_.png",
            ".hidden.png | hidden.png",
            "...  | upload.png",
            "ünïcødé.png | n_c_d_.png",
    })
    void safeFileName_isOneSafeSegment(String declared, String expected) {
        assertThat(UploadRequest.safeFileName(declared, MediaFormat.PNG)).isEqualTo(expected);
    }

    @Test
    void safeFileName_long_isCutKeepingTheExtension() {
        String name = UploadRequest.safeFileName("a".repeat(300) + ".webp", MediaFormat.WEBP);

        assertThat(name).hasSize(100).endsWith("a.webp");
    }
}
