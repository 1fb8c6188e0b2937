package com.mediaflow.infra.template;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import software.amazon.awssdk.regions.Region;

/**
 * Bucket names that hold in every region and for every prefix a deployer may choose: each bucket's
 * {@code BucketName} is built from the lower-case parameter {@value #PARAMETER}, a role word, the
 * region and the account, so it depends on neither the stack's name (which may have upper-case
 * letters and 128 characters) nor collides across regions; and the parameter's
 * {@code AllowedPattern}, {@code MinLength} and {@code MaxLength} admit only prefixes that give
 * valid S3 bucket names in the longest region the AWS SDK knows. Names written out by hand (the
 * ingest bucket's, in environment variables and policies, since a {@code Ref} would make a cycle
 * with its notification) must be a bucket's {@code BucketName} exactly.
 *
 * <p>"Admit only" is checked on probes, not proved: the boundary lengths (shortest, longest, one
 * either side), letters, digits and hyphens in every position, and every character and reserved
 * word S3 refuses. A pattern that lets one of them through is reported with the name it gives.
 */
public final class BucketNames {
    /** The template parameter every bucket name starts with. */
    public static final String PARAMETER = "NamePrefix";
    /** S3's rules for general purpose buckets, which {@link #invalid} applies. */
    static final String RULES = "https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html";
    static final List<String> RESERVED_PREFIXES = List.of("xn--", "sthree-", "amzn-s3-demo-");
    static final List<String> RESERVED_SUFFIXES = List.of("-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3");
    /** An AWS account id is always 12 digits. */
    static final String ACCOUNT = "123456789012";
    private static final Pattern IP_ADDRESS = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern CHARACTERS = Pattern.compile("[a-z0-9.-]+");

    private BucketNames() {
    }

    /**
     * Why {@code name} is no valid name for a general purpose bucket ({@link #RULES}); empty when it is one.
     */
    public static Optional<String> invalid(String name) {
        if (name.length() < 3 || name.length() > 63) {
            return Optional.of("has " + name.length() + " characters, expected 3 to 63");
        }
        if (!CHARACTERS.matcher(name).matches()) {
            return Optional.of("has characters other than lower-case letters, digits, dots and hyphens");
        }
        if (!Character.isLetterOrDigit(name.charAt(0)) || !Character.isLetterOrDigit(name.charAt(name.length() - 1))) {
            return Optional.of("does not begin and end with a letter or digit");
        }
        if (name.contains("..")) {
            return Optional.of("has two adjacent dots");
        }
        if (IP_ADDRESS.matcher(name).matches()) {
            return Optional.of("is formatted as an IP address");
        }
        for (String p : RESERVED_PREFIXES) {
            if (name.startsWith(p)) {
                return Optional.of("begins with the reserved prefix " + p);
            }
        }
        for (String s : RESERVED_SUFFIXES) {
            if (name.endsWith(s)) {
                return Optional.of("ends with the reserved suffix " + s);
            }
        }
        return Optional.empty();
    }

    /** The regions of the AWS SDK on the class path (without its global pseudo-regions), longest id first. */
    public static List<String> regions() {
        return Region.regions().stream().map(Region::id).filter(id -> !id.endsWith("-global"))
                .sorted((a, b) -> a.length() != b.length() ? b.length() - a.length() : a.compareTo(b)).toList();
    }

    /** The parameter's constraints as written; null fields when absent. */
    public record Constraints(Pattern pattern, Integer minLength, Integer maxLength, String defaultValue) {
        /** Whether CloudFormation accepts {@code value}: the pattern matches all of it, within the lengths. */
        public boolean allows(String value) {
            return (minLength == null || value.length() >= minLength) && (maxLength == null || value.length() <= maxLength)
                    && (pattern == null || pattern.matcher(value).matches());
        }
    }

    /** The constraints of {@value #PARAMETER}; empty when the template has no such parameter. */
    public static Optional<Constraints> constraints(Template template) {
        Map<String, Object> p = template.parameter(PARAMETER);
        if (p.isEmpty()) {
            return Optional.empty();
        }
        Pattern pattern = null;
        if (p.get("AllowedPattern") != null) {
            try {
                pattern = Pattern.compile(String.valueOf(p.get("AllowedPattern")));
            } catch (PatternSyntaxException e) {
                pattern = null;
            }
        }
        return Optional.of(new Constraints(pattern, integer(p.get("MinLength")), integer(p.get("MaxLength")),
                p.get("Default") == null ? null : String.valueOf(p.get("Default"))));
    }

