package com.mediaflow.infra.template;

import static org.assertj.core.api.Assertions.assertThat;

import com.mediaflow.infra.TestPaths;
import com.mediaflow.infra.stack.EmbeddedStack;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every prefix NamePrefix's constraints allow gives valid bucket names in every region, two regions
 * give two names, and ProductionChecks reports a template that breaks either.
 */
class BucketNamesTest {
    /** Two long region ids named by hand, in case the SDK on the class path predates them. */
    private static final List<String> LONG_REGIONS = List.of("ap-southeast-5", "us-gov-west-1", "us-isof-south-1");

    private static Template template;
    private static BucketNames.Constraints constraints;

    @TempDir
    Path tmp;

    @BeforeAll
    static void load() throws IOException {
        template = Template.load(TestPaths.template());
        constraints = BucketNames.constraints(template).orElseThrow();
    }

    @Test
    void s3NamingRules_refuseWhatS3Refuses() {
        for (String valid : List.of("abc", "a".repeat(63), "mediaflow-ingest-us-east-1-123456789012", "1-2", "a.b-c", "xn-a",
                "my--bucket")) {
            assertThat(BucketNames.invalid(valid)).as(valid).isEmpty();
        }
        for (String invalid : List.of("ab", "a".repeat(64), "Abc", "a_b", "-ab", "ab-", ".ab", "ab.", "a..b", "192.168.5.4",
                "xn--abc", "sthree-abc", "amzn-s3-demo-abc", "abc-s3alias", "abc--ol-s3", "abc.mrap", "abc--x-s3",
                "abc--table-s3", "a b", "médiaflow")) {
            assertThat(BucketNames.invalid(invalid)).as(invalid).isPresent();
        }
    }

    @Test
    void namePrefix_hasAPatternAndLengths_andTheDefaultIsAllowed() {
        assertThat(constraints.pattern()).isNotNull();
        assertThat(constraints.minLength()).isNotNull().isGreaterThanOrEqualTo(1);
        assertThat(constraints.maxLength()).isNotNull().isGreaterThanOrEqualTo(constraints.minLength());
        assertThat(constraints.allows(constraints.defaultValue())).as(constraints.defaultValue()).isTrue();
        assertThat(constraints.defaultValue()).isEqualTo("mediaflow");
    }

    @Test
    void everyAllowedBoundaryPrefix_givesValidNames_inTheLongestRegions_forA12DigitAccount() {
        int min = constraints.minLength();
        int max = constraints.maxLength();
        List<String> prefixes = List.of("a".repeat(min), "0".repeat(min), "a".repeat(max), "9".repeat(max),
                hyphenated(max), hyphenated(max - 1), hyphenated(min), "a1-b2", "mediaflow-prod", "x" + "-y".repeat((max - 1) / 2));
        Set<String> regions = new LinkedHashSet<>(LONG_REGIONS);
        regions.addAll(BucketNames.regions());
        assertThat(BucketNames.regions().get(0).length()).as("the SDK's longest region id")
                .isGreaterThanOrEqualTo("ap-southeast-5".length());

        List<String> names = new ArrayList<>();
        for (String prefix : prefixes) {
            assertThat(constraints.allows(prefix)).as("NamePrefix allows %s (a boundary case)", prefix).isTrue();
            for (Template.Bucket b : template.buckets()) {
                for (String region : regions) {
                    String name = BucketNames.resolve(template, b, prefix, region, "123456789012", "Any-Stack-Name");
                    assertThat(BucketNames.invalid(name)).as("%s for prefix %s in %s: %s", b.logicalId(), prefix, region, name)
                            .isEmpty();
                    names.add(name);
                }
            }
        }
        assertThat(names).hasSize(prefixes.size() * template.buckets().size() * regions.size());
        assertThat(names).anySatisfy(n -> assertThat(n.length()).isGreaterThan(55)); // the long cases are long
    }

