package com.mediaflow.pretraffic;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.mediaflow.shared.config.Config;
import java.time.Duration;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.lambda.LambdaClient;

/**
 * The hook's Lambda entry point: CodeDeploy invokes it with {@code {"DeploymentId": ...,
 * "LifecycleEventHookExecutionId": ...}}; the work is in {@link PreTrafficHook}.
 */
public class PreTrafficHandler implements RequestHandler<Map<String, Object>, String> {
    /**
     * How long one answer may take: a new version's cold start (init, or a SnapStart restore) plus
     * its handler on the synthetic event, well under the hook's Timeout (300 s in template.yaml), so
     * that a version that hangs is still reported Failed before the hook itself times out.
     */
    static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(180);

    private final PreTrafficHook hook;

    /** What Lambda calls: configuration read and clients built once, at init. */
    public PreTrafficHandler() {
        this(Config.fromEnvironment());
    }

    /** For the embedded stack, which gives each function its own template environment; also builds the AWS clients. */
    public PreTrafficHandler(Config config) {
        this(config, http());
    }

    private PreTrafficHandler(Config config, SdkHttpClient http) {
        this(new PreTrafficHook(
                new CodeDeployDeployments(http, CodeDeployDeployments.endpoint(config.region()), config.region(),
                        DefaultCredentialsProvider.builder().build()),
                new LambdaVersions(LambdaClient.builder().httpClient(http).region(Region.of(config.region()))
                        .credentialsProvider(DefaultCredentialsProvider.builder().build())
                        // retries included: whatever happens, time is left to report Failed within the hook's Timeout
                        .overrideConfiguration(c -> c.apiCallTimeout(ANSWER_TIMEOUT.plusSeconds(20))).build()),
                new HookProbes(config)));
    }

    public PreTrafficHandler(PreTrafficHook hook) {
        this.hook = hook;
    }

    private static SdkHttpClient http() {
        return UrlConnectionHttpClient.builder().connectionTimeout(Duration.ofSeconds(5)).socketTimeout(ANSWER_TIMEOUT).build();
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
