package com.mediaflow.infra.template;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a platform team checks before shipping template.yaml, held by tests so that it holds where
 * cfn-lint is missing too: every bucket TLS-only (a Deny on {@code aws:SecureTransport = false}
 * over the bucket and its objects, in its one bucket policy), encrypted explicitly, with public
 * access blocked, object ownership enforced, incomplete multipart uploads aborted within a day, and
 * Retain policies; every queue encrypted; an alarm on every dead-letter queue, on the age of every
 * queue a function reads, and on every function's errors and throttles, each sent to the alarm
 * topic; a log group with retention for every function; X-Ray tracing; exported outputs; on every SQS
 * event source a {@code MaximumConcurrency} and a queue visibility timeout of at least six times the
 * function's timeout (AWS's advice, so that a retried batch is not delivered twice meanwhile); and
 * every function released through CodeDeploy from 1 %, rolled back by its own alarms.
 */
public final class ProductionChecks {
    private ProductionChecks() {
    }

    /** Every problem found, each a sentence naming the resource; empty when the template is fit to ship. */
    public static List<String> problems(Template template) {
        List<String> problems = new ArrayList<>();
        Map<String, Map<String, Object>> resources = typed(template);
        buckets(template, resources, problems);
        queues(template, problems);
        alarms(template, resources, problems);
        functions(template, resources, problems);
        eventSources(template, problems);
        releases(template, resources, problems);
        outputs(template, problems);
        return problems;
    }

    private static void buckets(Template template, Map<String, Map<String, Object>> resources, List<String> problems) {
        for (Template.Bucket b : template.buckets()) {
            String where = "bucket " + b.logicalId();
            Map<String, Object> r = resources.get(b.logicalId());
            Map<String, Object> props = map(r.get("Properties"));
            retained(r, where, problems);
            if (!(map(props.get("BucketEncryption")).get("ServerSideEncryptionConfiguration") instanceof List<?> sse) || sse.isEmpty()) {
                problems.add(where + " has no BucketEncryption, expected SSE-S3 or the KMS key stated");
            }
            Map<String, Object> block = map(props.get("PublicAccessBlockConfiguration"));
            for (String flag : List.of("BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets")) {
                if (!Boolean.TRUE.equals(block.get(flag))) {
                    problems.add(where + " has PublicAccessBlockConfiguration." + flag + " " + block.get(flag) + ", expected true");
                }
            }
            boolean enforced = map(props.get("OwnershipControls")).get("Rules") instanceof List<?> rules
                    && rules.stream().anyMatch(x -> "BucketOwnerEnforced".equals(map(x).get("ObjectOwnership")));
            if (!enforced) {
                problems.add(where + " lacks OwnershipControls ObjectOwnership BucketOwnerEnforced (ACLs off)");
            }
            boolean aborts = template.lifecycleRules(b.logicalId()).stream()
                    .filter(rule -> !"Disabled".equals(rule.get("Status")))
                    .map(rule -> map(rule.get("AbortIncompleteMultipartUpload")).get("DaysAfterInitiation"))
                    .anyMatch(d -> d instanceof Number n && n.intValue() <= 1);
            if (!aborts) {
                problems.add(where + " has no lifecycle rule aborting incomplete multipart uploads within 1 day");
            }
            List<String> policies = new ArrayList<>();
            resources.forEach((id, res) -> {
                if ("AWS::S3::BucketPolicy".equals(res.get("Type")) && isRef(map(res.get("Properties")).get("Bucket"), b.logicalId())) {
                    policies.add(id);
                }
            });
            if (policies.size() != 1) {
                problems.add(where + " has bucket policies " + policies + ", expected exactly one (later grants extend it)");
            } else if (!tlsOnly(map(map(resources.get(policies.get(0)).get("Properties")).get("PolicyDocument")), b.logicalId())) {
                problems.add(where + ": policy " + policies.get(0) + " lacks a Deny of s3:* to everyone on the bucket and"
                        + " its objects when aws:SecureTransport is false (TLS only)");
            }
        }
    }

