package com.mediaflow.shared.architecture;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Holds the line on shared/'s shape: no package cycles, and no source file over
 * {@value #MAX_LINES} lines. The debts are named below, each with its reason; a debt may shrink,
 * never grow, and a new one fails the build.
 */
class ArchitectureTest {
    static final int MAX_LINES = 500;

    /**
     * Files allowed over the cap, with the most lines each may have: none today. A file that must
     * grow past the cap is named here with its reason, and may only shrink.
     */
    private static final Map<String, Integer> OVERSIZED = Map.of();

    /** shared/'s own classes only (target/classes); see archunit.properties for why not the class path's. */
    private static final JavaClasses SHARED = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPath(Path.of("target/classes"));

    @Test
    void packagesOfShared_areFreeOfCycles() {
        slices().matching("com.mediaflow.shared.(*)..").should().beFreeOfCycles()
                .check(SHARED);
    }

    @Test
    void noSourceFile_isOverTheLineCap_andNoNamedDebtGrew() throws IOException {
        Path root = Path.of("src/main/java/com/mediaflow/shared");
        Map<String, Long> over = new TreeMap<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                long lines;
                try (Stream<String> l = Files.lines(f)) {
                    lines = l.count();
                }
                String name = root.relativize(f).toString().replace('\\', '/');
                if (lines > OVERSIZED.getOrDefault(name, MAX_LINES)) {
                    over.put(name, lines);
                }
            }
        }
        assertThat(over).as("files over %d lines (or over their named debt in OVERSIZED): split them by what changes"
                + " together", MAX_LINES).isEmpty();
    }
}
