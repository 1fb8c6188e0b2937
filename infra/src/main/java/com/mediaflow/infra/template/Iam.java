package com.mediaflow.infra.template;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * A small IAM evaluator for the functions' policies in template.yaml: enough to tell whether a
 * function's own statements allow one S3 or SQS call. Allow statements only (the template has no
 * Deny in a function policy); {@code Action} and {@code Resource} with IAM's {@code *} and {@code ?}
 * wildcards (actions case-insensitive); conditions are ignored except {@code s3:prefix} on
 * {@code s3:ListBucket} ({@code StringLike} or {@code StringEquals}). Only explicit {@code Statement}
 * lists are read: a SAM policy template or managed policy that grants S3 or SQS rights is an error,
 * so nothing is granted that the check cannot see.
 */
public final class Iam {
    /** One Allow statement, resolved. {@code prefixes}: the allowed {@code s3:prefix} values, null without that condition. */
    public record Statement(String sid, List<String> actions, List<String> resources, List<String> prefixes) {
    }

    /** A right a call needs: an action on a resource ARN; {@code prefix} is the {@code s3:prefix} of a ListBucket (or null). */
    public record Need(String action, String resource, String prefix) {
        @Override
        public String toString() {
            return action + " on " + resource + (prefix == null ? "" : " with s3:prefix '" + prefix + "'");
        }
    }

    /** Managed policies SAM adds or the template names that grant nothing on S3 or SQS. */
    private static final List<String> HARMLESS_MANAGED = List.of("AWSXrayWriteOnlyAccess", "AWSLambdaBasicExecutionRole");

    private Iam() {
    }

    /**
     * The Allow statements of a function's {@code Policies}, resolved.
     *
     * @param conditions whether a template condition (the first argument of {@code Fn::If}) holds
     */
    @SuppressWarnings("unchecked")
    public static List<Statement> statements(Template template, String function, Resolver resolver, Predicate<String> conditions) {
        Object policies = template.functionProperty(function, "Policies");
        List<Statement> out = new ArrayList<>();
        if (policies == null) {
            return out;
        }
        List<Object> items = policies instanceof List<?> l ? (List<Object>) l : List.of(policies);
        for (Object item : items) {
            Object policy = pick(item, conditions);
            if (policy == null) {
                continue;
            }
            String where = function + ".Policies";
            if (policy instanceof String name) {
                if (!HARMLESS_MANAGED.contains(name)) {
                    throw new IllegalArgumentException("template.yaml: " + where + " names managed policy '" + name
                            + "', expected explicit statements (the least-privilege check cannot read it)");
                }
                continue;
            }
            Map<String, Object> doc = (Map<String, Object>) policy;
            if (!doc.containsKey("Statement")) {
                throw new IllegalArgumentException("template.yaml: " + where + " uses " + doc.keySet()
                        + ", expected a policy document with a Statement list (the least-privilege check reads only those)");
            }
            for (Object s : (List<Object>) doc.get("Statement")) {
                Map<String, Object> st = (Map<String, Object>) pick(s, conditions);
                if (st == null || !"Allow".equals(st.get("Effect"))) {
                    continue;
                }
                out.add(new Statement(st.get("Sid") == null ? null : String.valueOf(st.get("Sid")), strings(resolver.resolve(st.get("Action"), where)),
                        strings(resolver.resolve(st.get("Resource"), where)),
                        prefixes(st.get("Condition") == null ? null : resolver.resolve(st.get("Condition"), where))));
            }
        }
        return out;
    }

    /** Whether any statement allows the need. */
    public static boolean allows(List<Statement> statements, Need need) {
        return allowing(statements, need) != null;
    }

    /** The first statement that allows the need, or null. */
    public static Statement allowing(List<Statement> statements, Need need) {
        for (Statement s : statements) {
            boolean action = s.actions().stream().anyMatch(a -> wildcard(a, true).matcher(need.action()).matches());
            boolean resource = s.resources().stream().anyMatch(r -> wildcard(r, false).matcher(need.resource()).matches());
            if (!action || !resource) {
                continue;
            }
            if (s.prefixes() == null || !need.action().equalsIgnoreCase("s3:ListBucket")) {
                return s;
            }
            if (need.prefix() != null && s.prefixes().stream().anyMatch(p -> wildcard(p, false).matcher(need.prefix()).matches())) {
                return s;
            }
        }
        return null;
    }

    /** An IAM pattern ({@code *}, {@code ?}) as a regex. */
    public static Pattern wildcard(String pattern, boolean ignoreCase) {
        StringBuilder re = new StringBuilder();
        for (char c : pattern.toCharArray()) {
            switch (c) {
                case '*' -> re.append(".*");
                case '?' -> re.append('.');
                default -> re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(re.toString(), ignoreCase ? Pattern.CASE_INSENSITIVE : 0);
    }

    /** The branch of an {@code Fn::If} that applies (null for {@code AWS::NoValue}), or the value itself. */
    @SuppressWarnings("unchecked")
    static Object pick(Object value, Predicate<String> conditions) {
        if (value instanceof Map<?, ?> m && m.size() == 1 && m.containsKey("Fn::If")) {
            List<Object> args = (List<Object>) m.get("Fn::If");
            return pick(conditions.test(String.valueOf(args.get(0))) ? args.get(1) : args.get(2), conditions);
        }
        if (value instanceof Map<?, ?> m && m.size() == 1 && "AWS::NoValue".equals(m.get("Ref"))) {
            return null;
        }
        return value;
    }

    @SuppressWarnings("unchecked")
    private static List<String> prefixes(Object condition) {
        if (!(condition instanceof Map<?, ?> c)) {
            return null;
        }
        List<String> out = null;
        for (String op : List.of("StringLike", "StringEquals")) {
            if (c.get(op) instanceof Map<?, ?> m && m.containsKey("s3:prefix")) {
                out = out == null ? new ArrayList<>() : out;
                out.addAll(strings(m.get("s3:prefix")));
            }
        }
        return out;
    }

    private static List<String> strings(Object value) {
        if (value instanceof List<?> l) {
            return l.stream().map(String::valueOf).toList();
        }
        return value == null ? List.of() : List.of(String.valueOf(value));
    }
}
