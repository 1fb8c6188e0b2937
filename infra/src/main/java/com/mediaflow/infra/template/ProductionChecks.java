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
 * every function released through CodeDeploy from 1 %, rolled back by its own alarms; and least
 * privilege: no broad SAM policy templates or managed policies, no {@code s3:*}, no ACL, lifecycle
 * or bucket-policy rights, deletes only in the functions that delete ({@link #DELETERS}) and never
 * bucket-wide, no S3 or SQS action on {@code Resource '*'}, and the KMS key's rights when it is set.
 * (Whether the statements are enough is {@code IamIT}'s part: it checks every call the functions make.)
 * Bucket names are {@link BucketNames}' rules, and the limits that must fit the resources {@link ResourceFits}'.
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
        privileges(template, problems);
        eventSources(template, problems);
        problems.addAll(MappingChecks.problems(template));
        releases(template, resources, problems);
        outputs(template, problems);
        problems.addAll(BucketNames.problems(template));
        problems.addAll(ResourceFits.problems(template));
        problems.addAll(DashboardChecks.problems(template));
        problems.addAll(PreTrafficChecks.problems(template));
        problems.addAll(HttpApiChecks.problems(template));
        problems.addAll(DeliveryChecks.problems(template));
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

    /** SAM policy templates and managed policies too broad for a function of this stack. */
    static final List<String> BROAD_POLICIES = List.of("S3CrudPolicy", "S3FullAccessPolicy", "AmazonS3FullAccess",
            "AmazonSQSFullAccess", "SQSPollerPolicy", "AdministratorAccess", "PowerUserAccess");

    /** Rights no function needs: ACLs, lifecycle, bucket policy, deleting buckets or queues. */
    static final List<String> FORBIDDEN_ACTIONS = List.of("s3:PutObjectAcl", "s3:PutObjectVersionAcl", "s3:PutBucketAcl",
            "s3:PutLifecycleConfiguration", "s3:PutBucketPolicy", "s3:DeleteBucket", "s3:DeleteBucketPolicy",
            "sqs:DeleteQueue", "sqs:PurgeQueue", "sqs:SetQueueAttributes");

    /** The functions that delete objects, and why; any other function granted s3:DeleteObject is a problem. */
    static final Map<String, String> DELETERS = Map.of(
            "ValidateFunction", "gives up a claim whose original could not be stored (its manifest and upload record)",
            "TranscodeFunction", "deletes its scratch under work/transcode/ once a long video is stitched",
            "FinalizeFunction", "deletes the media-bucket copy of an original it moved to quarantine",
            "SweeperFunction", "deletes its cursors and re-drive records under sweeper/ once resolved",
            "UploadApiFunction", "DELETE /uploads/{id}: the upload, and its item when no other upload refers to it");

    @SuppressWarnings("unchecked")
    private static void privileges(Template template, List<String> problems) {
        boolean hasKms = template.parameterDefaults().containsKey("KmsKeyArn");
        for (Template.FunctionDef f : template.functions()) {
            String where = "function " + f.logicalId();
            Object policies = template.functionProperty(f.logicalId(), "Policies");
            List<Object> items = new ArrayList<>();
            flatten(policies instanceof List<?> l ? l : policies == null ? List.of() : List.of(policies), items);
            boolean kmsDecrypt = false;
            boolean kmsGenerate = false;
            for (Object item : items) {
                if (item instanceof String name) {
                    if (BROAD_POLICIES.contains(name)) {
                        problems.add(where + " has managed policy " + name + ", expected explicit statements on the prefixes it uses");
                    }
                    continue;
                }
                Map<String, Object> policy = map(item);
                for (String name : policy.keySet()) {
                    if (BROAD_POLICIES.contains(name)) {
                        problems.add(where + " uses SAM policy template " + name
                                + ", expected explicit statements on the prefixes it uses (least privilege)");
                    }
                }
                if (!(policy.get("Statement") instanceof List<?> statements)) {
                    continue;
                }
                List<Object> flat = new ArrayList<>();
                flatten(statements, flat);
                for (Object st : flat) {
                    Map<String, Object> statement = map(st);
                    if (!"Allow".equals(statement.get("Effect"))) {
                        continue;
                    }
                    List<String> actions = strings(statement.get("Action"));
                    List<Object> resources = statement.get("Resource") instanceof List<?> rl ? (List<Object>) rl
                            : statement.get("Resource") == null ? List.of() : List.of(statement.get("Resource"));
                    String sid = statement.get("Sid") == null ? "" : " (statement " + statement.get("Sid") + ")";
                    for (String forbidden : FORBIDDEN_ACTIONS) {
                        if (grants(actions, forbidden)) {
                            problems.add(where + " grants " + forbidden + sid + " through " + actions + ", expected no such right");
                        }
                    }
                    if (actions.stream().anyMatch(a -> a.equals("*") || a.equalsIgnoreCase("s3:*") || a.equalsIgnoreCase("sqs:*"))) {
                        problems.add(where + " grants " + actions + sid + ", expected the actions it uses, not all of a service");
                    }
                    boolean storageOrQueue = actions.stream().anyMatch(a -> a.equals("*") || a.toLowerCase().startsWith("s3:")
                            || a.toLowerCase().startsWith("sqs:"));
                    if (storageOrQueue && resources.stream().anyMatch("*"::equals)) {
                        problems.add(where + " grants " + actions + sid + " on Resource '*', expected the buckets' prefixes and queues it uses");
                    }
                    if (grants(actions, "s3:DeleteObject")) {
                        if (!DELETERS.containsKey(f.logicalId())) {
                            problems.add(where + " grants s3:DeleteObject" + sid + ", expected no delete right: it deletes nothing"
                                    + " (the functions that delete: " + new java.util.TreeSet<>(DELETERS.keySet()) + ")");
                        }
                        for (Object r : resources) {
                            String text = r instanceof String str ? str : String.valueOf(map(r).get("Fn::Sub"));
                            if (text.matches("(?s).*(}|:::[^/]*)/\\*")) {
                                problems.add(where + " grants s3:DeleteObject" + sid + " on a whole bucket (" + text
                                        + "), expected the prefix it deletes under");
                            }
                        }
                    }
                    if (resources.stream().anyMatch(r -> isRef(r, "KmsKeyArn"))) {
                        kmsDecrypt |= grants(actions, "kms:Decrypt");
                        kmsGenerate |= grants(actions, "kms:GenerateDataKey");
                    }
                }
            }
            // the PreTraffic hook reads no bucket or queue: it may only invoke versions and report (PreTrafficChecks)
            if (hasKms && !(kmsDecrypt && kmsGenerate) && !PreTrafficChecks.hooks(template).contains(f.logicalId())) {
                problems.add(where + " lacks kms:Decrypt and kms:GenerateDataKey on !Ref KmsKeyArn (under !If UseKms),"
                        + " expected them: with the key set, its buckets and queues are encrypted with it");
            }
        }
    }

    /** Items of a list, with both branches of each Fn::If (either may apply) and without AWS::NoValue. */
    private static void flatten(List<?> items, List<Object> out) {
        for (Object item : items) {
            if (item instanceof Map<?, ?> m && m.size() == 1 && m.get("Fn::If") instanceof List<?> args && args.size() == 3) {
                flatten(args.subList(1, 3), out);
            } else if (!isRef(item, "AWS::NoValue")) {
                out.add(item);
            }
        }
    }

    private static boolean grants(List<String> actions, String action) {
        return actions.stream().anyMatch(a -> Iam.wildcard(a, true).matcher(action).matches());
    }

    static List<String> strings(Object value) {
        if (value instanceof List<?> l) {
            return l.stream().map(String::valueOf).toList();
        }
        return value == null ? List.of() : List.of(String.valueOf(value));
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
        java.util.Set<String> hooks = PreTrafficChecks.hooks(template);
        for (Template.FunctionDef f : template.functions()) {
            String where = "function " + f.logicalId();
            if (hooks.contains(f.logicalId())) {
                continue; // a hook releases the others and has no DeploymentPreference itself (PreTrafficChecks)
            }
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
    static Integer number(Object value, Map<String, String> defaults) {
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
    static Map<String, Object> map(Object o) {
        return o instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }
}
