package com.mediaflow.infra;

import java.nio.file.Path;

/** Where the project and its test media (corpus/) are; set by the parent pom for surefire and failsafe. */
public final class TestPaths {
    private TestPaths() {
    }

    public static Path root() {
        String p = System.getProperty("mediaflow.root");
        if (p == null) {
            throw new IllegalStateException("system property mediaflow.root is not set; run the tests through Maven");
        }
        return Path.of(p).toAbsolutePath().normalize();
    }

    public static Path template() {
        return root().resolve("template.yaml");
    }

    public static Path events(String name) {
        return root().resolve("events").resolve(name);
    }

}
