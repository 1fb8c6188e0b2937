package com.mediaflow.infra.stack;

import static org.assertj.core.api.Assertions.assertThat;

import com.mediaflow.shared.config.Config;
import com.mediaflow.testkit.SyntheticMedia;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.htmlunit.HtmlUnitDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The console with a file above the multipart threshold (6 MiB here): the page's own script PUTs
 * each part to its presigned URL (cross-origin: S3's CORS answer and its exposed ETag count), completes
 * the upload through the API, and follows it to READY, in HtmlUnit as in {@link ConsoleIT}.
 */
class ConsoleMultipartIT {
    private static final Duration WAIT = Duration.ofSeconds(180);
    private static final long MIB = 1L << 20;
    private static StackFixture fx;

    @TempDir
    static Path tmp;

    @BeforeAll
    static void start() throws Exception {
        fx = StackFixture.start(true, Map.of(Config.MULTIPART_THRESHOLD_BYTES, Long.toString(6 * MIB),
                Config.MULTIPART_PART_BYTES, Long.toString(5 * MIB)));
    }

    @AfterAll
    static void stop() {
        if (fx != null) {
            fx.close();
        }
    }

    @Test
    void videoAboveTheThreshold_isSentInParts_andEndsReady() throws Exception {
        Path video = SyntheticMedia.noiseMp4(tmp.resolve("noise.mp4"), 640, 480, 13, 3);
        assertThat(Files.size(video)).as("above the threshold, two parts").isBetween(6 * MIB + 1, 10 * MIB);
        HtmlUnitDriver browser = new HtmlUnitDriver(true);
        try {
            browser.get(fx.stack.consoleUrl().toString());
            browser.findElement(By.id("file")).sendKeys(video.toAbsolutePath().toString());
            By box = By.cssSelector(".upload[data-file='noise.mp4']");
            new WebDriverWait(browser, WAIT).until(d -> {
                List<WebElement> found = d.findElements(box);
                return !found.isEmpty() && List.of("READY", "QUARANTINED", "FAILED", "REFUSED").contains(status(found.get(0)));
            });
            WebElement done = browser.findElement(box);

            assertThat(status(done)).as(done.getText()).isEqualTo("READY");
            assertThat(done.getAttribute("data-upload-id")).isNotBlank();
        } finally {
            browser.quit();
        }
    }

    private static String status(WebElement box) {
        return box.findElement(By.cssSelector("[data-role='status']")).getText();
    }
}
