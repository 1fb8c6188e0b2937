package com.mediaflow.infra.stack;

import java.util.List;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.core.exception.SdkServiceException;
import software.amazon.awssdk.services.s3.model.CopyObjectRequest;

/**
 * A global SDK interceptor (one instance per client): records each call of a client that a
 * {@link FunctionHost} built, with the answer's status, into {@link CallRecorder}.
 */
public final class CallRecordingInterceptor implements ExecutionInterceptor {
    private static final ExecutionAttribute<List<CallRecorder.Call>> CALLS = new ExecutionAttribute<>("mediaflow.calls");

    private final String function = CallRecorder.current();

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        String fn = function != null ? function : CallRecorder.current();
        if (fn == null || !CallRecorder.recording()) {
            return;
        }
        SdkRequest request = context.request();
        String service = attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME);
        String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        String resource = field(request, "Bucket");
        if (resource == null) {
            resource = field(request, "QueueUrl");
        }
        List<CallRecorder.Call> calls;
        if ("DeleteObjects".equals(operation)) {
            var delete = request.getValueForField("Delete", software.amazon.awssdk.services.s3.model.Delete.class);
            String bucket = resource;
            calls = delete.map(d -> d.objects().stream()
                    .map(o -> new CallRecorder.Call(fn, service, "DeleteObject", bucket, o.key(), null, null, 0)).toList())
                    .orElse(List.of());
        } else {
            String key = field(request, "Key");
            if (key == null) {
                key = field(request, "Prefix");
            }
            String[] source = request instanceof CopyObjectRequest c ? source(c) : new String[2];
            calls = List.of(new CallRecorder.Call(fn, service, operation, resource, key, source[0], source[1], 0));
        }
        attributes.putAttribute(CALLS, calls);
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        finish(attributes, context.httpResponse().statusCode());
    }

    @Override
    public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
        finish(attributes, context.exception() instanceof SdkServiceException e ? e.statusCode() : -1);
    }

    private static void finish(ExecutionAttributes attributes, int status) {
        List<CallRecorder.Call> calls = attributes.getAttribute(CALLS);
        if (calls != null) {
            calls.forEach(c -> CallRecorder.add(c.withStatus(status)));
        }
    }

    /** A copy's source bucket and key: as given, or from the {@code CopySource} header value the S3 client made of them. */
    private static String[] source(CopyObjectRequest c) {
        if (c.sourceBucket() != null) {
            return new String[] {c.sourceBucket(), c.sourceKey()};
        }
        @SuppressWarnings("deprecation")
        String copySource = c.copySource();
        if (copySource == null) {
            return new String[2];
        }
        String decoded = java.net.URLDecoder.decode(copySource.replaceAll("\\?versionId=.*$", "").replace("+", "%2B"),
                java.nio.charset.StandardCharsets.UTF_8);
        int slash = decoded.startsWith("/") ? decoded.indexOf('/', 1) : decoded.indexOf('/');
        String bucket = decoded.substring(decoded.startsWith("/") ? 1 : 0, slash);
        return new String[] {bucket, decoded.substring(slash + 1)};
    }

    private static String field(SdkRequest request, String name) {
        try {
            return request.getValueForField(name, String.class).orElse(null);
        } catch (ClassCastException e) {
            return null;
        }
    }
}
