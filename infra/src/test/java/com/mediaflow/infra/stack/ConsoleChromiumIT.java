package com.mediaflow.infra.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.mediaflow.testkit.Corpus;
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
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The console in a real browser: Debian's {@code chromium}, headless, driven through Debian's
 * {@code chromium-driver} by Selenium. Both are named by path ({@code /usr/bin/chromium},
 * {@code /usr/bin/chromedriver}; the system properties or environment variables
 * {@value #BINARY_PROPERTY} / {@code MEDIAFLOW_CHROMIUM} and {@value #DRIVER_PROPERTY} /
 * {@code MEDIAFLOW_CHROMEDRIVER} name others), so Selenium Manager never runs and nothing is
 * downloaded. Where either is missing the whole class is skipped, visibly, saying which packages to
 * install; {@link ConsoleIT} (HtmlUnit) covers the same flows everywhere.
 *
 * <p>What only a real browser shows: the thumbnail and the signed on-demand render are decoded
 * ({@code naturalWidth}), the layout is drawn. A screenshot of each page is kept under
 * {@code target/console-screenshots/}.
 */
class ConsoleChromiumIT {
    static final String BINARY_PROPERTY = "mediaflow.chromium";
    static final String DRIVER_PROPERTY = "mediaflow.chromedriver";
    private static final Duration WAIT = Duration.ofSeconds(120);
    private static StackFixture fx;
    private static Path binary;
    private static Path driverBinary;
    private ChromeDriver browser;

    @TempDir
    Path tmp;

    @BeforeAll
    static void start() throws Exception {
        binary = Path.of(setting(BINARY_PROPERTY, "MEDIAFLOW_CHROMIUM", "/usr/bin/chromium"));
        driverBinary = Path.of(setting(DRIVER_PROPERTY, "MEDIAFLOW_CHROMEDRIVER", "/usr/bin/chromedriver"));
        if (Files.isExecutable(binary) && Files.isExecutable(driverBinary)) {
            fx = StackFixture.start(true);
        }
    }

    private static String setting(String property, String variable, String fallback) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            value = System.getenv(variable);
        }
        return value == null || value.isBlank() ? fallback : value;
    }

    private static String found(Path file) {
        return Files.isExecutable(file) ? "found" : "missing";
    }

    @AfterAll
    static void stop() {
        if (fx != null) {
            fx.close();
        }
    }

    @BeforeEach
    void open() {
        // checked for each test, not once for the class: each is then reported skipped, with this message
        assumeTrue(fx != null, "the real-browser tier needs Chromium at " + binary + " (" + found(binary) + ") and its driver at "
                + driverBinary + " (" + found(driverBinary) + "): install Debian's packages chromium and chromium-driver"
                + " (ConsoleIT covers the same flows in HtmlUnit)");
        // the driver by path: Selenium's DriverFinder then never asks Selenium Manager (which would download)
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(driverBinary.toFile())
                .usingAnyFreePort().build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(binary.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,1400");
        browser = new ChromeDriver(service, options);
        browser.get(fx.stack.consoleUrl().toString());
    }

    @AfterEach
    void close() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void photo_endsReady_itsThumbnailIsDecoded_andASignedRenderOfTheSizeAskedLoads() throws Exception {
        Path photo = tmp.resolve("landscape.jpg");
        Files.copy(Corpus.file("exif-orientation/Landscape_6.jpg"), photo);

        WebElement box = upload(photo);

        assertThat(status(box)).as(box.getText()).isEqualTo("READY");
        WebElement thumb = box.findElement(By.cssSelector("img[data-kind='thumbnail']"));
        assertThat(thumb.getAttribute("src")).contains("/media/").contains("/thumbnail/");
        new WebDriverWait(browser, Duration.ofSeconds(30)).until(d -> naturalWidth(thumb) > 0);

        WebElement field = box.findElement(By.cssSelector("[data-role='render']"));
        setNumber(field, "render-width", "128");
        setNumber(field, "render-height", "64");
        new Select(field.findElement(By.cssSelector("[data-role='render-fit']"))).selectByValue("cover");
        new Select(field.findElement(By.cssSelector("[data-role='render-format']"))).selectByValue("webp");
        field.findElement(By.cssSelector("[data-role='render-sign']")).click();
        WebElement render = new WebDriverWait(browser, Duration.ofSeconds(30)).until(d -> {
            List<WebElement> found = field.findElements(By.cssSelector("img[data-role='render-img']"));
            return !found.isEmpty() && naturalWidth(found.get(0)) > 0 ? found.get(0) : null;
        });

        assertThat(render.getAttribute("src")).startsWith(fx.stack.deliveryUrl() + "/r/").endsWith("/128x64/cover.webp");
        assertThat(browser.executeScript("return [arguments[0].naturalWidth, arguments[0].naturalHeight];", render))
                .as("Chromium decoded the WebP at the size asked").isEqualTo(List.of(128L, 64L));
        screenshot("ready");
    }

    @Test
    void programDisguisedAsAPhoto_endsQuarantined_andShowsItsReasonCode() throws Exception {
        byte[] program = new byte[512];
        program[0] = 'M';
        program[1] = 'Z';
        Path file = tmp.resolve("holiday.jpg");
        Files.write(file, program);

        WebElement box = upload(file);

        assertThat(status(box)).as(box.getText()).isEqualTo("QUARANTINED");
        assertThat(box.findElements(By.cssSelector(".reason"))).extracting(e -> e.getAttribute("data-code")).contains("EXECUTABLE");
        assertThat(box.findElements(By.cssSelector("img"))).as("nothing to show of a quarantined upload").isEmpty();
        assertThat(box.findElements(By.cssSelector("[data-role='render']"))).isEmpty();
        screenshot("quarantined");
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

    private long naturalWidth(WebElement img) {
        Object w = browser.executeScript("return arguments[0].complete ? arguments[0].naturalWidth : 0;", img);
        return w instanceof Number n ? n.longValue() : 0;
    }

    private static void setNumber(WebElement field, String role, String value) {
        WebElement input = field.findElement(By.cssSelector("[data-role='" + role + "']"));
        input.clear();
        input.sendKeys(value);
    }

    /** The page as Chromium drew it, for a person to look at after the run. */
    private void screenshot(String name) throws Exception {
        byte[] png = browser.getScreenshotAs(OutputType.BYTES);
        assertThat(png).startsWith((byte) 0x89, (byte) 'P', (byte) 'N', (byte) 'G');
        Path dir = Path.of("target", "console-screenshots");
        Files.createDirectories(dir);
        Files.write(dir.resolve(name + ".png"), png);
    }
}
