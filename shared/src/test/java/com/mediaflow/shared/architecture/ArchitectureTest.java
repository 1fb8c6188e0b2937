package com.mediaflow.shared.architecture;

import static com.tngtech.archunit.base.DescribedPredicate.describe;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
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
     * Files already over the cap, with the most lines each may have (today's count). Splitting them
     * by what changes together is open work (issue "one parser per format ...").
     */
    private static final Map<String, Integer> OVERSIZED = Map.ofEntries(
            Map.entry("validation/parsers/IsoBmffParser.java", 1098),
            Map.entry("codec/AnimatedWebp.java", 636),
            Map.entry("validation/parsers/EbmlParser.java", 570));

    /** shared/'s own classes only (target/classes); see archunit.properties for why not the class path's. */
    private static final JavaClasses SHARED = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPath(Path.of("target/classes"));

    @Test
    void packagesOfShared_areFreeOfCycles_butForTheNamedEdges() {
        slices().matching("com.mediaflow.shared.(*)..").should().beFreeOfCycles()
                // debt: the exceptions name their ReasonCode, which lives in validation (which throws them)
                .ignoreDependency(resideInAPackage("com.mediaflow.shared.error.."),
                        named("com.mediaflow.shared.validation.ReasonCode"))
                // debt: CompletionEvent.of names the manifest's and receipt's keys (aws.Keys, the storage layout)
                .ignoreDependency(named("com.mediaflow.shared.model.CompletionEvent"), named("com.mediaflow.shared.aws.Keys"))
                // debt: the pipeline implements lambda's SqsBatch.FailureRecorder and takes its Lease, Heartbeat and
                // S3Notification; they belong in pipeline, with lambda depending on it only
                .ignoreDependency(resideInAPackage("com.mediaflow.shared.pipeline.."), describe("lambda.Lease and Heartbeat", c -> c.getName().equals("com.mediaflow.shared.lambda.Lease") || c.getName().equals("com.mediaflow.shared.lambda.Heartbeat")))
                .ignoreDependency(resideInAPackage("com.mediaflow.shared.pipeline.."),
                        named("com.mediaflow.shared.lambda.SqsBatch$FailureRecorder"))
                .ignoreDependency(resideInAPackage("com.mediaflow.shared.pipeline.."),
                        describe("lambda.S3Notification and its records", c -> c.getName().startsWith("com.mediaflow.shared.lambda.S3Notification")))
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

    private static com.tngtech.archunit.base.DescribedPredicate<JavaClass> named(String name) {
        return describe(name, c -> c.getName().equals(name));
    }
}
