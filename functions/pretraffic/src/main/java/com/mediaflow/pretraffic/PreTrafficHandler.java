package com.mediaflow.pretraffic;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.util.Map;

/**
 * The hook's Lambda entry point: CodeDeploy invokes it with {@code {"DeploymentId": ...,
 * "LifecycleEventHookExecutionId": ...}}; the work is in {@link PreTrafficHook}.
 *
 * <p>Not deployable yet: its public no-arg constructor would build a CodeDeploy and a Lambda client,
 * and neither {@code software.amazon.awssdk:codedeploy} nor {@code :lambda} is served by the Maven
 * mirror at the root pom's SDK version. Until they are, template.yaml does not name this handler
 * (a hook that cannot report holds every deployment for an hour, then rolls it back).
 */
public class PreTrafficHandler implements RequestHandler<Map<String, Object>, String> {
    private final PreTrafficHook hook;

    public PreTrafficHandler(PreTrafficHook hook) {
        this.hook = hook;
    }

    @Override
    public String handleRequest(Map<String, Object> event, Context context) {
        Object deployment = event == null ? null : event.get("DeploymentId");
        Object execution = event == null ? null : event.get("LifecycleEventHookExecutionId");
        PreTrafficHook.Outcome outcome = hook.run(deployment == null ? null : deployment.toString(),
                execution == null ? null : execution.toString());
        return outcome.status().apiValue() + ": " + outcome.why();
    }
}
