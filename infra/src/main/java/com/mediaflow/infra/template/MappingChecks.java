package com.mediaflow.infra.template;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@link ProductionChecks}' rules for the event source mappings written out as
 * {@code AWS::Lambda::EventSourceMapping} (shadow mode's, which invoke a version, not the alias SAM's
 * SQS events use): the same limits as a SAM SQS event (a {@code MaximumConcurrency}, partial batch
 * responses, a queue visibility timeout of at least six times the function's timeout), the same
 * {@code Condition} as the queue it reads, an alarm on that queue's age, a {@code FunctionName} that names a function of the
 * template, and the poller's rights on the queue in that function's own policies (SAM adds them only
 * for its own events).
 */
final class MappingChecks {
    private static final Pattern FUNCTION = Pattern.compile("^\\$\\{([A-Za-z0-9]+)}(:.*)?$");

    private MappingChecks() {
    }

    static List<String> problems(Template template) {
        List<String> problems = new ArrayList<>();
        Map<String, String> defaults = template.parameterDefaults();
        for (Template.EventSourceMapping m : template.eventSourceMappings()) {
            String where = "event source mapping " + m.logicalId();
            Template.FunctionDef f = function(template, m.functionName());
            if (f == null) {
                problems.add(where + " has FunctionName " + m.functionName()
                        + ", expected !Sub '${<a function of the template>}:<qualifier>' or !Ref <function>");
                continue;
            }
            Integer cap = ProductionChecks.number(m.maximumConcurrency(), defaults);
            if (cap == null || cap < 2 || cap > 1000) {
                problems.add(where + " has ScalingConfig.MaximumConcurrency " + m.maximumConcurrency() + ", expected 2 to 1000");
            }
            if (!m.reportBatchItemFailures()) {
                problems.add(where + " lacks FunctionResponseTypes [ReportBatchItemFailures], expected partial batch responses");
            }
            if (!(ProductionChecks.map(m.eventSourceArn()).get("Fn::GetAtt") instanceof List<?> att)) {
                problems.add(where + " has EventSourceArn " + m.eventSourceArn() + ", expected !GetAtt <a queue>.Arn");
                continue;
            }
            String queue = String.valueOf(att.get(0));
            var q = template.queues().stream().filter(x -> x.logicalId().equals(queue)).findFirst();
            if (q.isEmpty()) {
                problems.add(where + " reads " + queue + ", which is no AWS::SQS::Queue of the template");
                continue;
            }
            Integer visibility = ProductionChecks.number(q.get().properties().get("VisibilityTimeout"), defaults);
            int needed = ProductionChecks.VISIBILITY_TIMES_TIMEOUT * f.timeoutSeconds();
            if (visibility == null || visibility < needed) {
                problems.add("queue " + queue + " has VisibilityTimeout " + visibility + " s, expected at least " + needed + " s ("
                        + ProductionChecks.VISIBILITY_TIMES_TIMEOUT + " times " + f.logicalId() + "'s Timeout of "
                        + f.timeoutSeconds() + " s, which " + m.logicalId() + " invokes)");
            }
            String queueCondition = template.condition(queue);
            if (queueCondition != null && !queueCondition.equals(m.condition())) {
                problems.add(where + " has Condition " + m.condition() + ", expected " + queueCondition + ", its queue's");
            }
            if (!ageAlarmed(template, queue)) {
                problems.add("queue " + queue + " (read by " + m.logicalId() + ") has no alarm on ApproximateAgeOfOldestMessage");
            }
            if (!grantsReceive(template.functionProperty(f.logicalId(), "Policies"), queue)) {
                problems.add("function " + f.logicalId() + " has no statement allowing sqs:ReceiveMessage on !GetAtt " + queue
                        + ".Arn, expected one for " + m.logicalId() + " (SAM grants the poller's rights only for its own events)");
            }
        }
        return problems;
    }

    /** Whether an alarm watches the queue's ApproximateAgeOfOldestMessage. */
    private static boolean ageAlarmed(Template template, String queue) {
        return template.resources().values().stream().map(ProductionChecks::map)
                .filter(r -> "AWS::CloudWatch::Alarm".equals(r.get("Type")))
                .map(r -> ProductionChecks.map(r.get("Properties")))
                .filter(p -> "AWS/SQS".equals(p.get("Namespace")) && "ApproximateAgeOfOldestMessage".equals(p.get("MetricName")))
                .anyMatch(p -> p.get("Dimensions") instanceof List<?> dims && dims.stream().map(ProductionChecks::map)
                        .anyMatch(d -> "QueueName".equals(d.get("Name"))
                                && ProductionChecks.map(d.get("Value")).get("Fn::GetAtt") instanceof List<?> att
                                && queue.equals(att.get(0))));
    }

    /** The function a FunctionName names: {@code !Ref F}, {@code !GetAtt F.Arn} or {@code !Sub '${F}:qualifier'}. */
    private static Template.FunctionDef function(Template template, Object functionName) {
        Map<String, Object> fn = ProductionChecks.map(functionName);
        String id = null;
        if (fn.get("Ref") != null) {
            id = String.valueOf(fn.get("Ref"));
        } else if (fn.get("Fn::GetAtt") instanceof List<?> att) {
            id = String.valueOf(att.get(0));
        } else if (fn.get("Fn::Sub") instanceof String sub) {
            Matcher matcher = FUNCTION.matcher(sub);
            id = matcher.matches() ? matcher.group(1) : null;
        }
        String wanted = id;
        return template.functions().stream().filter(f -> f.logicalId().equals(wanted)).findFirst().orElse(null);
    }

    /** Whether some statement (in any branch of an Fn::If) allows sqs:ReceiveMessage on the queue's Arn. */
    private static boolean grantsReceive(Object node, String queue) {
        if (node instanceof Map<?, ?> m) {
            Object action = m.get("Action");
            Object resource = m.get("Resource");
            if (action != null && resource != null && ProductionChecks.strings(action).stream()
                    .anyMatch(a -> a.equalsIgnoreCase("sqs:ReceiveMessage") || a.equalsIgnoreCase("sqs:*"))
                    && (resource instanceof List<?> l ? l : List.of(resource)).stream()
                    .anyMatch(r -> ProductionChecks.map(r).get("Fn::GetAtt") instanceof List<?> att
                            && att.get(0).equals(queue) && "Arn".equals(att.get(1)))) {
                return true;
            }
            return m.values().stream().anyMatch(v -> grantsReceive(v, queue));
        }
        if (node instanceof List<?> l) {
            return l.stream().anyMatch(v -> grantsReceive(v, queue));
        }
        return false;
    }
}