    /** A Deny of all S3 actions to everyone when the request is not TLS, over the bucket ARN and its objects. */
    private static boolean tlsOnly(Map<String, Object> document, String bucket) {
        if (!(document.get("Statement") instanceof List<?> statements)) {
            return false;
        }
        for (Object o : statements) {
            Map<String, Object> st = map(o);
            Object secure = map(map(st.get("Condition")).get("Bool")).get("aws:SecureTransport");
            boolean insecure = Boolean.FALSE.equals(secure) || "false".equals(secure);
            List<?> resources = st.get("Resource") instanceof List<?> l ? l : List.of(Objects.requireNonNullElse(st.get("Resource"), ""));
            boolean bucketArn = resources.stream().anyMatch(x -> map(x).get("Fn::GetAtt") instanceof List<?> a
                    && a.equals(List.of(bucket, "Arn")));
            boolean objects = resources.stream().anyMatch(x -> String.valueOf(map(x).get("Fn::Sub")).equals("${" + bucket + ".Arn}/*"));
            if ("Deny".equals(st.get("Effect")) && "*".equals(st.get("Principal")) && "s3:*".equals(st.get("Action"))
                    && insecure && bucketArn && objects) {
                return true;
            }
        }
        return false;
    }

    /**
     * Receives before a message is dead-lettered: enough that a few throttles, a crashed container
     * or a deployment's cold starts do not send good work to the dead-letter queue.
     */
    static final int MIN_MAX_RECEIVE_COUNT = 5;

    private static void queues(Template template, List<String> problems) {
        Map<String, Map<String, Object>> resources = typed(template);
        for (Template.QueueDef q : template.queues()) {
            String where = "queue " + q.logicalId();
            if (map(q.properties().get("RedrivePolicy")).get("maxReceiveCount") instanceof Number n && n.intValue() < MIN_MAX_RECEIVE_COUNT) {
                problems.add(where + " has maxReceiveCount " + n + ", expected at least " + MIN_MAX_RECEIVE_COUNT);
            }
            retained(resources.get(q.logicalId()), where, problems);
            Object managed = q.properties().get("SqsManagedSseEnabled");
            Object kms = q.properties().get("KmsMasterKeyId");
            if (managed == null && kms == null) {
                problems.add(where + " has neither SqsManagedSseEnabled nor KmsMasterKeyId, expected encryption at rest");
            }
        }
    }

    private static void alarms(Template template, Map<String, Map<String, Object>> resources, List<String> problems) {
        List<Map<String, Object>> alarms = new ArrayList<>();
        resources.forEach((id, r) -> {
            if ("AWS::CloudWatch::Alarm".equals(r.get("Type"))) {
                Map<String, Object> p = map(r.get("Properties"));
                alarms.add(p);
                if (!(p.get("AlarmActions") instanceof List<?> actions) || actions.stream().noneMatch(a -> isRef(a, "AlarmTopic"))) {
                    problems.add("alarm " + id + " does not notify AlarmTopic (AlarmActions)");
                }
            }
        });
        if (!resources.containsKey("AlarmTopic") || !"AWS::SNS::Topic".equals(resources.get("AlarmTopic").get("Type"))) {
            problems.add("no AWS::SNS::Topic AlarmTopic for the alarms");
        }
        java.util.Set<String> deadLetterQueues = new java.util.HashSet<>();
        for (Template.QueueDef q : template.queues()) {
            if (map(q.properties().get("RedrivePolicy")).get("deadLetterTargetArn") instanceof Map<?, ?> t
                    && t.get("Fn::GetAtt") instanceof List<?> att) {
                deadLetterQueues.add(String.valueOf(att.get(0)));
            }
        }
        for (String dlq : deadLetterQueues) {
            if (!hasAlarm(alarms, "AWS/SQS", "ApproximateNumberOfMessagesVisible", "QueueName", dlq, 0)) {
                problems.add("dead-letter queue " + dlq + " has no alarm on ApproximateNumberOfMessagesVisible > 0");
            }
        }
        for (Template.FunctionDef f : template.functions()) {
            for (Template.EventSource e : f.events()) {
                if (map(e.queue()).get("Fn::GetAtt") instanceof List<?> att) {
                    String queue = String.valueOf(att.get(0));
                    if (!hasAlarm(alarms, "AWS/SQS", "ApproximateAgeOfOldestMessage", "QueueName", queue, -1)) {
                        problems.add("queue " + queue + " (read by " + f.logicalId() + ") has no alarm on ApproximateAgeOfOldestMessage");
                    }
                }
            }
            for (String metric : List.of("Errors", "Throttles")) {
                if (!hasAlarm(alarms, "AWS/Lambda", metric, "FunctionName", f.logicalId(), 0)) {
                    problems.add("function " + f.logicalId() + " has no alarm on its " + metric + " > 0");
                }
            }
        }
    }

