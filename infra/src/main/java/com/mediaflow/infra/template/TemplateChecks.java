package com.mediaflow.infra.template;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.mediaflow.shared.config.Config;
import com.mediaflow.shared.lambda.Priming;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What must hold of template.yaml for it to deploy and to run locally: handler classes that exist,
 * environment variables that some code reads, references to resources that exist, a dead-letter
 * queue behind every queue, partial batch responses on every SQS event source, a published alias
 * on every function and SnapStart with priming wherever its ephemeral storage allows, a valid
 * expression on every Schedule event, the same PIPELINE_STEPS wherever they are set, and nothing
 * that expires before a dead-letter queue lets go of a message about it.
 */
public final class TemplateChecks {
    /** Set by Lambda or read by the JVM, not by our Config. */
    private static final Set<String> RUNTIME_VARIABLES = Set.of("JAVA_TOOL_OPTIONS", "POWERTOOLS_SERVICE_NAME",
            "POWERTOOLS_LOG_LEVEL", "AWS_LAMBDA_LOG_FORMAT", "MALLOC_MMAP_MAX_", "MALLOC_TRIM_THRESHOLD_");
    /** SnapStart works only with ephemeral storage of at most this many MB (Lambda's default). */
    static final long SNAPSTART_MAX_EPHEMERAL_MB = 512;
    private static final Pattern SUB_REF = Pattern.compile("\\$\\{([A-Za-z0-9:]+)(\\.[A-Za-z]+)?}");

    private TemplateChecks() {
    }

