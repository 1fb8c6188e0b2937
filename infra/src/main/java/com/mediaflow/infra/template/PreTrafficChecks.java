package com.mediaflow.infra.template;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The rules of the PreTraffic hook (functions/pretraffic), for a template that wires it:
 * <ul>
 *   <li>every function released through CodeDeploy (a {@code DeploymentPreference}) names a
 *       {@code Hooks.PreTraffic} that is a function of this template;</li>
 *   <li>that hook function has no {@code DeploymentPreference} (it would hook its own release),
 *       and a {@code FunctionName} starting {@code CodeDeployHook_}: SAM's CodeDeploy service role
 *       (AWSCodeDeployRoleForLambdaLimited) may invoke only functions named so;</li>
 *   <li>its role may do only what the hook does: {@code lambda:InvokeFunction} on the versions
 *       ({@code ${Fn.Arn}:*}) of this template's released functions, each of them covered, and
 *       {@code codedeploy:GetDeployment} and {@code codedeploy:PutLifecycleEventHookExecutionStatus}
 *       on deployment groups, never on {@code '*'}.</li>
 * </ul>
 * Part of {@link ProductionChecks}; the hook itself is exempt from the rules for the functions it
 * releases ({@link #hooks}: no DeploymentPreference, no event source, no SnapStart, no KMS rights).
 */
public final class PreTrafficChecks {
    /** The prefix SAM's CodeDeploy service role allows it to invoke. */
    public static final String HOOK_NAME_PREFIX = "CodeDeployHook_";
    static final Set<String> HOOK_ACTIONS = Set.of("lambda:InvokeFunction", "codedeploy:GetDeployment",
            "codedeploy:PutLifecycleEventHookExecutionStatus");

    private PreTrafficChecks() {
    }

    /** The functions some function's {@code DeploymentPreference.Hooks.PreTraffic} names. */
    public static Set<String> hooks(Template template) {
        Set<String> hooks = new TreeSet<>();
        for (Template.FunctionDef f : template.functions()) {
            Object hook = map(map(template.functionProperty(f.logicalId(), "DeploymentPreference")).get("Hooks")).get("PreTraffic");
            if (map(hook).get("Ref") instanceof String ref) {
                hooks.add(ref);
            }
        }
        return hooks;
    }

    /** Every problem found, each a sentence naming the resource; empty when the hook is wired as it must be. */
    public static List<String> problems(Template template) {
        List<String> problems = new ArrayList<>();
        Set<String> functions = new LinkedHashSet<>();
        template.functions().forEach(f -> functions.add(f.logicalId()));
        Set<String> released = new LinkedHashSet<>();
        Set<String> hooks = new LinkedHashSet<>();
        for (String f : functions) {
            Map<String, Object> preference = map(template.functionProperty(f, "DeploymentPreference"));
            if (preference.isEmpty()) {
                continue;
            }
            released.add(f);
            Object hook = map(preference.get("Hooks")).get("PreTraffic");
            String ref = map(hook).get("Ref") instanceof String r ? r : null;
            if (ref == null) {
                problems.add("function " + f + " has no DeploymentPreference.Hooks.PreTraffic (found " + hook
                        + "), expected !Ref to the PreTraffic hook function, which checks a new version before traffic shifts");
            } else if (!functions.contains(ref)) {
                problems.add("function " + f + "'s PreTraffic hook " + ref + " is not a function of this template");
            } else {
                hooks.add(ref);
            }
        }
        for (String hook : hooks) {
            hook(template, hook, released, problems);
        }
        return problems;
    }

    private static void hook(Template template, String hook, Set<String> released, List<String> problems) {
        String where = "PreTraffic hook " + hook;
        if (!map(template.functionProperty(hook, "DeploymentPreference")).isEmpty()) {
            problems.add(where + " has a DeploymentPreference, expected none: it would hook its own release");
        }
        Object name = template.functionProperty(hook, "FunctionName");
        String text = name instanceof String s ? s : String.valueOf(map(name).get("Fn::Sub"));
        if (!text.startsWith(HOOK_NAME_PREFIX)) {
            problems.add(where + " has FunctionName " + name + ", expected one starting " + HOOK_NAME_PREFIX
                    + " (SAM's CodeDeploy role invokes only those)");
        }
        Set<String> invocable = new TreeSet<>();
        for (Map<String, Object> statement : statements(template.functionProperty(hook, "Policies"), where, problems)) {
            if (!"Allow".equals(statement.get("Effect"))) {
                continue;
            }
            String sid = statement.get("Sid") == null ? "" : " (statement " + statement.get("Sid") + ")";
            List<String> actions = strings(statement.get("Action"));
            List<Object> resources = statement.get("Resource") instanceof List<?> l ? new ArrayList<>(l)
                    : statement.get("Resource") == null ? List.of() : List.of(statement.get("Resource"));
            for (String action : actions) {
                if (!HOOK_ACTIONS.contains(action)) {
                    problems.add(where + " grants " + action + sid + ", expected only " + new TreeSet<>(HOOK_ACTIONS));
                }
            }
            for (Object r : resources) {
                String arn = r instanceof String s ? s : String.valueOf(map(r).get("Fn::Sub"));
                if (actions.contains("lambda:InvokeFunction")) {
                    var m = java.util.regex.Pattern.compile("\\$\\{(\\w+)\\.Arn}:\\*").matcher(arn);
                    if (m.matches() && released.contains(m.group(1))) {
                        invocable.add(m.group(1));
                    } else {
                        problems.add(where + " may invoke " + r + sid + ", expected only the versions (${Fn.Arn}:*) of this"
                                + " template's released functions " + released);
                    }
                }
                if (actions.stream().anyMatch(a -> a.startsWith("codedeploy:")) && !arn.contains(":deploymentgroup:")) {
                    problems.add(where + " reports to CodeDeploy on " + r + sid + ", expected deployment groups"
                            + " (arn:...:codedeploy:...:deploymentgroup:...), not everything");
                }
            }
        }
        for (String f : released) {
            if (!invocable.contains(f)) {
                problems.add(where + " may not invoke the versions of " + f + ", expected lambda:InvokeFunction on !Sub '${"
                        + f + ".Arn}:*'");
            }
        }
    }

    private static List<Map<String, Object>> statements(Object policies, String where, List<String> problems) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Object item : policies instanceof List<?> l ? l : policies == null ? List.of() : List.of(policies)) {
            if (!(map(item).get("Statement") instanceof List<?> statements)) {
                problems.add(where + " has policy " + item + ", expected explicit statements (least privilege)");
                continue;
            }
            statements.forEach(s -> out.add(map(s)));
        }
        return out;
    }

    private static List<String> strings(Object value) {
        if (value instanceof List<?> l) {
            return l.stream().map(String::valueOf).toList();
        }
        return value == null ? List.of() : List.of(String.valueOf(value));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return o instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }
}
