package com.mediaflow.infra.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import com.mediaflow.infra.TestPaths;
import com.mediaflow.infra.template.Template;
import com.mediaflow.infra.template.Template.FunctionDef;
import com.mediaflow.testkit.LocalContext;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * The fast half of what {@code SamBuildIT} checks in the packages, read from the sources: the test
 * kit ({@code mediaflow-testkit}: synthetic media, LocalContext, the corpus lookup) is never in a
 * function's package. Each function of template.yaml may name it in its pom only with scope test,
 * and may not depend on infra or bench, which carry it at compile scope. No main source of a
 * function, of shared or of logging names it. Each rule is also shown failing on a mutated pom.
 */
class LambdaPackagingTest {
    private static final String TESTKIT = "mediaflow-testkit";
    /** Modules that bring the test kit with them at compile scope. */
    private static final Set<String> CARRY_TESTKIT = Set.of("mediaflow-infra", "mediaflow-bench");

    @Test
    void functionPoms_nameTheTestkitOnlyWithTestScope() throws Exception {
        List<FunctionDef> functions = Template.load(TestPaths.template()).functions();
        assertThat(functions).as("AWS::Serverless::Function resources in template.yaml").isNotEmpty();

        List<String> violations = new ArrayList<>();
        for (FunctionDef f : functions) {
            Path pom = TestPaths.root().resolve(f.codeUri()).resolve("pom.xml").normalize();
            assertThat(pom).as("%s: CodeUri %s holds a pom.xml", f.logicalId(), f.codeUri()).isRegularFile();
            violations.addAll(testkitViolations(f.logicalId(), Files.readAllBytes(pom)));
        }

        assertThat(violations).as("the test kit in a function's runtime class path").isEmpty();
    }

    /** Every function module ships as a Lambda package, also one the template might not name (yet). */
    @Test
    void everyFunctionModulesPom_namesTheTestkitOnlyWithTestScope() throws Exception {
        List<Path> modules;
        try (Stream<Path> dirs = Files.list(TestPaths.root().resolve("functions"))) {
            modules = dirs.filter(d -> Files.isRegularFile(d.resolve("pom.xml"))).sorted().toList();
        }
        assertThat(modules).as("function modules").extracting(d -> d.getFileName().toString()).contains("pretraffic", "validate");

        List<String> violations = new ArrayList<>();
        for (Path module : modules) {
            violations.addAll(testkitViolations(module.getFileName().toString(), Files.readAllBytes(module.resolve("pom.xml"))));
            violations.addAll(testkitMentions(module.resolve("src/main/java")));
        }

        assertThat(violations).as("the test kit in a function module's runtime class path or main sources").isEmpty();
    }

    @Test
    void testkitViolations_compileRuntimeOrDefaultScope_isCaught() throws Exception {
        assertThat(testkitViolations("Fn", pom(dependency(TESTKIT, null)))).singleElement().asString()
                .contains("Fn").contains(TESTKIT).contains("scope compile (the default)").contains("expected test");
        assertThat(testkitViolations("Fn", pom(dependency(TESTKIT, "runtime")))).singleElement().asString()
                .contains("scope runtime");
        assertThat(testkitViolations("Fn", pom(dependency(TESTKIT, "provided")))).hasSize(1);
        assertThat(testkitViolations("Fn", pom(dependency(TESTKIT, "test")))).isEmpty();
    }

    @Test
    void testkitViolations_infraOrBenchAsADependency_isCaught() throws Exception {
        assertThat(testkitViolations("Fn", pom(dependency("mediaflow-infra", null)))).singleElement().asString()
                .contains("mediaflow-infra").contains("carries " + TESTKIT);
        assertThat(testkitViolations("Fn", pom(dependency("mediaflow-bench", "runtime")))).hasSize(1);
        assertThat(testkitViolations("Fn", pom(dependency("mediaflow-infra", "test")))).isEmpty();
    }

    @Test
    void testkitViolations_inAProfile_isCaughtToo() throws Exception {
        String xml = pomXml("").replace("</project>", "<profiles><profile><id>p</id><dependencies>"
                + dependency(TESTKIT, "compile") + "</dependencies></profile></profiles></project>");

        assertThat(testkitViolations("Fn", xml.getBytes(StandardCharsets.UTF_8))).hasSize(1);
    }

    @Test
    void mainSources_ofFunctionsSharedAndLogging_nameNoTestkitClass() throws Exception {
        List<Path> dirs = new ArrayList<>(List.of(TestPaths.root().resolve("shared/src/main/java"),
                TestPaths.root().resolve("logging/src/main/java")));
        for (FunctionDef f : Template.load(TestPaths.template()).functions()) {
            dirs.add(TestPaths.root().resolve(f.codeUri()).resolve("src/main/java").normalize());
        }

        List<String> found = new ArrayList<>();
        for (Path dir : dirs) {
            assertThat(dir).as("main sources").isDirectory();
            found.addAll(testkitMentions(dir));
        }

        assertThat(found).as("test-kit classes or imports in code that ships in a Lambda package").isEmpty();
    }