    /** Every problem found, each a sentence naming the resource; empty when the template is sound. */
    public static List<String> problems(Template template, Path projectRoot) {
        List<String> problems = new ArrayList<>();
        Set<String> names = new HashSet<>(template.resources().keySet());
        names.addAll(template.parameterDefaults().keySet());
        names.addAll(template.parameterNames()); // those without a Default too (the deployer sets them)
        names.addAll(Set.of("AWS::StackName", "AWS::AccountId", "AWS::Region", "AWS::Partition", "AWS::URLSuffix", "AWS::NoValue"));
        if (template.functions().stream().anyMatch(f -> template.functionProperty(f.logicalId(), "DeploymentPreference") != null)) {
            names.add("ServerlessDeploymentApplication"); // SAM's CodeDeploy application for the gradual releases
        }
        for (Template.FunctionDef f : template.functions()) {
            // what SAM generates for a function: its alias (AutoPublishAlias), with FunctionUrlConfig its URL, its role
            Object alias = template.functionProperty(f.logicalId(), "AutoPublishAlias");
            if (alias != null) {
                names.add(f.logicalId() + "Alias" + alias);
            }
            if (template.functionProperty(f.logicalId(), "FunctionUrlConfig") != null) {
                names.add(f.logicalId() + "Url");
            }
            if (template.functionProperty(f.logicalId(), "Role") == null) {
                names.add(f.logicalId() + "Role"); // the execution role SAM makes when the function names none
            }
        }
        findReferences(template.resources(), "Resources", names, problems);

        Set<String> queues = new HashSet<>();
        template.queues().forEach(q -> queues.add(q.logicalId()));
        Set<String> deadLetterTargets = new HashSet<>();
        for (Template.QueueDef q : template.queues()) {
            Object redrive = q.properties().get("RedrivePolicy");
            if (redrive instanceof Map<?, ?> r && r.get("deadLetterTargetArn") instanceof Map<?, ?> target
                    && target.get("Fn::GetAtt") instanceof List<?> att) {
                deadLetterTargets.add(String.valueOf(att.get(0)));
                if (!queues.contains(String.valueOf(att.get(0)))) {
                    problems.add("queue " + q.logicalId() + " redrives to " + att.get(0) + ", which is no queue of the template");
                }
                if (!(r.get("maxReceiveCount") instanceof Number)) {
                    problems.add("queue " + q.logicalId() + " has a RedrivePolicy without a numeric maxReceiveCount");
                }
            }
        }
        for (Template.QueueDef q : template.queues()) {
            if (!deadLetterTargets.contains(q.logicalId()) && !(q.properties().get("RedrivePolicy") instanceof Map)) {
                problems.add("queue " + q.logicalId() + " has no dead-letter queue (RedrivePolicy), expected one on every queue");
            }
        }

        Set<String> fedQueues = new HashSet<>();
        for (Template.FunctionDef f : template.functions()) {
            String where = "function " + f.logicalId();
            if (!"java21".equals(f.runtime())) {
                problems.add(where + " has Runtime " + f.runtime() + ", expected java21");
            }
            Object arch = template.functionProperty(f.logicalId(), "Architectures");
            if (!(arch instanceof List<?> l) || !l.equals(List.of("arm64"))) {
                problems.add(where + " has Architectures " + arch + ", expected [arm64]");
            }
            if (f.codeUri() == null || !Files.isRegularFile(projectRoot.resolve(f.codeUri()).resolve("pom.xml"))) {
                problems.add(where + " has CodeUri " + f.codeUri() + ", expected a folder with a pom.xml");
            }
            try {
                Class<?> type = Class.forName(f.handlerClass());
                if (!RequestHandler.class.isAssignableFrom(type)) {
                    problems.add(where + " names handler " + f.handlerClass() + ", which does not implement RequestHandler");
                }
                boolean hasMethod = false;
                for (var m : type.getMethods()) {
                    hasMethod |= m.getName().equals(f.handlerMethod());
                }
                if (!hasMethod) {
                    problems.add(where + " names method " + f.handlerMethod() + ", which " + f.handlerClass() + " lacks");
                }
                type.getConstructor();
            } catch (ClassNotFoundException e) {
                problems.add(where + " names handler class " + f.handlerClass() + ", which does not exist");
            } catch (NoSuchMethodException e) {
                problems.add(where + ": " + f.handlerClass() + " has no public no-arg constructor, which Lambda needs");
            }
            if (!PreTrafficChecks.hooks(template).contains(f.logicalId())) {
                // the hook runs once per release: a snapshot (and its priming) would buy nothing
                snapStart(template, f, where, problems);
            }
            for (String variable : f.environment().keySet()) {
                if (!Config.ALL.contains(variable) && !RUNTIME_VARIABLES.contains(variable)) {
                    problems.add(where + " sets environment variable " + variable + ", which no code reads (not in Config)");
                }
            }
            List<Template.HttpApiEvent> routes = template.httpApiEvents(f.logicalId());
            boolean functionUrl = template.functionProperty(f.logicalId(), "FunctionUrlConfig") != null;
            if (f.events().isEmpty() && f.schedules().isEmpty() && routes.isEmpty() && !functionUrl
                    && !PreTrafficChecks.hooks(template).contains(f.logicalId())) {
                problems.add(where + " has no event source, expected an SQS event source, a Schedule, an HttpApi event"
                        + " or a FunctionUrlConfig");
            }
            for (Template.HttpApiEvent e : routes) {
                if (e.method() == null || !e.method().matches("GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS|ANY")
                        || e.path() == null || !e.path().startsWith("/")) {
                    problems.add(where + " event " + e.name() + " routes " + e.method() + " " + e.path()
                            + ", expected an HTTP method and a path starting with /");
                }
            }
            for (Template.ScheduleEvent e : f.schedules()) {
                if (!(e.expression() instanceof String x) || !x.matches("(rate|cron)\\(.+\\)")) {
                    problems.add(where + " event " + e.name() + " has Schedule " + e.expression()
                            + ", expected rate(...) or cron(...)");
                }
            }
            for (Template.EventSource e : f.events()) {
                if (!e.reportBatchItemFailures()) {
                    problems.add(where + " event " + e.name() + " lacks FunctionResponseTypes: [ReportBatchItemFailures]");
                }
                if (e.queue() instanceof Map<?, ?> m && m.get("Fn::GetAtt") instanceof List<?> att) {
                    if (!queues.contains(String.valueOf(att.get(0)))) {
                        problems.add(where + " event " + e.name() + " reads " + att.get(0) + ", which is no queue of the template");
                    }
                    fedQueues.add(String.valueOf(att.get(0)));
                    maxReceiveCount(template, f, String.valueOf(att.get(0)), where, problems);
                } else {
                    problems.add(where + " event " + e.name() + " has Queue " + e.queue() + ", expected !GetAtt SomeQueue.Arn");
                }
            }
            Object steps = f.environment().get(Config.PIPELINE_STEPS);
            if (steps instanceof Map<?, ?> sub && sub.get("Fn::Sub") instanceof String text) {
                Matcher m = SUB_REF.matcher(text);
                while (m.find()) {
                    if (!queues.contains(m.group(1))) {
                        problems.add(where + " PIPELINE_STEPS names " + m.group(1) + ", which is no queue of the template");
                    } else if (template.functions().stream().flatMap(g -> g.events().stream())
                            .noneMatch(e -> e.queue() instanceof Map<?, ?> q && q.get("Fn::GetAtt") instanceof List<?> a
                                    && a.get(0).equals(m.group(1)))) {
                        problems.add(where + " PIPELINE_STEPS sends to " + m.group(1) + ", which no function reads");
                    }
                }
            }
        }
        pipelineStepsAgree(template, problems);
        retention(template, problems);
        boolean notifies = template.buckets().stream().flatMap(b -> b.queueNotifications().stream())
                .anyMatch(n -> "s3:ObjectCreated:*".equals(n.get("Event")));
        if (!notifies) {
            problems.add("no bucket notifies a queue of s3:ObjectCreated:* (multipart uploads and copies would be missed)");
        }
        return problems;
    }

