package com.mediaflow.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.mediaflow.infra.template.Template;
import com.mediaflow.shared.validation.ReasonCode;
import java.io.IOException;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/** The README is where users look things up: it must not fall behind the code. */
class ReadmeTest {
    @Test
    void readme_opensWithTheTwoCommands() throws IOException {
        String readme = Files.readString(TestPaths.root().resolve("README.md"));
        int demo = readme.indexOf("./mediaflow demo");
        int verify = readme.indexOf("mvn verify");

        assertThat(demo).isPositive().isLessThan(1500);
        assertThat(verify).isPositive().isLessThan(1500);
    }

    @Test
    void readme_documentsEveryReasonCode() throws IOException {
        String readme = Files.readString(TestPaths.root().resolve("README.md"));

        for (ReasonCode code : ReasonCode.values()) {
            assertThat(readme).as("README's table of reason codes").contains("| `" + code.name() + "` |");
        }
    }

    @Test
    void readme_documentsEveryVariableTheTemplateSets() throws IOException {
        String readme = Files.readString(TestPaths.root().resolve("README.md"));

        for (Template.FunctionDef f : Template.load(TestPaths.template()).functions()) {
            for (String variable : f.environment().keySet()) {
                assertThat(readme).as("README mentions " + variable + " of " + f.logicalId()).contains(variable);
            }
        }
    }
}
