package com.mediaflow.infra.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The local stack's render secret (what the template's {@code RenderSecret} generates on AWS):
 * kept in {@code <data folder>/render-secret}, so render URLs stay valid across restarts on the same
 * folder; a new one per stack without a data folder. Given to the functions as {@code RENDER_SECRET}.
 */
final class LocalRenderSecret {
    static final String FILE = "render-secret";

    private LocalRenderSecret() {
    }

    static String of(Path dataDir) {
        if (dataDir == null) {
            return generate();
        }
        Path file = dataDir.resolve(FILE);
        try {
            if (Files.isRegularFile(file)) {
                String kept = Files.readString(file, StandardCharsets.UTF_8).trim();
                if (kept.length() >= 32) {
                    return kept;
                }
            }
            Files.createDirectories(dataDir);
            String secret = generate();
            Files.writeString(file, secret + "\n", StandardCharsets.UTF_8);
            return secret;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the render secret in " + file + ": " + e.getMessage(), e);
        }
    }

    private static String generate() {
        byte[] bytes = new byte[48];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes); // 64 characters
    }
}