    /** A bucket's name as CloudFormation would resolve it for that prefix, region, account and stack name. */
    public static String resolve(Template template, Template.Bucket bucket, String prefix, String region, String account,
            String stackName) {
        Map<String, String> defaults = template.parameterDefaults();
        Resolver resolver = new Resolver(name -> switch (name) {
            case PARAMETER -> prefix;
            case "AWS::Region" -> region;
            case "AWS::AccountId" -> account;
            case "AWS::StackName" -> stackName;
            case "AWS::Partition" -> "aws";
            case "AWS::URLSuffix" -> "amazonaws.com";
            default -> defaults.get(name);
        }, attribute -> null);
        return resolver.resolveString(bucket.bucketName(), bucket.logicalId() + ".BucketName");
    }

    /** Every problem with the bucket names, each a sentence naming the bucket or the parameter. */
    public static List<String> problems(Template template) {
        List<String> problems = new ArrayList<>();
        Optional<Constraints> found = constraints(template);
        if (found.isEmpty()) {
            problems.add("the template has no parameter " + PARAMETER + ", expected a lower-case prefix of every bucket name"
                    + " checked by an AllowedPattern");
            return problems;
        }
        Constraints c = found.get();
        Map<String, Object> declared = template.parameter(PARAMETER);
        if (c.pattern() == null) {
            problems.add("parameter " + PARAMETER + " has AllowedPattern " + declared.get("AllowedPattern")
                    + ", expected a valid regular expression of the prefixes that give valid bucket names");
        }
        if (c.minLength() == null || c.maxLength() == null) {
            problems.add("parameter " + PARAMETER + " has MinLength " + declared.get("MinLength") + " and MaxLength "
                    + declared.get("MaxLength") + ", expected both (bucket names have 3 to 63 characters)");
        }
        if (c.defaultValue() == null || !c.allows(c.defaultValue())) {
            problems.add("parameter " + PARAMETER + " has Default " + c.defaultValue() + ", expected one its constraints allow");
        }
        List<String> regions = regions();
        String longest = regions.get(0);
        Set<String> writtenNames = new LinkedHashSet<>();
        for (Template.Bucket b : template.buckets()) {
            String where = "bucket " + b.logicalId();
            if (!(b.bucketName() instanceof Map<?, ?> m && m.get("Fn::Sub") != null)) {
                problems.add(where + " has BucketName " + b.bucketName() + ", expected !Sub '${" + PARAMETER
                        + "}-<role>-${AWS::Region}-${AWS::AccountId}'");
                continue;
            }
            Object sub = ((Map<?, ?>) b.bucketName()).get("Fn::Sub");
            writtenNames.add(sub instanceof List<?> l ? String.valueOf(l.get(0)) : String.valueOf(sub));
            String prefix = c.defaultValue() == null ? "mediaflow" : c.defaultValue();
            Map<String, String> names = new LinkedHashMap<>();
            try {
                names.put("base", resolve(template, b, prefix, "us-east-1", ACCOUNT, "stack"));
                names.put("region", resolve(template, b, prefix, "eu-west-1", ACCOUNT, "stack"));
                names.put("account", resolve(template, b, prefix, "us-east-1", "210987654321", "stack"));
                names.put("stack", resolve(template, b, prefix, "us-east-1", ACCOUNT, "Another-Stack"));
                names.put("prefix", resolve(template, b, prefix + "x", "us-east-1", ACCOUNT, "stack"));
            } catch (IllegalArgumentException e) {
                problems.add(where + "'s BucketName does not resolve: " + e.getMessage());
                continue;
            }
            String base = names.get("base");
            if (base.equals(names.get("region"))) {
                problems.add(where + " is named " + base + " in us-east-1 and in eu-west-1, expected a name that depends on"
                        + " the region (${AWS::Region}): bucket names are global, so one stack per region would collide");
            }
            if (base.equals(names.get("account"))) {
                problems.add(where + " has a name that does not depend on the account (${AWS::AccountId}), expected it to");
            }
            if (!base.equals(names.get("stack"))) {
                problems.add(where + " has a name that depends on the stack name (" + names.get("stack") + " for stack"
                        + " Another-Stack), expected none: stack names may have upper-case letters and 128 characters");
            }
            if (base.equals(names.get("prefix"))) {
                problems.add(where + " has a name that does not depend on " + PARAMETER + ", expected ${" + PARAMETER + "} in it");
            }
            if (c.pattern() != null && c.minLength() != null && c.maxLength() != null) {
                admitted(template, b, c, regions, longest, problems);
            }
        }
        handWritten(template, writtenNames, problems);
        return problems;
    }

