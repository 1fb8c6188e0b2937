package com.mediaflow.shared.aws;

import static org.assertj.core.api.Assertions.assertThat;

import com.mediaflow.shared.config.Config;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;

/**
 * The functions' S3 client on a local plain-HTTP endpoint signs its requests but not their bodies,
 * as the SDK does over HTTPS on AWS; an SDK client left as it is signs every chunk of the body.
 * Checked on the wire, against a local HTTP server that records what it gets.
 */
class LocalEndpointSigningTest {
    private HttpServer server;
    private final Map<String, String> headers = new ConcurrentHashMap<>();
    private volatile byte[] body;

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(), String.join(",", v)));
            body = exchange.getRequestBody().readAllBytes();
            exchange.getResponseHeaders().add("ETag", "\"0\"");
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Test
    void functionsClient_onAPlainHttpEndpoint_signsTheRequestButNotTheBody() {
        // given: a function's client, configured for a local endpoint as the embedded stack configures it
        Config config = Config.of(Map.of(Config.AWS_ENDPOINT_URL, url(), "AWS_ACCESS_KEY_ID", "test",
                "AWS_SECRET_ACCESS_KEY", "secret", "AWS_REGION", "us-east-1"));
        byte[] payload = "x".repeat(300_000).getBytes(StandardCharsets.US_ASCII);

        // when
        try (S3Client s3 = AwsClients.s3(config)) {
            s3.putObject(b -> b.bucket("media").key("a/b.jpg"), RequestBody.fromBytes(payload));
        }

        // then: signed headers, an unsigned body (with its CRC32 in a trailer), on plain HTTP
        assertThat(headers.get("x-amz-content-sha256")).isEqualTo("STREAMING-UNSIGNED-PAYLOAD-TRAILER");
        assertThat(headers.get("authorization")).startsWith("AWS4-HMAC-SHA256 Credential=test/")
                .contains("x-amz-content-sha256").contains("Signature=");
        assertThat(headers.get("x-amz-trailer")).isEqualTo("x-amz-checksum-crc32");
        String wire = new String(body, StandardCharsets.US_ASCII);
        assertThat(wire).doesNotContain("chunk-signature").contains("x-amz-checksum-crc32:");
        assertThat(dechunk(body)).isEqualTo(payload);
    }

    @Test
    void sdkClientAsItIs_onAPlainHttpEndpoint_signsEveryChunk() {
        // given: the SDK's own signing, as an outside client (the bench, the aws CLI) has it
        try (S3Client s3 = S3Client.builder().endpointOverride(URI.create(url())).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "secret")))
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build()).build()) {
            // when
            s3.putObject(b -> b.bucket("media").key("a/b.jpg"), RequestBody.fromString("x".repeat(300_000)));
        }

        // then
        assertThat(headers.get("x-amz-content-sha256")).isEqualTo("STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER");
        assertThat(new String(body, StandardCharsets.US_ASCII)).contains("chunk-signature=");
    }

    @Test
    void onlyPlainHttpOnAPortThatIsNotTheDefault_isSignedAsIfHttps() {
        // the Host header carries the port unless it is the protocol's default: 80 and 443 would change it
        SdkHttpRequest.Builder base = SdkHttpRequest.builder().method(SdkHttpMethod.PUT).host("127.0.0.1").encodedPath("/b/k");
        assertThat(LocalEndpointSigning.AsIfHttps.applies(base.protocol("http").port(4566).build())).isTrue();
        assertThat(LocalEndpointSigning.AsIfHttps.applies(base.protocol("http").port(80).build())).isFalse();
        assertThat(LocalEndpointSigning.AsIfHttps.applies(base.protocol("http").port(443).build())).isFalse();
        assertThat(LocalEndpointSigning.AsIfHttps.applies(base.protocol("https").port(4566).build())).isFalse();
    }

    /** The data of an aws-chunked body: "hex-size[;ext]\r\n data \r\n" ... "0\r\n" trailers. */
    private static byte[] dechunk(byte[] wire) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int i = 0;
        while (true) {
            int eol = indexOfCrlf(wire, i);
            String line = new String(wire, i, eol - i, StandardCharsets.US_ASCII);
            int size = Integer.parseInt(line.split(";", 2)[0].trim(), 16);
            if (size == 0) {
                return out.toByteArray();
            }
            out.write(wire, eol + 2, size);
            i = eol + 2 + size + 2;
        }
    }

    private static int indexOfCrlf(byte[] b, int from) {
        for (int i = from; i + 1 < b.length; i++) {
            if (b[i] == '\r' && b[i + 1] == '\n') {
                return i;
            }
        }
        throw new IllegalArgumentException("no CRLF after " + from);
    }
}
