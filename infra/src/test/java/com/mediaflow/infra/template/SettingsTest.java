package com.mediaflow.infra.template;

import static org.assertj.core.api.Assertions.assertThat;

import com.mediaflow.infra.TestPaths;
import com.mediaflow.shared.config.Setting;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Each variable is declared once ({@link Setting}): template.yaml's parameters and
 * docs/configuration.md's table follow that declaration, never the other way round.
 */
class SettingsTest {
    @Test
    void everyDeclaredParameter_isTheTemplatesParameter_withTheDeclaredDefault() throws IOException {
        Map<String, String> defaults = Template.load(TestPaths.template()).parameterDefaults();

        for (Setting s : Setting.values()) {
            if (s.parameter() != null) {
                assertThat(defaults).as("template.yaml parameter %s, which sets %s", s.parameter(), s.name())
                        .containsKey(s.parameter());
                assertThat(defaults.get(s.parameter())).as("Default of %s (sets %s)", s.parameter(), s.name())
                        .isEqualTo(s.defaultValue());
            }
        }
    }

    @Test
    void everyVariableTheTemplateSetsFromAParameter_isDeclaredWithThatParameter() throws IOException {
        Template template = Template.load(TestPaths.template());

        for (Template.FunctionDef f : template.functions()) {
            f.environment().forEach((variable, value) -> {
                if (value instanceof Map<?, ?> m && m.get("Ref") instanceof String ref && template.parameterDefaults().containsKey(ref)) {
                    Setting s = Setting.valueOf(variable);
                    assertThat(s.parameter()).as("%s of %s is set from parameter %s", variable, f.logicalId(), ref).isEqualTo(ref);
                }
            });
        }
    }

    @Test
    void configurationDoc_hasTheDeclaredTable() throws IOException {
        String doc = Files.readString(TestPaths.root().resolve("docs/configuration.md"));
        String table = "| variable | default | unit | template parameter | read by | meaning |\n|---|---|---|---|---|---|\n"
                + Arrays.stream(Setting.values()).map(Setting::docRow).collect(Collectors.joining("\n")) + "\n";

        assertThat(doc).as("docs/configuration.md's table, as declared in Setting (paste this table there)").contains(table);
    }
}
