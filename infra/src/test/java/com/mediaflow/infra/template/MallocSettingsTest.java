package com.mediaflow.infra.template;

import static org.assertj.core.api.Assertions.assertThat;

import com.mediaflow.infra.TestPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * glibc's malloc settings that ThumbnailFunction has on Lambda (template.yaml) are the ones the
 * embedded stack's JVM starts with everywhere it runs here: {@code ./mediaflow}, {@code bench/run}
 * and the tests' JVMs (pom.xml). glibc reads them once, at process start, so they cannot be set
 * from the code.
 */
class MallocSettingsTest {

    private static Map<String, String> templateSettings() throws IOException {
        return Template.load(TestPaths.template()).functions().stream()
                .filter(f -> f.logicalId().equals("ThumbnailFunction")).findFirst().orElseThrow().mallocSettings();
    }

    @Test
    void thumbnailFunction_setsMallocsMmapMaxAndTrimThreshold() throws IOException {
        assertThat(templateSettings()).containsOnlyKeys("MALLOC_MMAP_MAX_", "MALLOC_TRIM_THRESHOLD_")
                .containsEntry("MALLOC_MMAP_MAX_", "0");
    }

    @Test
    void theLauncherAndTheBenchRunner_exportTheTemplatesValues() throws IOException {
        for (String script : new String[] {"mediaflow", "bench/run"}) {
            String text = Files.readString(TestPaths.root().resolve(script));
            templateSettings().forEach((name, value) -> assertThat(text).as("%s exports %s", script, name)
                    .contains("export " + name + "=\"${" + name + ":-" + value + "}\""));
        }
    }

    @Test
    void theTestsJvm_runsWithTheTemplatesValues_fromPomXml() throws IOException {
        templateSettings().forEach((name, value) -> assertThat(System.getenv(name)).as(name).isEqualTo(value));
    }
}
