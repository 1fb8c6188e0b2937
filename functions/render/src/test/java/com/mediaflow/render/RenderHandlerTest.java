package com.mediaflow.render;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.mediaflow.shared.aws.ObjectStore;
import com.mediaflow.shared.delivery.RenderUrls;
import com.mediaflow.shared.metrics.StepMetrics;
import com.mediaflow.shared.model.Json;
import com.mediaflow.shared.model.Manifest;
import com.mediaflow.shared.model.MediaStatus;
import com.mediaflow.shared.model.Output;
import com.mediaflow.testkit.SyntheticMedia;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The handler on a Function URL's event (payload 2.0): the answer's shape, the metrics it writes, and its priming. */
class RenderHandlerTest {
    private static final String ID = RenderRequestTest.ID;
    private final RenderUrls urls = new RenderUrls(RenderRequestTest.SECRET);
    private final MemoryS3 s3 = new MemoryS3();
    private final List<String> metricLines = new ArrayList<>();
    @TempDir
    Path dir;

    @AfterEach
    void resetSink() {
        StepMetrics.sink(null);
    }

    private RenderHandler handler() throws Exception {
        String display = "media/" + ID + "/thumbnail/display.jpg";
        s3.objects.put("media/" + display, Files.readAllBytes(SyntheticMedia.jpeg(dir.resolve("d.jpg"), 640, 480, 1)));
        s3.objects.put("media/media/" + ID + "/manifest.json", Json.bytes(new Manifest(ID, MediaStatus.READY, com.mediaflow.shared.format.MediaFormat.JPEG, com.mediaflow.shared.format.MediaCategory.IMAGE,
                1, new Manifest.Location("media", "media/" + ID + "/original"), Map.of(), List.of(),
                List.of(new Output("display", display, "image/jpeg", 640, 480, 1L)), Map.of())));
        StepMetrics.sink(metricLines::add);
        return new RenderHandler(new Renders(new ObjectStore(s3), "media", urls, List.of(64, 128, 256), 85, 80, dir.resolve("w"),
                1L << 24, java.time.Duration.ZERO), new StepMetrics("test", "render"));
    }

    private static APIGatewayV2HTTPEvent get(String path) {
        return APIGatewayV2HTTPEvent.builder().withVersion("2.0").withRouteKey("$default").withRawPath(path)
                .withRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder().withHttp(APIGatewayV2HTTPEvent.RequestContext.Http
                        .builder().withMethod("GET").withPath(path).build()).build()).build();
    }

    @Test
    void aRender_isBase64WithItsTypeAndImmutable_aRefusalIsJsonNoStore_andMetricsCountTheCache() throws Exception {
        RenderHandler h = handler();
        APIGatewayV2HTTPResponse ok = h.handleRequest(get(urls.path(ID, 128, 128, "cover", "webp")), null);
        APIGatewayV2HTTPResponse again = h.handleRequest(get(urls.path(ID, 128, 128, "cover", "webp")), null);
        APIGatewayV2HTTPResponse bad = h.handleRequest(get("/r/AAAA/" + ID + "/128x128/cover.webp"), null);

        assertThat(ok.getStatusCode()).isEqualTo(200);
        assertThat(ok.getIsBase64Encoded()).isTrue();
        assertThat(ok.getHeaders()).containsEntry("Content-Type", "image/webp").containsEntry("Cache-Control", ObjectStore.IMMUTABLE)
                .containsEntry(RenderHandler.SOURCE_HEADER, "rendered");
        assertThat(new String(Base64.getDecoder().decode(ok.getBody()), 0, 4)).isEqualTo("RIFF");
        assertThat(again.getHeaders()).containsEntry(RenderHandler.SOURCE_HEADER, "memory");
        assertThat(bad.getStatusCode()).isEqualTo(403);
        assertThat(bad.getHeaders()).containsEntry("Cache-Control", "no-store");
        assertThat(Json.MAPPER.readTree(bad.getBody()).get("code").asText()).isEqualTo(RenderError.BAD_SIGNATURE);
        assertThat(metricLines).anyMatch(l -> l.contains("\"RenderCacheMisses\"") && l.contains("\"Renders\""))
                .anyMatch(l -> l.contains("\"RenderCacheHits\""));
        assertThat(h.handleRequest(null, null).getStatusCode()).as("no event: not a render path").isEqualTo(404);
    }

    @Test
    void priming_rendersEachFormat_onSyntheticPixels() throws Exception {
        RenderHandler h = handler();
        h.priming().prime();

        assertThat(h.priming().lastFailed()).as(h.priming().lastOutcome()).isFalse();
        assertThat(h.priming().lastOutcome()).contains("rendered");
    }
}