    /**
     * Versions, SnapStart and priming: every function publishes a version behind an alias (its SQS
     * events invoke the alias); SnapStart on every function whose ephemeral storage allows it
     * (512 MB or less, which AWS enforces), and on none other; a SnapStart function primes.
     */
    private static void snapStart(Template template, Template.FunctionDef f, String where, List<String> problems) {
        Object alias = template.functionProperty(f.logicalId(), "AutoPublishAlias");
        if (!(alias instanceof String a) || a.isBlank()) {
            problems.add(where + " has AutoPublishAlias " + alias + ", expected a name (AutoPublishAlias: live in"
                    + " Globals.Function), so its event sources invoke a published version, which SnapStart needs");
        }
        long storageMb = SNAPSTART_MAX_EPHEMERAL_MB;
        Object storage = template.functionProperty(f.logicalId(), "EphemeralStorage");
        if (storage != null) {
            Object size = storage instanceof Map<?, ?> m ? m.get("Size") : null;
            try {
                storageMb = Long.parseLong(String.valueOf(size));
            } catch (NumberFormatException e) {
                problems.add(where + " has EphemeralStorage " + storage + ", expected Size as a number of MB");
                return;
            }
        }
        Object snap = template.functionProperty(f.logicalId(), "SnapStart");
        Object applyOn = snap instanceof Map<?, ?> m ? m.get("ApplyOn") : null;
        boolean snapStart = "PublishedVersions".equals(applyOn);
        if (snap != null && !snapStart && !"None".equals(applyOn)) {
            problems.add(where + " has SnapStart " + snap + ", expected ApplyOn: PublishedVersions or None");
        } else if (storageMb <= SNAPSTART_MAX_EPHEMERAL_MB && !snapStart) {
            problems.add(where + " has EphemeralStorage " + storageMb + " MB, within SnapStart's " + SNAPSTART_MAX_EPHEMERAL_MB
                    + " MB, but SnapStart " + snap + ": expected SnapStart: {ApplyOn: PublishedVersions}");
        } else if (storageMb > SNAPSTART_MAX_EPHEMERAL_MB && snapStart) {
            problems.add(where + " has SnapStart with EphemeralStorage " + storageMb + " MB, expected no SnapStart above "
                    + SNAPSTART_MAX_EPHEMERAL_MB + " MB (AWS rejects it)");
        }
        if (snapStart) {
            try {
                boolean primes = false;
                for (Field field : Class.forName(f.handlerClass()).getDeclaredFields()) {
                    primes |= field.getType() == Priming.class && !Modifier.isStatic(field.getModifiers());
                }
                if (!primes) {
                    problems.add(where + " has SnapStart, but its handler " + f.handlerClass() + " has no Priming field,"
                            + " expected one that its no-arg constructor registers (beforeCheckpoint primes the snapshot)");
                }
            } catch (ClassNotFoundException e) {
                // reported above with the handler class
            }
        }
    }

