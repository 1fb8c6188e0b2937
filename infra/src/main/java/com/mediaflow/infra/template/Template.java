package com.mediaflow.infra.template;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * template.yaml as the embedded stack needs it: its parameters, buckets, queues and functions,
 * with SAM's Globals merged into each function the way SAM merges them.
 */
public final class Template {
    public record Bucket(String logicalId, Object bucketName, List<Map<String, Object>> queueNotifications) {
    }

    public record QueueDef(String logicalId, Map<String, Object> properties) {
    }

    /**
     * An SQS event source; {@code maximumConcurrency} is its {@code ScalingConfig.MaximumConcurrency} as
     * written (a number or a {@code Ref} to a parameter), null when it has none.
     */
    public record EventSource(String name, Object queue, int batchSize, boolean reportBatchItemFailures, Object maximumConcurrency) {
    }

    /**
     * An {@code AWS::Lambda::EventSourceMapping} written out (not a SAM event): its queue ({@code EventSourceArn}),
     * its {@code FunctionName} as written (a function, possibly with a {@code :qualifier}), and the
     * {@code Condition} it is created under (null: always).
     */
    public record EventSourceMapping(String logicalId, String condition, Object eventSourceArn, Object functionName,
                                     int batchSize, boolean reportBatchItemFailures, Object maximumConcurrency) {
    }

    /** A SAM {@code Schedule} event: EventBridge invokes the function on {@code expression} ({@code rate(...)} or {@code cron(...)}). */
    public record ScheduleEvent(String name, Object expression, boolean enabled) {
    }

    /**
     * A SAM {@code HttpApi} event: the HTTP API {@code apiId} (a {@code !Ref}; absent: SAM's implicit
     * API) routes {@code method path} to the function; {@code authorizer} is the event's own
     * {@code Auth.Authorizer} (null: the API's default).
     */
    public record HttpApiEvent(String name, Object apiId, String method, String path, Object authorizer) {
    }

    /** An {@code AWS::Serverless::LayerVersion}: its folder, which {@code sam build} copies as the layer. */
    public record LayerDef(String logicalId, String contentUri) {
    }

    /**
     * @param events the SQS event sources
     * @param schedules the Schedule events
     */
    public record FunctionDef(String logicalId, String codeUri, String handler, String runtime, int timeoutSeconds,
                              int memoryMb, Map<String, Object> environment, List<EventSource> events,
                              List<ScheduleEvent> schedules) {
        public String handlerClass() {
            int sep = handler.indexOf("::");
            return sep < 0 ? handler : handler.substring(0, sep);
        }

        public String handlerMethod() {
            int sep = handler.indexOf("::");
            return sep < 0 ? "handleRequest" : handler.substring(sep + 2);
        }

        /**
         * The environment variables glibc's malloc reads when the process starts ({@code MALLOC_*}), with
         * their literal values: settings of the function's process, not configuration its code reads.
         */
        public Map<String, String> mallocSettings() {
            Map<String, String> settings = new java.util.TreeMap<>();
            environment.forEach((name, value) -> {
                if (name.startsWith("MALLOC_")) {
                    settings.put(name, String.valueOf(value));
                }
            });
            return settings;
        }
    }

    private final Path file;
    private final Map<String, Object> root;
    private final Map<String, Object> resources;

    private Template(Path file, Map<String, Object> root) {
        this.file = file;
        this.root = root;
        this.resources = map(root.get("Resources"), "Resources");
    }

    public static Template load(Path file) throws IOException {
        return new Template(file, CfnYaml.load(file));
    }

    public Path file() {
        return file;
    }

    public Map<String, Object> resources() {
        return resources;
    }