    /** An alarm on the metric of that resource; {@code threshold} -1 accepts any threshold. */
    private static boolean hasAlarm(List<Map<String, Object>> alarms, String namespace, String metric, String dimension,
            String resource, double threshold) {
        for (Map<String, Object> a : alarms) {
            if (!namespace.equals(a.get("Namespace")) || !metric.equals(a.get("MetricName"))
                    || !(a.get("Dimensions") instanceof List<?> dims)) {
                continue;
            }
            boolean on = dims.stream().map(ProductionChecks::map).anyMatch(d -> dimension.equals(d.get("Name"))
                    && (isRef(d.get("Value"), resource) || (map(d.get("Value")).get("Fn::GetAtt") instanceof List<?> att
                            && att.get(0).equals(resource))));
            boolean above = threshold < 0 || (a.get("Threshold") instanceof Number n && n.doubleValue() <= threshold
                    && "GreaterThanThreshold".equals(a.get("ComparisonOperator")));
            if (on && above) {
                return true;
            }
        }
        return false;
    }

    private static void functions(Template template, Map<String, Map<String, Object>> resources, List<String> problems) {
        for (Template.FunctionDef f : template.functions()) {
            String where = "function " + f.logicalId();
            Object tracing = template.functionProperty(f.logicalId(), "Tracing");
            if (!"Active".equals(tracing)) {
                problems.add(where + " has Tracing " + tracing + ", expected Active");
            }
            boolean logGroup = resources.values().stream().anyMatch(r -> "AWS::Logs::LogGroup".equals(r.get("Type"))
                    && String.valueOf(map(map(r.get("Properties")).get("LogGroupName")).get("Fn::Sub"))
                            .equals("/aws/lambda/${" + f.logicalId() + "}")
                    && map(r.get("Properties")).get("RetentionInDays") != null);
            if (!logGroup) {
                problems.add(where + " has no AWS::Logs::LogGroup /aws/lambda/${" + f.logicalId() + "} with RetentionInDays");
            }
        }
    }

    /** AWS's advice: a queue's visibility timeout at least six times the timeout of the function it feeds. */
    static final int VISIBILITY_TIMES_TIMEOUT = 6;