    /** SQS's default MessageRetentionPeriod, in seconds (4 days). */
    static final long SQS_DEFAULT_RETENTION_SECONDS = 345_600;

    /**
     * Nothing expires before a redrive can use it: every bucket's expiration rule keeps objects
     * longer than any dead-letter queue keeps a message (else a late redrive finds its upload gone
     * and drops it), and every dead-letter queue keeps messages at least as long as its source queue
     * (SQS keeps a moved message's original enqueue time, so a shorter DLQ retention deletes it early).
     */
    private static void retention(Template template, List<String> problems) {
        Map<String, Long> retention = new java.util.LinkedHashMap<>();
        Map<String, String> dlqOf = new java.util.LinkedHashMap<>();
        for (Template.QueueDef q : template.queues()) {
            retention.put(q.logicalId(), seconds(template, q.properties().get("MessageRetentionPeriod"), SQS_DEFAULT_RETENTION_SECONDS));
            if (q.properties().get("RedrivePolicy") instanceof Map<?, ?> r && r.get("deadLetterTargetArn") instanceof Map<?, ?> t
                    && t.get("Fn::GetAtt") instanceof List<?> att) {
                dlqOf.put(q.logicalId(), String.valueOf(att.get(0)));
            }
        }
        String longestDlq = null;
        long longest = -1;
        for (String dlq : new java.util.LinkedHashSet<>(dlqOf.values())) {
            Long kept = retention.get(dlq);
            if (kept != null && kept > longest) {
                longest = kept;
                longestDlq = dlq;
            }
        }
        dlqOf.forEach((source, dlq) -> {
            Long s = retention.get(source);
            Long d = retention.get(dlq);
            if (s != null && d != null && s >= 0 && d >= 0 && d < s) {
                problems.add("queue " + dlq + " keeps messages " + d + " s, less than its source queue " + source + " (" + s
                        + " s): expected a dead-letter queue to keep messages at least as long (SQS keeps a moved message's"
                        + " original enqueue time)");
            }
        });
        if (longestDlq == null) {
            return;
        }
        for (Template.Bucket b : template.buckets()) {
            for (Map<String, Object> rule : template.lifecycleRules(b.logicalId())) {
                if ("Disabled".equals(rule.get("Status")) || !rule.containsKey("ExpirationInDays")) {
                    continue;
                }
                long days = seconds(template, rule.get("ExpirationInDays"), -1);
                if (days < 0) {
                    problems.add("bucket " + b.logicalId() + " rule " + rule.get("Id") + " has ExpirationInDays "
                            + rule.get("ExpirationInDays") + ", expected a number of days or a parameter with a Default");
                } else if (days * 86_400 <= longest) {
                    problems.add("bucket " + b.logicalId() + " rule " + rule.get("Id") + " expires objects after " + days
                            + " days, expected more than the " + longest + " s (" + longest / 86_400.0 + " days) that "
                            + longestDlq + " keeps a message: a late redrive would find its upload gone");
                }
            }
        }
    }