    /** The template's {@code Outputs} section (output name to its definition); empty when there is none. */
    @SuppressWarnings("unchecked")
    public Map<String, Object> outputs() {
        return root.get("Outputs") instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    public String typeOf(String logicalId) {
        Object r = resources.get(logicalId);
        return r == null ? null : (String) map(r, logicalId).get("Type");
    }

    /** Parameter name to its Default, as text. */
    public Map<String, String> parameterDefaults() {
        Map<String, String> out = new LinkedHashMap<>();
        Object params = root.get("Parameters");
        if (params != null) {
            map(params, "Parameters").forEach((name, def) -> {
                Object d = map(def, name).get("Default");
                if (d != null) {
                    out.put(name, String.valueOf(d));
                }
            });
        }
        return out;
    }

    /** Every parameter's name, in template order, with a Default or not. */
    public java.util.Set<String> parameterNames() {
        Object params = root.get("Parameters");
        return params == null ? java.util.Set.of() : new java.util.LinkedHashSet<>(map(params, "Parameters").keySet());
    }

    /** A parameter's definition as written (Type, Default, AllowedPattern, MinValue, ...); empty when there is none. */
    public Map<String, Object> parameter(String name) {
        Object params = root.get("Parameters");
        Object def = params == null ? null : map(params, "Parameters").get(name);
        return def == null ? Map.of() : map(def, "Parameters." + name);
    }

    public List<Bucket> buckets() {
        List<Bucket> out = new ArrayList<>();
        forType("AWS::S3::Bucket", (id, props) -> {
            List<Map<String, Object>> notifications = new ArrayList<>();
            Object nc = props.get("NotificationConfiguration");
            if (nc != null) {
                Object qcs = map(nc, id + ".NotificationConfiguration").get("QueueConfigurations");
                if (qcs != null) {
                    for (Object qc : list(qcs, id + ".QueueConfigurations")) {
                        notifications.add(map(qc, id + ".QueueConfiguration"));
                    }
                }
            }
            out.add(new Bucket(id, props.getOrDefault("BucketName", id.toLowerCase()), notifications));
        });
        return out;
    }

    /** A bucket's lifecycle rules (LifecycleConfiguration.Rules), as written. */
    public List<Map<String, Object>> lifecycleRules(String bucketLogicalId) {
        Map<String, Object> props = map(map(resources.get(bucketLogicalId), bucketLogicalId).getOrDefault("Properties", Map.of()),
                bucketLogicalId + ".Properties");
        Object lc = props.get("LifecycleConfiguration");
        if (lc == null) {
            return List.of();
        }
        Object rules = map(lc, bucketLogicalId + ".LifecycleConfiguration").get("Rules");
        List<Map<String, Object>> out = new ArrayList<>();
        if (rules != null) {
            for (Object r : list(rules, bucketLogicalId + ".LifecycleConfiguration.Rules")) {
                out.add(map(r, bucketLogicalId + ".LifecycleConfiguration.Rules[]"));
            }
        }
        return out;
    }

    /** The template's {@code Conditions} section, as written; empty when there is none. */
    @SuppressWarnings("unchecked")
    public Map<String, Object> conditionDefinitions() {
        return root.get("Conditions") instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    /** The {@code Condition} a resource is created under, or null when it always is. */
    public String condition(String logicalId) {
        Object r = resources.get(logicalId);
        Object c = r == null ? null : map(r, logicalId).get("Condition");
        return c == null ? null : String.valueOf(c);
    }

    public List<EventSourceMapping> eventSourceMappings() {
        List<EventSourceMapping> out = new ArrayList<>();
        forType("AWS::Lambda::EventSourceMapping", (id, p) -> {
            Object types = p.getOrDefault("FunctionResponseTypes", List.of());
            Object scaling = p.get("ScalingConfig");
            out.add(new EventSourceMapping(id, condition(id), p.get("EventSourceArn"), p.get("FunctionName"),
                    intOf(p.getOrDefault("BatchSize", 10)), list(types, id + ".FunctionResponseTypes").contains("ReportBatchItemFailures"),
                    scaling == null ? null : map(scaling, id + ".ScalingConfig").get("MaximumConcurrency")));
        });
        return out;
    }

    public List<QueueDef> queues() {
        List<QueueDef> out = new ArrayList<>();
        forType("AWS::SQS::Queue", (id, props) -> out.add(new QueueDef(id, props)));
        return out;
    }

    public List<LayerDef> layers() {
        List<LayerDef> out = new ArrayList<>();
        forType("AWS::Serverless::LayerVersion", (id, props) -> out.add(new LayerDef(id, String.valueOf(props.get("ContentUri")))));
        return out;
    }

    public List<FunctionDef> functions() {
        Map<String, Object> globals = Map.of();
        Object g = root.get("Globals");
        if (g != null && map(g, "Globals").get("Function") != null) {
            globals = map(map(g, "Globals").get("Function"), "Globals.Function");
        }
        Map<String, Object> gl = globals;
        List<FunctionDef> out = new ArrayList<>();
        forType("AWS::Serverless::Function", (id, props) -> {
            Map<String, Object> env = new LinkedHashMap<>(variables(gl));
            env.putAll(variables(props));
            List<EventSource> events = new ArrayList<>();
            List<ScheduleEvent> schedules = new ArrayList<>();
            Object ev = props.get("Events");
            if (ev != null) {
                map(ev, id + ".Events").forEach((name, def) -> {
                    Map<String, Object> e = map(def, id + ".Events." + name);
                    if ("SQS".equals(e.get("Type"))) {
                        Map<String, Object> p = map(e.get("Properties"), id + ".Events." + name + ".Properties");
                        Object types = p.getOrDefault("FunctionResponseTypes", List.of());
                        Object scaling = p.get("ScalingConfig");
                        events.add(new EventSource(name, p.get("Queue"), intOf(p.getOrDefault("BatchSize", 10)),
                                list(types, "FunctionResponseTypes").contains("ReportBatchItemFailures"),
                                scaling == null ? null : map(scaling, id + ".Events." + name + ".ScalingConfig").get("MaximumConcurrency")));
                    } else if ("Schedule".equals(e.get("Type"))) {
                        Map<String, Object> p = map(e.get("Properties"), id + ".Events." + name + ".Properties");
                        schedules.add(new ScheduleEvent(name, p.get("Schedule"), !Boolean.FALSE.equals(p.get("Enabled"))
                                && !"DISABLED".equals(p.get("State"))));
                    }
                });
            }
            out.add(new FunctionDef(id, (String) props.get("CodeUri"), (String) props.get("Handler"),
                    (String) props.getOrDefault("Runtime", gl.get("Runtime")),
                    intOf(props.getOrDefault("Timeout", gl.getOrDefault("Timeout", 3))),
                    intOf(props.getOrDefault("MemorySize", gl.getOrDefault("MemorySize", 128))), env, events, schedules));
        });
        return out;
    }

    /** The {@code HttpApi} events of a function, in the template's order. */
    public List<HttpApiEvent> httpApiEvents(String functionId) {
        Object ev = functionProperty(functionId, "Events");
        List<HttpApiEvent> out = new ArrayList<>();
        if (ev == null) {
            return out;
        }
        map(ev, functionId + ".Events").forEach((name, def) -> {
            Map<String, Object> e = map(def, functionId + ".Events." + name);
            if ("HttpApi".equals(e.get("Type"))) {
                Map<String, Object> p = e.get("Properties") == null ? Map.of()
                        : map(e.get("Properties"), functionId + ".Events." + name + ".Properties");
                Object auth = p.get("Auth") instanceof Map<?, ?> a ? a.get("Authorizer") : null;
                out.add(new HttpApiEvent(name, p.get("ApiId"), (String) p.get("Method"), (String) p.get("Path"), auth));
            }
        });
        return out;
    }

    /** A function's merged properties where Globals supply what it lacks (e.g. Architectures). */
    public Object functionProperty(String logicalId, String name) {
        Map<String, Object> props = map(map(resources.get(logicalId), logicalId).get("Properties"), logicalId + ".Properties");
        if (props.containsKey(name)) {
            return props.get(name);
        }
        Object g = root.get("Globals");
        if (g == null) {
            return null;
        }
        Object fn = map(g, "Globals").get("Function");
        return fn == null ? null : map(fn, "Globals.Function").get(name);
    }

    private Map<String, Object> variables(Map<String, Object> props) {
        Object env = props.get("Environment");
        if (env == null) {
            return Map.of();
        }
        Object vars = map(env, "Environment").get("Variables");
        return vars == null ? Map.of() : map(vars, "Environment.Variables");
    }

    private interface ResourceVisitor {
        void visit(String logicalId, Map<String, Object> properties);
    }

    private void forType(String type, ResourceVisitor visitor) {
        resources.forEach((id, def) -> {
            Map<String, Object> r = map(def, id);
            if (type.equals(r.get("Type"))) {
                Object props = r.get("Properties");
                visitor.visit(id, props == null ? Map.of() : map(props, id + ".Properties"));
            }
        });
    }

    private static int intOf(Object o) {
        return o instanceof Number n ? n.intValue() : Integer.parseInt(String.valueOf(o));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object o, String where) {
        if (o instanceof Map<?, ?> m) {
            return (Map<String, Object>) m;
        }
        throw new IllegalArgumentException("template.yaml: expected a mapping at " + where + ", found " + o);
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object o, String where) {
        if (o instanceof List<?> l) {
            return (List<Object>) l;
        }
        throw new IllegalArgumentException("template.yaml: expected a list at " + where + ", found " + o);
    }
}
