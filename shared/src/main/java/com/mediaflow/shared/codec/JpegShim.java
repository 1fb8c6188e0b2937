package com.mediaflow.shared.codec;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import org.bytedeco.javacpp.Loader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads libmediaflowjpeg, the project's one native library of its own (shared/src/main/c: a
 * libjpeg error handler that can longjmp, around libjpeg-turbo's decode), for {@link TurboJpeg}.
 *
 * <p>It ships for linux-x86_64 and linux-arm64 as {@value #RESOURCE_DIR}{@code linux-<arch>/}
 * {@value #FILE}: in the function packages unpacked beside JavaCPP's natives and loaded in place
 * (nothing written at cold start), in the {@code mediaflow-shared} jar with the classifier
 * {@code natives} elsewhere, copied then into JavaCPP's cache folder once per content. It needs
 * libleptonica.so.6 (its jpeg_* symbols), so Leptonica's natives must be loaded first.
 * Anything that goes wrong answers false and is logged once: JPEGs are then decoded through
 * Leptonica, the same pixels at about 1.2x the time.
 */
final class JpegShim {

    private static final Logger LOG = LoggerFactory.getLogger(JpegShim.class);

    static final String RESOURCE_DIR = "/com/mediaflow/natives/";
    static final String FILE = "libmediaflowjpeg.so";

    private JpegShim() {
    }

    /** JavaCPP's platform name for this JVM's machine, or null where the library is not built. */
    static String platform() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        if (!os.startsWith("linux")) {
            return null;
        }
        return switch (arch) {
            case "amd64", "x86_64" -> "linux-x86_64";
            case "aarch64", "arm64" -> "linux-arm64";
            default -> null;
        };
    }

    /** Loads the library for {@code owner}'s native methods; false (logged) when it cannot. */
    static boolean load(Class<?> owner) {
        String platform = platform();
        if (platform == null) {
            LOG.info("libmediaflowjpeg is not built for {} {}; JPEGs are decoded through Leptonica",
                    System.getProperty("os.name"), System.getProperty("os.arch"));
            return false;
        }
        String resource = RESOURCE_DIR + platform + "/" + FILE;
        URL url = owner.getResource(resource);
        if (url == null) {
            LOG.warn("{} is not on the class path (the mediaflow-shared natives jar is missing); JPEGs are "
                    + "decoded through Leptonica, about 1.2x slower", resource);
            return false;
        }
        try {
            Path file = "file".equals(url.getProtocol()) ? Path.of(url.toURI()) : copyToCache(url);
            System.load(file.toString());
            LOG.debug("libmediaflowjpeg loaded from {}", file);
            return true;
        } catch (IOException | URISyntaxException | UnsatisfiedLinkError | SecurityException e) {
            LOG.warn("libmediaflowjpeg ({}) cannot be loaded; JPEGs are decoded through Leptonica: {}", url, e.toString());
            return false;
        }
    }

    /** The library copied into JavaCPP's cache folder, under the first 16 hex digits of its SHA-256. */
    private static Path copyToCache(URL url) throws IOException {
        byte[] bytes;
        try (InputStream in = url.openStream()) {
            bytes = in.readAllBytes();
        }
        String digest;
        try {
            digest = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
        Path dir = Loader.getCacheDir().toPath().resolve("mediaflow").resolve(digest);
        Path target = dir.resolve(FILE);
        if (Files.isRegularFile(target) && Files.size(target) == bytes.length) {
            return target;
        }
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, FILE, ".part");
        try {
            Files.write(tmp, bytes);
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
        return target;
    }
}
