package com.mediaflow.infra.packaging;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import org.junit.jupiter.api.Test;

/**
 * What shared/ keeps to itself: a package with {@code internal} in its name (the format parsers
 * under {@code validation.internal}, the ISO-BMFF reader under {@code internal.isobmff}) is used by
 * shared's own classes only; the functions, the embedded stack, the CLI and the testkit go through
 * shared's public packages ({@code validation.Validator}, {@code codec}, {@code pipeline}, ...).
 * Every module is on infra's class path, so this test sees them all.
 */
class ModuleBoundariesTest {
    private static final JavaClasses ALL = new ClassFileImporter().importPackages("com.mediaflow");

    @Test
    void internalPackagesOfShared_areUsedByShared_only() {
        assertThat(ALL.stream().map(c -> c.getPackageName()).filter(p -> p.contains(".internal")).distinct())
                .as("the internal packages this rule guards exist (else it would pass on nothing)")
                .contains("com.mediaflow.shared.validation.internal.parsers", "com.mediaflow.shared.internal.isobmff");
        assertThat(ALL.stream().map(c -> c.getPackageName()).filter(p -> p.startsWith("com.mediaflow.")
                && !p.startsWith("com.mediaflow.shared")).distinct())
                .as("the modules outside shared are imported").contains("com.mediaflow.thumbnail", "com.mediaflow.infra.cli",
                        "com.mediaflow.testkit");

        noClasses().that().resideOutsideOfPackage("com.mediaflow.shared..")
                .should().dependOnClassesThat().resideInAPackage("com.mediaflow.shared..internal..")
                .because("internal packages are shared's own; use its public API")
                .check(ALL);
    }
}
