package com.mediaflow.infra.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.mediaflow.infra.TestPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cfn-lint tier: {@code template.yaml} as AWS's own linter sees it, after the SAM transform
 * (cfn-lint runs aws-sam-translator on it; a template SAM cannot expand is error E0001).
 *
 * <p>cfn-lint (1.51 with aws-sam-translator) is installed on the machines this project is built
 * on; where it is not on the PATH every test here is skipped, with the reason, never silently
 * passed. Exit codes are bit flags: 2 error, 4 warning, 8 informational. The runs (2-4 s each)
 * start together in {@code @BeforeAll} and overlap: 9-12 s in all on a busy 2-core machine.
 *
 * <p>Informational findings (not reported unless asked, {@code --include-checks I}) are fixed in
 * the template where the fix is plainly right: Retain policies on buckets and queues (I3011), an
 * explicit retention period on every queue (I3013). The rest are listed in
 * {@link #ACCEPTED_INFORMATIONAL} with the reason; any other informational finding fails.
 */
class CfnLintTest {

    /** Informational rules the template knowingly does not follow, and why. */
    static final Map<String, String> ACCEPTED_INFORMATIONAL = Map.of(
            "I2530", "SnapStart for the java21 functions: a deployment decision, not a lint fix. "
                    + "Lambda refuses SnapStart with ephemeral storage above 512 MB (thumbnail, "
                    + "metadata and transcode have 4-10 GB), it runs only published versions (an "
                    + "AutoPublishAlias, event sources on the alias), and what init does (JavaCPP "
                    + "extracting and loading the FFmpeg natives) must survive snapshot restore.");

    private static final Pattern RULE = Pattern.compile(":([EWI]\\d{4}):");

    private static Run version;
    private static Started lint;
    private static Started lintInformational;
    private static Started lintBrokenSam;
    private static Started samTransform;

    /** The runs' output files and the broken template. */
    @TempDir
    static Path tmp;

    @BeforeAll
    static void startCfnLint() throws IOException {
        // the template with an SQS event property SAM does not know, in a folder of its own
        String yaml = Files.readString(TestPaths.template());
        assertThat(yaml).as("the mutation's anchor text must be in template.yaml")
                .contains(BROKEN_FROM);
        Path broken = Files.createDirectories(tmp.resolve("broken"));
        Files.writeString(broken.resolve("template.yaml"), yaml.replace(BROKEN_FROM, BROKEN_TO));

        // all at once: each spends 2 s of its 3-4 s starting Python and importing cfn-lint
        Path root = TestPaths.root();
        Started versionRun = start(root, "version", "cfn-lint", "--version");
        lint = start(root, "lint", "cfn-lint", "template.yaml");
        lintInformational = start(root, "informational", "cfn-lint", "--format", "parseable",
                "--include-checks", "I", "--", "template.yaml");
        lintBrokenSam = start(broken, "broken-sam", "cfn-lint", "--format", "parseable",
                "template.yaml");
        samTransform = start(root, "sam-transform", "python3", "-c", SAM_TRANSFORM, "template.yaml");

        version = versionRun.finish();
    }

    /** Per test, not in {@code @BeforeAll}: surefire reports each skipped test, with the reason. */
    @BeforeEach
    void cfnLintIsOnThePath() {
        Run v = version;
        assumeTrue(v != null && v.exit == 0, () -> "cfn-lint is not on the PATH; the cfn-lint tier "
                + "(template.yaml errors, warnings, informational findings and the SAM transform) is "
                + "skipped. Install it with: pip install cfn-lint (1.51 or later)"
                + (v == null ? "" : ". `cfn-lint --version` said: " + v.output.strip()));
    }

    @AfterAll
    static void stopLeftovers() {
        for (Started s : new Started[] {lint, lintInformational, lintBrokenSam, samTransform}) {
            if (s != null && s.process() != null) {
                s.process().destroy(); // only when a test was skipped or failed before waiting
            }
        }
    }

    @Test
    void template_hasNoErrorsOrWarnings() {
        Run r = lint.finishStarted();

        assertThat(r.exit).as("%s exit code (2 error, 4 warning, 8 informational) of "
                + "`cfn-lint template.yaml`:%n%s", version.output.strip(), r.output).isZero();
    }

    @Test
    void template_informationalFindings_areOnlyTheAcceptedOnes() {
        Run r = lintInformational.finishStarted();
        TreeSet<String> rules = new TreeSet<>();
        for (String line : r.output.lines().toList()) {
            Matcher m = RULE.matcher(line);
            if (m.find()) {
                rules.add(m.group(1));
            }
        }
        System.out.printf("cfn-lint --include-checks I: exit %d, rules %s (accepted: %s)%n",
                r.exit, rules, ACCEPTED_INFORMATIONAL.keySet());

        assertThat(r.exit & ~0b1000).as("exit %d: errors, warnings or a failure of cfn-lint "
                + "itself from `cfn-lint --include-checks I`:%n%s", r.exit, r.output).isZero();
        assertThat(rules).as("informational findings not fixed and not accepted in "
                + "ACCEPTED_INFORMATIONAL (fix the template, or add the rule with a reason):%n%s",
                r.output).allMatch(ACCEPTED_INFORMATIONAL::containsKey);
        assertThat(r.exit & 0b1000).as("exit code %d against rules %s", r.exit, rules)
                .isEqualTo(rules.isEmpty() ? 0 : 0b1000);
    }

    @Test
    void brokenSamEvent_failsTheTransform_asAnError() {
        // given the template with "Queue: !GetAtt MetadataQueue.Arn" as "Stream: ..." (see above)
        Run r = lintBrokenSam.finishStarted();

        // then: aws-sam-translator ran, and its failure is an error, not a skip
        assertThat(r.exit & 0b0010).as("error bit of exit %d:%n%s", r.exit, r.output).isNotZero();
        assertThat(r.output).contains(":E0001:").contains("Error transforming template")
                .contains("MetadataFunction").contains("Stream");
    }

    @Test
    void samTransform_expandsEveryFunction() {
        Run r = samTransform.finish();
        assumeTrue(r != null && r.exit != 3, () -> "python3 cannot import cfnlint (cfn-lint "
                + "installed with its own interpreter, e.g. pipx?); the explicit SAM transform "
                + "check is skipped, template_hasNoErrorsOrWarnings still covers the transform "
                + "(E0001)" + (r == null ? ": no python3 on the PATH" : ": " + r.output.strip()));

        assertThat(r.exit).as("SAM transform of template.yaml:%n%s", r.output).isZero();
        assertThat(r.output.lines().toList()).as("resource types after the transform")
                // nine roles: one per function (the PreTraffic hook's too), and CodeDeploy's for the gradual
                // releases (one group per released function; the hook is not released through CodeDeploy)
                .contains("AWS::Lambda::Function 9", "AWS::IAM::Role 10", "AWS::CodeDeploy::DeploymentGroup 8",
                        "AWS::CodeDeploy::Application 1", "AWS::Lambda::Alias 9",
                        // five from the functions' SQS events, two of shadow mode (written out, under ShadowOn)
                        "AWS::Lambda::EventSourceMapping 7",
                        // the sweeper's Schedule event: an EventBridge rule and its permission to invoke the alias;
                        // the upload API's five routes: each a permission for API Gateway to invoke the alias;
                        // the render function's two for CloudFront (InvokeFunctionUrl and InvokeFunction on the alias)
                        "AWS::Events::Rule 1", "AWS::Lambda::Permission 8",
                        // the render function's Function URL (AWS_IAM) on its alias, behind CloudFront's /r/*
                        "AWS::Lambda::Url 1", "AWS::SecretsManager::Secret 1", "AWS::CloudFront::OriginAccessControl 2",
                        // the upload API: the HTTP API and its $default stage (JWT authorizer, throttling)
                        "AWS::ApiGatewayV2::Api 1", "AWS::ApiGatewayV2::Stage 1")
                .noneMatch(l -> l.startsWith("AWS::Serverless::"));
    }

    // --- helpers ---------------------------------------------------------------------------------

    private static final String BROKEN_FROM = "Queue: !GetAtt MetadataQueue.Arn";
    private static final String BROKEN_TO = "Stream: !GetAtt MetadataQueue.Arn";

    /**
     * cfn-lint's own SAM transform (aws-sam-translator, with local CodeUri replaced as cfn-lint
     * does), printing resource types and counts; exit 3 when cfnlint cannot be imported.
     */
    private static final String SAM_TRANSFORM = String.join("\n",
            "import sys",
            "from collections import Counter",
            "try:",
            "    from cfnlint.decode import decode",
            "    from cfnlint.template import Template",
            "except ImportError as e:",
            "    print(e)",
            "    sys.exit(3)",
            "tpl, errors = decode(sys.argv[1])",
            "if errors: sys.exit('cannot parse: ' + '; '.join(str(e) for e in errors))",
            "cfn = Template(sys.argv[1], tpl, ['us-east-1'])",
            "errors = cfn.transform()",
            "if errors: sys.exit('SAM transform failed: ' + '; '.join(str(e) for e in errors))",
            "for t, n in sorted(Counter(r['Type'] for r in cfn.template['Resources'].values()).items()):",
            "    print(t, n)");

    private record Run(int exit, String output) {
    }

    /** A command started with its output (and errors) going to a file; no process if it could not start. */
    private record Started(Process process, Path log, List<String> cmd) {

        /** Waits for the end (2 minutes at most); null when the command could not be started. */
        Run finish() {
            if (process == null) {
                return null;
            }
            try {
                if (!process.waitFor(2, TimeUnit.MINUTES)) {
                    process.destroyForcibly();
                    throw new AssertionError("timed out: " + cmd);
                }
                return new Run(process.exitValue(), Files.readString(log));
            } catch (IOException e) {
                throw new AssertionError("cannot read the output of " + cmd + " in " + log, e);
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted: " + cmd, e);
            }
        }

        Run finishStarted() {
            Run r = finish();
            assertThat(r).as("%s ran at --version but could not start as %s", cmd.get(0), cmd)
                    .isNotNull();
            return r;
        }
    }

    private static Started start(Path dir, String name, String... cmd) throws IOException {
        Path log = Files.createDirectories(tmp.resolve("logs")).resolve(name + ".txt");
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        try {
            return new Started(pb.start(), log, List.of(cmd));
        } catch (IOException e) {
            return new Started(null, log, List.of(cmd)); // not on the PATH
        }
    }
}
