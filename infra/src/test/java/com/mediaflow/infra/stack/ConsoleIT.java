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
    void readyPhoto_onDemandSizeField_showsASignedUrlThatRenders_andATamperedOneIs403() throws Exception {
        Path photo = tmp.resolve("portrait.jpg");
        Files.copy(Corpus.file("exif-orientation/Landscape_6.jpg"), photo);
        WebElement box = upload(photo);
        assertThat(status(box)).isEqualTo("READY");

        WebElement field = box.findElement(By.cssSelector("[data-role='render']"));
        String refused = sign(field, "300", "128", "cover", "webp").findElement(By.cssSelector(".render-error")).getAttribute("data-code");
        WebElement result = sign(field, "128", "64", "contain", "webp");

        assertThat(refused).as("300 is not in RENDER_SIZES").isEqualTo("SIZE_NOT_ALLOWED");
        String url = result.findElement(By.cssSelector("a[data-role='render-url']")).getAttribute("href");
        assertThat(url).startsWith(fx.stack.deliveryUrl() + "/r/").endsWith("/128x64/contain.webp");
        assertThat(result.findElement(By.cssSelector("img[data-role='render-img']")).getAttribute("src")).isEqualTo(url);
        HttpResponse<byte[]> render = get(url);
        assertThat(render.statusCode()).as(new String(render.body(), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo(200);
        assertThat(render.headers().firstValue("Content-Type")).hasValue("image/webp");
        assertThat(new String(render.body(), 8, 4, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("WEBP");
        // the signature covers the size: the same signature on another size is refused
        HttpResponse<byte[]> tampered = get(url.replace("/128x64/", "/128x128/"));
        assertThat(tampered.statusCode()).isEqualTo(403);
        // the page's request, over HTTP: the same URL for its caller, 404 for another (the local server's caller header)
        URI signing = URI.create(fx.stack.apiUrl() + "/uploads/" + box.getAttribute("data-upload-id")
                + "/render?width=128&height=64&fit=contain&format=webp");
        HttpResponse<String> mine = HttpClient.newHttpClient().send(HttpRequest.newBuilder(signing).build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> theirs = HttpClient.newHttpClient().send(HttpRequest.newBuilder(signing)
                .header(UploadApiServer.CALLER_HEADER, "someone-else").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(mine.statusCode()).isEqualTo(200);
        assertThat(mine.body()).contains("\"url\":\"" + url + "\"");
        assertThat(theirs.statusCode()).isEqualTo(404);
        assertThat(theirs.body()).doesNotContain("/r/");
        keep("render");
    }

    /** Fills the page's on-demand size field, presses its button and waits for the answer it shows. */
    private WebElement sign(WebElement field, String width, String height, String fit, String format) {
        WebElement result = field.findElement(By.cssSelector("[data-role='render-result']"));
        browser.executeScript("arguments[0].innerHTML = '';", result);
        for (String[] in : new String[][] {{"render-width", width}, {"render-height", height}}) {
            WebElement input = field.findElement(By.cssSelector("[data-role='" + in[0] + "']"));
            input.clear();
            input.sendKeys(in[1]);
        }
        new org.openqa.selenium.support.ui.Select(field.findElement(By.cssSelector("[data-role='render-fit']"))).selectByValue(fit);
        new org.openqa.selenium.support.ui.Select(field.findElement(By.cssSelector("[data-role='render-format']")))
                .selectByValue(format);
        field.findElement(By.cssSelector("[data-role='render-sign']")).click();
        new WebDriverWait(browser, Duration.ofSeconds(30)).until(d -> !result.findElements(By.cssSelector("*")).isEmpty());
        return result;
    }

    private static HttpResponse<byte[]> get(String url) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofByteArray());
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
