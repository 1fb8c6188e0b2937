package com.mediaflow.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.mediaflow.infra.template.Template;
import com.mediaflow.shared.error.ReasonCode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The README and the docs it links (docs/, bench/README.md) are where users look things up: they
 * must not fall behind the code, and their links must lead somewhere.
 */
class ReadmeTest {
    private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");
    private static final Pattern HEADING = Pattern.compile("^#{1,6} (.+)$", Pattern.MULTILINE);

    @Test
    void readme_opensWithTheTwoCommands() throws IOException {
        String readme = read("README.md");
        int demo = readme.indexOf("./mediaflow demo");
        int verify = readme.indexOf("mvn verify");

        assertThat(demo).isPositive().isLessThan(1500);
        assertThat(verify).isPositive().isLessThan(1500);
    }

    @Test
    void readme_isTheFrontDoor_notTheManual() throws IOException {
        long lines = read("README.md").lines().count();

        assertThat(lines).as("README.md lines (the details belong in docs/)").isLessThanOrEqualTo(300);
    }

    @Test
    void validationDoc_documentsEveryReasonCode() throws IOException {
        String doc = read("docs/validation.md");

        for (ReasonCode code : ReasonCode.values()) {
            assertThat(doc).as("docs/validation.md's table of reason codes").contains("| `" + code.name() + "` |");
        }
    }

    @Test
    void configurationDoc_documentsEveryVariableTheTemplateSets() throws IOException {
        String doc = read("docs/configuration.md");

        for (Template.FunctionDef f : Template.load(TestPaths.template()).functions()) {
            for (String variable : f.environment().keySet()) {
                assertThat(doc).as("docs/configuration.md mentions " + variable + " of " + f.logicalId()).contains(variable);
            }
        }
    }

    @Test
    void everyRelativeLink_leadsToAFileAndHeadingThatExist() throws IOException {
        List<Path> docs = new ArrayList<>(List.of(TestPaths.root().resolve("README.md"),
                TestPaths.root().resolve("bench/README.md")));
        try (Stream<Path> s = Files.list(TestPaths.root().resolve("docs"))) {
            s.filter(p -> p.toString().endsWith(".md")).sorted().forEach(docs::add);
        }
        List<String> broken = new ArrayList<>();

        for (Path doc : docs) {
            Matcher m = LINK.matcher(Files.readString(doc));
            while (m.find()) {
                String target = m.group(1);
                if (target.matches("^[a-z]+:.*")) {
                    continue; // http:, https:, mailto:
                }
                int hash = target.indexOf('#');
                String file = hash < 0 ? target : target.substring(0, hash);
                Path resolved = file.isEmpty() ? doc : doc.getParent().resolve(file).normalize();
                if (!Files.exists(resolved)) {
                    broken.add(doc.getFileName() + ": " + target + " (no such file)");
                } else if (hash >= 0 && !anchors(resolved).contains(target.substring(hash + 1))) {
                    broken.add(doc.getFileName() + ": " + target + " (no such heading)");
                }
            }
        }

        assertThat(broken).as("links in README.md, docs/*.md and bench/README.md").isEmpty();
    }

    /** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens. */
    private static Set<String> anchors(Path markdown) throws IOException {
        Set<String> anchors = new HashSet<>();
        Matcher m = HEADING.matcher(Files.readString(markdown));
        while (m.find()) {
            anchors.add(m.group(1).strip().toLowerCase().replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-'));
        }
        return anchors;
    }

    private static String read(String path) throws IOException {
        return Files.readString(TestPaths.root().resolve(path));
    }
}