    @Test
    void probes_carryLocalContext_forTheColdStartProbeOnAPackageAlone(@TempDir Path tmp) throws Exception {
        Path dir = Probes.writeTo(tmp);

        assertThat(dir.resolve("com/mediaflow/infra/probe/ColdStartProbe.class")).isRegularFile();
        assertThat(dir.resolve("com/mediaflow/testkit/LocalContext.class")).isRegularFile();
        assertThat(dir.resolve("com/mediaflow/testkit/LocalContext$Slf4jLambdaLogger.class")).isRegularFile();
        assertThat(localContextClasses()).as("the classes LocalContext is made of, each copied by Probes")
                .allSatisfy(name -> assertThat(dir.resolve("com/mediaflow/testkit/" + name)).isRegularFile());
    }

    /** LocalContext.class and its nested classes, as built in testkit (a folder, or the jar). */
    private static List<String> localContextClasses() throws Exception {
        Path where = Path.of(LocalContext.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<String> names = new ArrayList<>();
        if (Files.isDirectory(where)) {
            try (Stream<Path> files = Files.list(where.resolve("com/mediaflow/testkit"))) {
                files.map(f -> f.getFileName().toString()).filter(n -> n.matches("LocalContext(\\$.*)?\\.class"))
                        .forEach(names::add);
            }
        } else {
            try (ZipFile jar = new ZipFile(where.toFile())) {
                jar.stream().map(ZipEntry::getName).filter(n -> n.matches("com/mediaflow/testkit/LocalContext(\\$.*)?\\.class"))
                        .map(n -> n.substring("com/mediaflow/testkit/".length())).forEach(names::add);
            }
        }
        assertThat(names).as("LocalContext's classes in %s", where).contains("LocalContext.class");
        return names;
    }

    // ------------------------------------------------------------------ the rule

    /**
     * What is wrong in a function's pom: the test kit with a scope other than test, or a module that
     * carries the test kit (infra, bench) with a scope other than test. Dependencies in profiles count.
     */
    static List<String> testkitViolations(String functionId, byte[] pom) throws Exception {
        var factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        Element project = factory.newDocumentBuilder().parse(new ByteArrayInputStream(pom)).getDocumentElement();
        List<String> out = new ArrayList<>();
        NodeList deps = project.getElementsByTagName("dependency");
        for (int i = 0; i < deps.getLength(); i++) {
            Element dep = (Element) deps.item(i);
            if (isUnder(dep, "dependencyManagement") || isUnder(dep, "plugin")) {
                continue;
            }
            String artifactId = child(dep, "artifactId");
            String scope = child(dep, "scope");
            String shownScope = scope == null ? "compile (the default)" : scope;
            if ("test".equals(scope)) {
                continue;
            }
            if (TESTKIT.equals(artifactId)) {
                out.add(functionId + ": " + TESTKIT + " with scope " + shownScope
                        + ", expected test: the test kit would ship in the Lambda package");
            } else if (CARRY_TESTKIT.contains(artifactId)) {
                out.add(functionId + ": " + artifactId + " with scope " + shownScope + ", which carries " + TESTKIT
                        + " at compile scope; expected no such dependency, or scope test");
            }
        }
        return out;
    }

    private static boolean isUnder(Node node, String ancestor) {
        for (Node n = node.getParentNode(); n != null; n = n.getParentNode()) {
            if (ancestor.equals(n.getNodeName())) {
                return true;
            }
        }
        return false;
    }

    private static String child(Element e, String name) {
        for (Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (name.equals(n.getNodeName())) {
                return n.getTextContent().trim();
            }
        }
        return null;
    }

    private static List<String> testkitMentions(Path dir) throws IOException {
        List<String> found = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
                String name = p.getFileName().toString();
                if (name.equals("SyntheticMedia.java") || name.equals("LocalContext.java")) {
                    found.add(p + ": a test-kit class in main code");
                } else if (Files.readString(p).contains("com.mediaflow.testkit")) {
                    found.add(p + ": names com.mediaflow.testkit");
                }
            }
        }
        return found;
    }

    // ------------------------------------------------------------------ mutated poms

    private static String dependency(String artifactId, String scope) {
        return "<dependency><groupId>com.mediaflow</groupId><artifactId>" + artifactId + "</artifactId>"
                + (scope == null ? "" : "<scope>" + scope + "</scope>") + "</dependency>";
    }

    private static byte[] pom(String dependency) {
        return pomXml(dependency).getBytes(StandardCharsets.UTF_8);
    }

    private static String pomXml(String dependency) {
        return ("<project><modelVersion>4.0.0</modelVersion><artifactId>mediaflow-fn</artifactId>"
                + "<dependencyManagement><dependencies>" + dependency(TESTKIT, null) + "</dependencies></dependencyManagement>"
                + "<dependencies><dependency><groupId>com.mediaflow</groupId><artifactId>mediaflow-shared</artifactId>"
                + "</dependency>" + dependency + "</dependencies></project>");
    }
}
