package com.mediaflow.infra.stack;

import static org.assertj.core.api.Assertions.assertThat;

import com.mediaflow.testkit.Corpus;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.htmlunit.HtmlUnitDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The console in a browser: HtmlUnit (a browser written in Java, so this tier runs everywhere,
 * Chromium or not) loads {@code consoleUrl}, and its own script uploads through the page's file
 * input, the upload API and the presigned POST (cross-origin, so S3's CORS answer counts), then
 * follows each upload to its end. What the page shows is asserted, and the page is kept under
 * {@code target/console/} as the test's artifact.
 */
class ConsoleIT {
    private static final Duration WAIT = Duration.ofSeconds(120);
    private static StackFixture fx;
    private HtmlUnitDriver browser;

    @TempDir
    Path tmp;

    @BeforeAll
    static void start() throws Exception {
        fx = StackFixture.start(true);
    }

    @AfterAll
    static void stop() {
        fx.close();
    }

    @BeforeEach
    void open() {
        browser = new HtmlUnitDriver(true);
        browser.get(fx.stack.consoleUrl().toString());
    }

    @AfterEach
    void close() {
        browser.quit();
    }

    @Test
    void consolePage_isServedOnTheApisOrigin_withNoBuildStep() throws Exception {
        HttpResponse<String> page = HttpClient.newHttpClient().send(HttpRequest.newBuilder(fx.stack.consoleUrl()).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).contains("text/html; charset=utf-8");
        assertThat(page.body()).contains("<input type=\"file\" id=\"file\" multiple>").contains("/uploads");
        assertThat(URI.create(fx.stack.consoleUrl().toString()).getPort()).isEqualTo(fx.stack.apiUrl().getPort());
    }

    @Test
    void photoDroppedOnThePage_endsReady_andShowsItsThumbnail() throws Exception {
        Path photo = tmp.resolve("landscape.jpg");
        Files.copy(Corpus.file("exif-orientation/Landscape_6.jpg"), photo);

        WebElement box = upload(photo);

        assertThat(status(box)).isEqualTo("READY");
        List<WebElement> thumbs = box.findElements(By.cssSelector("img[data-kind='thumbnail']"));
        assertThat(thumbs).as(box.getText()).isNotEmpty();
        assertThat(thumbs.get(0).getAttribute("src")).contains("/media/").contains("/thumbnail/");
        keep("ready");
    }

    @Test
    void programDisguisedAsAPhoto_endsQuarantined_andShowsItsReasonCode() throws Exception {
        byte[] program = new byte[512];
        program[0] = 'M';
        program[1] = 'Z';
        Path file = tmp.resolve("holiday.jpg");
        Files.write(file, program);

        WebElement box = upload(file);

        assertThat(status(box)).isEqualTo("QUARANTINED");
        assertThat(box.findElements(By.cssSelector(".reason"))).extracting(e -> e.getAttribute("data-code")).contains("EXECUTABLE");
        keep("quarantined");
    }

    @Test
    void deleteButton_deletesTheUpload_andRemovesItsRow() throws Exception {
        byte[] program = new byte[512];
        program[0] = 'M';
        program[1] = 'Z';
        program[2] = 'd';
        Path file = tmp.resolve("to-delete.jpg");
        Files.write(file, program);
        WebElement box = upload(file);
        String id = box.getAttribute("data-upload-id");

        box.findElement(By.cssSelector("button[data-role='delete']")).click();

        new WebDriverWait(browser, WAIT).until(d -> d.findElements(By.cssSelector(".upload[data-file='to-delete.jpg']")).isEmpty());
        HttpResponse<String> gone = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(fx.stack.apiUrl() + "/uploads/" + id)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(gone.statusCode()).as("the upload, deleted through the API").isEqualTo(404);
    }

    /** Chooses the file in the page's input, as a user would, and waits until the page shows a final state. */
    private WebElement upload(Path file) {
        browser.findElement(By.id("file")).sendKeys(file.toAbsolutePath().toString());
        By box = By.cssSelector(".upload[data-file='" + file.getFileName() + "']");
        new WebDriverWait(browser, WAIT).until(d -> {
            List<WebElement> found = d.findElements(box);
            return !found.isEmpty() && List.of("READY", "QUARANTINED", "FAILED", "REFUSED").contains(status(found.get(0)));
        });
        return browser.findElement(box);
    }

    private static String status(WebElement box) {
        return box.findElement(By.cssSelector("[data-role='status']")).getText();
    }

    /** The page as the browser holds it, for a person to look at after the run. */
    private void keep(String name) throws Exception {
        Path dir = Path.of("target", "console");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(name + ".html"), browser.getPageSource());
    }
}
