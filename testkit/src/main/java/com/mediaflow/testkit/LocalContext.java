package com.mediaflow.testkit;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Lambda {@link Context} for runs off Lambda (the embedded stack, tests): the function's
 * name, memory and a deadline from its Timeout. Part of the test kit: never in a function's package.
 */
public final class LocalContext implements Context {
    private final String functionName;
    private final int memoryMb;
    private final long deadlineMillis;
    private final String requestId;
    private final Logger log;

    public LocalContext(String functionName, int timeoutSeconds, int memoryMb) {
        this(functionName, timeoutSeconds, memoryMb, UUID.randomUUID().toString());
    }

    public LocalContext(String functionName, int timeoutSeconds, int memoryMb, String requestId) {
        this.functionName = functionName;
        this.memoryMb = memoryMb;
        this.requestId = requestId;
        this.deadlineMillis = System.currentTimeMillis() + timeoutSeconds * 1000L;
        this.log = LoggerFactory.getLogger("lambda." + functionName);
    }

    @Override
    public String getAwsRequestId() {
        return requestId;
    }

    @Override
    public String getLogGroupName() {
        return "/aws/lambda/" + functionName;
    }

    @Override
    public String getLogStreamName() {
        return "local/" + requestId;
    }

    @Override
    public String getFunctionName() {
        return functionName;
    }

    @Override
    public String getFunctionVersion() {
        return "$LATEST";
    }

    @Override
    public String getInvokedFunctionArn() {
        return "arn:aws:lambda:us-east-1:000000000000:function:" + functionName;
    }

    @Override
    public CognitoIdentity getIdentity() {
        return null;
    }

    @Override
    public ClientContext getClientContext() {
        return null;
    }

    @Override
    public int getRemainingTimeInMillis() {
        return (int) Math.max(0, deadlineMillis - System.currentTimeMillis());
    }

    @Override
    public int getMemoryLimitInMB() {
        return memoryMb;
    }

    @Override
    public LambdaLogger getLogger() {
        return new Slf4jLambdaLogger(log);
    }

    /**
     * The context's logger, onto SLF4J. A named class: {@code infra}'s {@code Probes} copies
     * {@code LocalContext} and this class beside a Lambda package for the cold-start probe.
     */
    static final class Slf4jLambdaLogger implements LambdaLogger {
        private final Logger log;

        Slf4jLambdaLogger(Logger log) {
            this.log = log;
        }

        @Override
        public void log(String message) {
            log.info(message);
        }

        @Override
        public void log(byte[] message) {
            log.info(new String(message, StandardCharsets.UTF_8));
        }
    }
}
