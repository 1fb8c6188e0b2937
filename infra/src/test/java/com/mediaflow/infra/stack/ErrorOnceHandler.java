package com.mediaflow.infra.stack;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** A test handler whose first invocation in the JVM throws an Error, as a class that fails to load would. */
public class ErrorOnceHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {
    static final AtomicInteger INSTANCES = new AtomicInteger();
    static final AtomicInteger CALLS = new AtomicInteger();

    public ErrorOnceHandler() {
        INSTANCES.incrementAndGet();
    }

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        if (CALLS.incrementAndGet() == 1) {
            throw new NoClassDefFoundError("com/example/Missing");
        }
        return new SQSBatchResponse(List.of());
    }
}
