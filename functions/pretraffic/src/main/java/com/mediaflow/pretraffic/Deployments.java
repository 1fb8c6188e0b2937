package com.mediaflow.pretraffic;

/**
 * What the hook needs of CodeDeploy: the deployment's AppSpec ({@code GetDeployment}) and the
 * lifecycle hook's outcome ({@code PutLifecycleEventHookExecutionStatus}).
 */
public interface Deployments {
    /** The outcome CodeDeploy is told: Succeeded lets the traffic shift begin, Failed rolls the deployment back. */
    enum Status {
        SUCCEEDED("Succeeded"),
        FAILED("Failed");

        private final String apiValue;

        Status(String apiValue) {
            this.apiValue = apiValue;
        }

        /** The value of the API's {@code status} field. */
        public String apiValue() {
            return apiValue;
        }
    }

    /** The deployment's AppSpec content, as JSON. */
    String appSpec(String deploymentId);

    void report(String deploymentId, String lifecycleEventHookExecutionId, Status status);
}