    /** A number in the template, literal or a {@code !Ref} to a parameter's Default; {@code dflt} when absent, -1 when unreadable. */
    private static long seconds(Template template, Object value, long dflt) {
        if (value == null) {
            return dflt;
        }
        Object v = value;
        if (v instanceof Map<?, ?> m && m.size() == 1 && m.get("Ref") != null) {
            v = template.parameterDefaults().get(String.valueOf(m.get("Ref")));
        }
        try {
            return v == null ? -1 : Long.parseLong(String.valueOf(v).trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Every function that routes to the steps (validate fans out, the sweeper re-drives) routes the same way. */
    private static void pipelineStepsAgree(Template template, List<String> problems) {
        String first = null;
        String firstId = null;
        for (Template.FunctionDef f : template.functions()) {
            Object steps = f.environment().get(Config.PIPELINE_STEPS);
            if (steps == null) {
                continue;
            }
            String text = String.valueOf(steps);
            if (first == null) {
                first = text;
                firstId = f.logicalId();
            } else if (!first.equals(text)) {
                problems.add("function " + f.logicalId() + " sets " + Config.PIPELINE_STEPS + " to " + text + ", expected the same"
                        + " lines as " + firstId + " (" + first + ")");
            }
        }
    }

    private static void findReferences(Object node, String where, Set<String> names, List<String> problems) {
        if (node instanceof Map<?, ?> m) {
            if (m.size() == 1 && m.containsKey("Ref")) {
                String target = String.valueOf(m.get("Ref"));
                if (!names.contains(target)) {
                    problems.add(where + " refers to " + target + ", which is no resource or parameter");
                }
                return;
            }
            if (m.size() == 1 && m.get("Fn::GetAtt") instanceof List<?> att) {
                if (!names.contains(String.valueOf(att.get(0)))) {
                    problems.add(where + " asks for " + att.get(0) + "." + att.get(1) + ", but there is no " + att.get(0));
                }
                return;
            }
            if (m.size() == 1 && m.containsKey("Fn::Sub")) {
                Object arg = m.get("Fn::Sub");
                String text = arg instanceof List<?> l ? String.valueOf(l.get(0)) : String.valueOf(arg);
                Set<String> local = new HashSet<>();
                if (arg instanceof List<?> l && l.size() > 1 && l.get(1) instanceof Map<?, ?> vars) {
                    vars.keySet().forEach(k -> local.add(String.valueOf(k)));
                }
                Matcher sm = SUB_REF.matcher(text);
                while (sm.find()) {
                    if (!names.contains(sm.group(1)) && !local.contains(sm.group(1))) {
                        problems.add(where + " substitutes ${" + sm.group(1) + "}, which is no resource or parameter");
                    }
                }
                return;
            }
            m.forEach((k, v) -> findReferences(v, where + "." + k, names, problems));
        } else if (node instanceof List<?> l) {
            for (int i = 0; i < l.size(); i++) {
                findReferences(l.get(i), where + "[" + i + "]", names, problems);
            }
        }
    }

    /**
     * A step knows its record's last attempt by comparing ApproximateReceiveCount with
     * MAX_RECEIVE_COUNT, so that variable must equal the source queue's RedrivePolicy.maxReceiveCount.
     */
    private static void maxReceiveCount(Template template, Template.FunctionDef f, String queueId, String where,
            List<String> problems) {
        Object redrive = template.queues().stream().filter(q -> q.logicalId().equals(queueId)).findFirst()
                .map(q -> q.properties().get("RedrivePolicy")).orElse(null);
        if (!(redrive instanceof Map<?, ?> r) || !(r.get("maxReceiveCount") instanceof Number max)) {
            return; // reported above: every queue has a RedrivePolicy with a numeric maxReceiveCount
        }
        Object declared = f.environment().get(Config.MAX_RECEIVE_COUNT);
        if (declared == null || !String.valueOf(declared).trim().equals(String.valueOf(max.intValue()))) {
            problems.add(where + " sets " + Config.MAX_RECEIVE_COUNT + " to " + declared + ", expected " + max.intValue()
                    + ", the maxReceiveCount of its queue " + queueId);
        }
    }
}