    @Test
    void namePrefix_refusesWhatWouldBreakANameOrNotFit() {
        int max = constraints.maxLength();
        for (String refused : List.of("Mediaflow", "MEDIAFLOW", "media.flow", "media_flow", "-mediaflow", "mediaflow-",
                "media--flow", "xn--abc", "sthree", "sthree-x", "amzn-s3-demo", "amzn-s3-demo-x", "a".repeat(max + 1),
                "a".repeat(constraints.minLength() - 1), "media flow", "")) {
            assertThat(constraints.allows(refused)).as("NamePrefix allows '%s'", refused).isFalse();
        }
    }

    @Test
    void twoRegions_orTwoAccounts_giveDifferentNames_andTheStackNameDoesNot() {
        Set<String> all = new HashSet<>();
        for (Template.Bucket b : template.buckets()) {
            String east = BucketNames.resolve(template, b, "mediaflow", "us-east-1", "123456789012", "a");
            String west = BucketNames.resolve(template, b, "mediaflow", "eu-west-1", "123456789012", "a");
            assertThat(east).isNotEqualTo(west);
            assertThat(BucketNames.resolve(template, b, "mediaflow", "us-east-1", "210987654321", "a")).isNotEqualTo(east);
            assertThat(BucketNames.resolve(template, b, "mediaflow", "us-east-1", "123456789012", "Other-STACK")).isEqualTo(east);
            all.add(east);
            all.add(west);
        }
        assertThat(all).hasSize(2 * template.buckets().size());
        assertThat(all).contains("mediaflow-ingest-us-east-1-123456789012", "mediaflow-media-eu-west-1-123456789012");
    }

    @Test
    void embeddedStackNames_areValid_andAreTheOnesTheEventFilesName() throws IOException {
        java.util.Map<String, String> local = new java.util.HashMap<>();
        for (Template.Bucket b : template.buckets()) {
            String name = BucketNames.resolve(template, b, constraints.defaultValue(), EmbeddedStack.REGION, EmbeddedStack.ACCOUNT,
                    EmbeddedStack.STACK_NAME);
            assertThat(BucketNames.invalid(name)).as(name).isEmpty();
            local.put(b.logicalId(), name);
        }
        assertThat(local).containsEntry("IngestBucket", "mediaflow-ingest-us-east-1-000000000000")
                .containsEntry("MediaBucket", "mediaflow-media-us-east-1-000000000000")
                .containsEntry("QuarantineBucket", "mediaflow-quarantine-us-east-1-000000000000");
        assertThat(Files.readString(TestPaths.events("validate-sqs.json")))
                .contains("\\\"name\\\":\\\"" + local.get("IngestBucket") + "\\\"")
                .contains("arn:aws:s3:::" + local.get("IngestBucket"));
        for (String step : List.of("thumbnail", "metadata", "transcode")) {
            assertThat(Files.readString(TestPaths.events(step + "-sqs.json"))).as(step)
                    .contains("\\\"bucket\\\":\\\"" + local.get("MediaBucket") + "\\\"");
        }
    }

    @Test
    void samconfigPrefixes_areAllowed() throws IOException {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("NamePrefix=(\\S+?)[\\s\"]")
                .matcher(Files.readString(TestPaths.root().resolve("samconfig.toml")));
        Set<String> prefixes = new LinkedHashSet<>();
        while (m.find()) {
            prefixes.add(m.group(1));
        }
        assertThat(prefixes).contains("mediaflow-dev", "mediaflow-prod")
                .allSatisfy(p -> assertThat(constraints.allows(p)).as(p).isTrue());
    }

    @Test
    void realTemplate_hasNoNameProblems() {
        assertThat(BucketNames.problems(template)).isEmpty();
    }

    @Test
    void bucketNameWithoutTheRegion_isReported() throws IOException {
        assertThat(problems("BucketName: !Sub '${NamePrefix}-media-${AWS::Region}-${AWS::AccountId}'",
                "BucketName: !Sub '${NamePrefix}-media-${AWS::AccountId}'"))
                .anySatisfy(p -> assertThat(p).contains("bucket MediaBucket is named mediaflow-media-123456789012 in us-east-1"
                        + " and in eu-west-1, expected a name that depends on the region"));
    }

