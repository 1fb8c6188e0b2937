package com.mediaflow.pretraffic;

import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * CodeDeploy's BeforeAllowTraffic hook for every function of the stack: reads the deployment's
 * AppSpec, invokes the target version (never the alias, which still serves the current one) with
 * the function's {@link Probe}, and reports Succeeded only when the answer is the expected one.
 * Whatever goes wrong (a malformed AppSpec, a function it has no probe for, an invocation that
 * throws) is reported Failed: CodeDeploy then rolls the deployment back at once instead of waiting
 * an hour for a status that never comes.
 */
public final class PreTrafficHook {
    private static final Logger LOG = LoggerFactory.getLogger(PreTrafficHook.class);

    /** What the hook reported, and why. */
    public record Outcome(Deployments.Status status, String why) {
    }

    private final Deployments deployments;
    private final Versions versions;
    private final Function<String, Optional<Probe>> probes;

    /**
     * @param probes the probe of a function, by the function name the AppSpec gives; empty for a
     *     function the hook does not know (reported Failed)
     */
    public PreTrafficHook(Deployments deployments, Versions versions, Function<String, Optional<Probe>> probes) {
        this.deployments = Objects.requireNonNull(deployments, "deployments");
        this.versions = Objects.requireNonNull(versions, "versions");
        this.probes = Objects.requireNonNull(probes, "probes");
    }

    /** Checks the deployment's target version and reports the outcome to CodeDeploy; returns it. */
    public Outcome run(String deploymentId, String lifecycleEventHookExecutionId) {
        if (deploymentId == null || deploymentId.isBlank() || lifecycleEventHookExecutionId == null
                || lifecycleEventHookExecutionId.isBlank()) {
            throw new HookEventException("expected a CodeDeploy hook event with DeploymentId and LifecycleEventHookExecutionId,"
                    + " found DeploymentId=" + deploymentId + ", LifecycleEventHookExecutionId=" + lifecycleEventHookExecutionId);
        }
        Outcome outcome;
        try {
            outcome = check(deploymentId);
        } catch (RuntimeException e) {
            outcome = new Outcome(Deployments.Status.FAILED, "deployment " + deploymentId + ": " + e);
        }
        if (outcome.status() == Deployments.Status.SUCCEEDED) {
            LOG.info("PreTraffic check passed: {}", outcome.why());
        } else {
            LOG.error("PreTraffic check FAILED, the deployment rolls back: {}", outcome.why());
        }
        deployments.report(deploymentId, lifecycleEventHookExecutionId, outcome.status());
        return outcome;
    }

    private Outcome check(String deploymentId) {
        AppSpec spec = AppSpec.parse(deployments.appSpec(deploymentId));
        if (!spec.targetVersion().matches("[0-9]+")) {
            throw new AppSpecException("AppSpec resource '" + spec.resource() + "': expected TargetVersion to be a published"
                    + " version number, found '" + spec.targetVersion() + "'");
        }
        String where = spec.functionName() + ":" + spec.targetVersion() + " (alias " + spec.alias() + " at "
                + spec.currentVersion() + ")";
        Optional<Probe> probe = probes.apply(spec.functionName());
        if (probe.isEmpty()) {
            return new Outcome(Deployments.Status.FAILED, where + ": no synthetic event is known for function '"
                    + spec.functionName() + "'");
        }
        Versions.Invocation answer = versions.invoke(spec.functionName(), spec.targetVersion(), probe.get().payload());
        Optional<String> problem = probe.get().check().apply(answer);
        return problem.map(p -> new Outcome(Deployments.Status.FAILED, where + ": " + probe.get().what() + "; " + p))
                .orElseGet(() -> new Outcome(Deployments.Status.SUCCEEDED, where + ": " + probe.get().what()));
    }
}