    /** The first prefix the constraints allow that gives this bucket an invalid name, in some region. */
    private static void admitted(Template template, Template.Bucket b, Constraints c, List<String> regions, String longest,
            List<String> problems) {
        for (String prefix : probes(c.minLength(), c.maxLength(), c.defaultValue())) {
            if (!c.allows(prefix)) {
                continue;
            }
            for (String region : regions) {
                String name = resolve(template, b, prefix, region, ACCOUNT, "stack");
                Optional<String> why = invalid(name);
                if (why.isPresent()) {
                    problems.add("parameter " + PARAMETER + "'s AllowedPattern, MinLength and MaxLength allow '" + prefix
                            + "', which names bucket " + b.logicalId() + " '" + name + "' in " + region + "; that name "
                            + why.get() + " (" + RULES + "). The longest region is " + longest + " (" + longest.length()
                            + " characters)");
                    return;
                }
            }
        }
    }

    /**
     * Prefixes to try: each length from 1 to 64 made of letters, of digits, and of words joined by
     * hyphens; a hyphen, dot, underscore or upper-case letter first, last and inside; reserved words.
     */
    static List<String> probes(int minLength, int maxLength, String defaultValue) {
        Set<String> out = new LinkedHashSet<>();
        if (defaultValue != null) {
            out.add(defaultValue);
        }
        for (int len = 1; len <= 64; len++) {
            out.add("a".repeat(len));
            out.add("7".repeat(len));
            out.add(cycle("z9-", len));
            out.add(cycle("a-", len));
            out.add(cycle("q-1", len));
            String body = "b".repeat(Math.max(0, len - 1));
            for (String odd : List.of("-", ".", "_", "A", " ")) {
                out.add(odd + body);
                out.add(body + odd);
                if (len >= 3) {
                    out.add(body.substring(0, body.length() / 2) + odd + body.substring(body.length() / 2));
                }
            }
        }
        out.addAll(List.of("xn--", "xn--a", "xn--abc", "sthree", "sthree-a", "sthree-configurator", "amzn-s3-demo",
                "amzn-s3-demo-x", "a--b", "ab--", "a..b", "a.b", "192.168.1.1", "10.0.0.1", "ab-s3alias", "Mediaflow",
                "media flow", "mediaflow-", "-mediaflow", "media_flow", "média"));
        out.add("a".repeat(Math.max(1, minLength - 1)));
        out.add("a".repeat(maxLength + 1));
        return List.copyOf(out);
    }

    private static String cycle(String unit, int len) {
        StringBuilder sb = new StringBuilder(len);
        while (sb.length() < len) {
            sb.append(unit.charAt(sb.length() % unit.length()));
        }
        return sb.toString();
    }

    /**
     * Every {@code Fn::Sub} that uses the prefix, but a function's name or a CloudFront configuration's
     * name, must contain a bucket's BucketName as written.
     */
    private static void handWritten(Template template, Set<String> names, List<String> problems) {
        List<String[]> subs = new ArrayList<>();
        collectSubs(template.resources(), "Resources", subs);
        collectSubs(template.outputs(), "Outputs", subs);
        for (String[] s : subs) {
            String text = s[1];
            // a function's name may use the prefix too (the PreTraffic hook's CodeDeployHook_<prefix>-pretraffic), and
            // so may the names of CloudFront's origin access control, public key and key group: no bucket
            if (text.contains("${" + PARAMETER + "}") && names.stream().noneMatch(text::contains)
                    && !s[0].endsWith(".Properties.FunctionName") && !s[0].matches(".*\\.Properties\\.\\w+Config\\.Name")) {
                problems.add(s[0] + " writes '" + text + "', expected one of the buckets' names as their BucketName writes it "
                        + names);
            }
        }
    }

    private static void collectSubs(Object node, String path, List<String[]> out) {
        if (node instanceof Map<?, ?> m) {
            if (m.size() == 1 && m.containsKey("Fn::Sub")) {
                Object arg = m.get("Fn::Sub");
                out.add(new String[] {path, arg instanceof List<?> l ? String.valueOf(l.get(0)) : String.valueOf(arg)});
                return;
            }
            m.forEach((k, v) -> collectSubs(v, path + "." + k, out));
        } else if (node instanceof List<?> l) {
            for (int i = 0; i < l.size(); i++) {
                collectSubs(l.get(i), path + "[" + i + "]", out);
            }
        }
    }

    private static Integer integer(Object value) {
        if (value instanceof Number n) {
            return n.intValue();
        }
        try {
            return value == null ? null : Integer.valueOf(String.valueOf(value).trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