    @Test
    void bucketNamedAfterTheStack_isReported() throws IOException {
        assertThat(problems("BucketName: !Sub '${NamePrefix}-quarantine-${AWS::Region}-${AWS::AccountId}'",
                "BucketName: !Sub '${AWS::StackName}-quarantine-${AWS::Region}-${AWS::AccountId}'"))
                .anySatisfy(p -> assertThat(p).contains("bucket QuarantineBucket has a name that depends on the stack name"))
                .anySatisfy(p -> assertThat(p).contains("bucket QuarantineBucket has a name that does not depend on NamePrefix"));
    }

    @Test
    void patternAllowingUpperCase_aLeadingHyphen_orAReservedWord_isReported() throws IOException {
        String pattern = "    AllowedPattern: '^(?!sthree(?:-|$)|amzn-s3-demo(?:-|$))[a-z0-9]+(?:-[a-z0-9]+)*$'\n";
        assertThat(problems(pattern, "    AllowedPattern: '^[a-zA-Z0-9-]+$'\n"))
                .anySatisfy(p -> assertThat(p).startsWith("parameter NamePrefix's AllowedPattern, MinLength and MaxLength allow '")
                        .contains("which names bucket IngestBucket"));
        assertThat(problems(pattern, "    AllowedPattern: '^[a-z0-9-]+$'\n"))
                .anySatisfy(p -> assertThat(p).contains("allow '-").contains("does not begin and end with a letter or digit"));
        assertThat(problems(pattern, "    AllowedPattern: '^[a-z0-9][a-z0-9-]*$'\n"))
                .anySatisfy(p -> assertThat(p).contains("allow 'xn--'").contains("reserved prefix xn--"));
        assertThat(problems(pattern, "    AllowedPattern: '^[a-z0-9]+(?:-[a-z0-9]+)*$'\n"))
                .anySatisfy(p -> assertThat(p).contains("allow 'sthree").contains("reserved prefix sthree-"));
    }

    @Test
    void maxLengthTooLongForTheLongestRegion_isReported() throws IOException {
        assertThat(problems("    MaxLength: 20\n    AllowedPattern", "    MaxLength: 30\n    AllowedPattern"))
                .anySatisfy(p -> assertThat(p).contains("allow 'aaaaaaaaaaaaaaaaaaaaaaaaa").contains("characters, expected 3 to 63")
                        .contains("The longest region is"));
    }

    @Test
    void handWrittenNameThatIsNoBucketsName_isReported() throws IOException {
        assertThat(problems("          INGEST_BUCKET: !Sub '${NamePrefix}-ingest-${AWS::Region}-${AWS::AccountId}'\n"
                + "          INGEST_QUEUE_URL", "          INGEST_BUCKET: !Sub '${NamePrefix}-ingest-${AWS::AccountId}'\n"
                + "          INGEST_QUEUE_URL"))
                .anySatisfy(p -> assertThat(p).contains("Resources.SweeperFunction.Properties.Environment.Variables.INGEST_BUCKET"
                        + " writes '${NamePrefix}-ingest-${AWS::AccountId}'"));
    }

    /** Letters and digits in words of two joined by hyphens, {@code len} long, ending in a letter or digit. */
    private static String hyphenated(int len) {
        StringBuilder sb = new StringBuilder();
        while (sb.length() < len) {
            sb.append(sb.length() % 3 == 2 ? '-' : sb.length() % 3 == 0 ? 'k' : '4');
        }
        if (sb.charAt(len - 1) == '-') {
            sb.setCharAt(len - 1, 'z');
        }
        return sb.toString();
    }

    /** ProductionChecks' problems of template.yaml with the first {@code from} replaced by {@code to}. */
    private List<String> problems(String from, String to) throws IOException {
        String yaml = Files.readString(TestPaths.template());
        assertThat(yaml).as("the mutation's anchor text must be in template.yaml").contains(from);
        Path copy = tmp.resolve("template.yaml");
        Files.writeString(copy, yaml.replaceFirst(java.util.regex.Pattern.quote(from), java.util.regex.Matcher.quoteReplacement(to)));
        return ProductionChecks.problems(Template.load(copy));
    }
}