    private static void eventSources(Template template, List<String> problems) {
        Map<String, String> defaults = template.parameterDefaults();
        for (Template.FunctionDef f : template.functions()) {
            for (Template.EventSource e : f.events()) {
                String where = "function " + f.logicalId() + " event " + e.name();
                Integer cap = number(e.maximumConcurrency(), defaults);
                if (cap == null || cap < 2 || cap > 1000) {
                    problems.add(where + " has ScalingConfig.MaximumConcurrency " + e.maximumConcurrency()
                            + ", expected 2 to 1000 (a number or a parameter with a Default)");
                }
                if (map(e.queue()).get("Fn::GetAtt") instanceof List<?> att) {
                    String queue = String.valueOf(att.get(0));
                    template.queues().stream().filter(q -> q.logicalId().equals(queue)).findFirst().ifPresent(q -> {
                        Integer visibility = number(q.properties().get("VisibilityTimeout"), defaults);
                        int needed = VISIBILITY_TIMES_TIMEOUT * f.timeoutSeconds();
                        if (visibility == null || visibility < needed) {
                            problems.add("queue " + queue + " has VisibilityTimeout " + visibility + " s, expected at least "
                                    + needed + " s (" + VISIBILITY_TIMES_TIMEOUT + " times " + f.logicalId() + "'s Timeout of "
                                    + f.timeoutSeconds() + " s)");
                        }
                    });
                }
            }
        }
    }

    private static void releases(Template template, Map<String, Map<String, Object>> resources, List<String> problems) {
        for (Template.FunctionDef f : template.functions()) {
            String where = "function " + f.logicalId();
            Map<String, Object> preference = map(template.functionProperty(f.logicalId(), "DeploymentPreference"));
            if (preference.isEmpty()) {
                problems.add(where + " has no DeploymentPreference, expected a gradual release through CodeDeploy");
                continue;
            }
            String config = map(preference.get("Type")).get("Ref") instanceof String ref ? ref : null;
            Map<String, Object> routing = config == null ? Map.of()
                    : map(map(resources.getOrDefault(config, Map.of()).get("Properties")).get("TrafficRoutingConfig"));
            Object first = map(routing.get("TimeBasedCanary")).getOrDefault("CanaryPercentage",
                    map(routing.get("TimeBasedLinear")).get("LinearPercentage"));
            if (!(first instanceof Number n) || n.intValue() != 1) {
                problems.add(where + " is released by " + preference.get("Type") + ", expected a custom deployment"
                        + " configuration whose first step is 1 % of the traffic (found " + first + ")");
            }
            if (!(preference.get("Alarms") instanceof List<?> alarms)
                    || alarms.stream().noneMatch(a -> isRef(a, f.logicalId() + "ErrorsAlarm"))) {
                problems.add(where + "'s DeploymentPreference.Alarms lack " + f.logicalId() + "ErrorsAlarm, expected its"
                        + " own errors alarm to roll a release back");
            }
        }
    }

    /** A number, or a {@code Ref} to a parameter with a numeric Default; null otherwise. */
    private static Integer number(Object value, Map<String, String> defaults) {
        if (value instanceof Number n) {
            return n.intValue();
        }
        Object ref = map(value).get("Ref");
        String text = ref == null ? null : defaults.get(String.valueOf(ref));
        try {
            return text == null ? null : Integer.valueOf(text.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static void outputs(Template template, List<String> problems) {
        Map<String, Object> outputs = template.outputs();
        if (outputs.isEmpty()) {
            problems.add("the template has no Outputs");
        }
        outputs.forEach((name, o) -> {
            if (!(map(o).get("Export") instanceof Map<?, ?> export) || export.get("Name") == null) {
                problems.add("output " + name + " is not exported (Export.Name)");
            }
        });
    }

    private static void retained(Map<String, Object> resource, String where, List<String> problems) {
        for (String policy : List.of("DeletionPolicy", "UpdateReplacePolicy")) {
            if (!"Retain".equals(resource.get(policy))) {
                problems.add(where + " has " + policy + " " + resource.get(policy) + ", expected Retain (it holds data)");
            }
        }
    }

    private static Map<String, Map<String, Object>> typed(Template template) {
        Map<String, Map<String, Object>> out = new LinkedHashMap<>();
        template.resources().forEach((id, r) -> out.put(id, map(r)));
        return out;
    }

    private static boolean isRef(Object value, String logicalId) {
        return value instanceof Map<?, ?> m && logicalId.equals(m.get("Ref"));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return o instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }
}
