package com.mediaflow.infra.stack;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.mediaflow.shared.error.MalformedEventException;
import com.mediaflow.shared.model.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.sqs.model.Message;

/** Converts between SQS as the SDK sees it, Lambda's SQSEvent, and the event JSON in events/. */
public final class SqsEvents {
    private SqsEvents() {
    }

    /** What Lambda's event source mapping hands the function for a batch received from a queue. */
    public static SQSEvent fromMessages(List<Message> messages, String queueArn, String region) {
        List<SQSEvent.SQSMessage> records = new ArrayList<>();
        for (Message m : messages) {
            SQSEvent.SQSMessage r = new SQSEvent.SQSMessage();
            r.setMessageId(m.messageId());
            r.setReceiptHandle(m.receiptHandle());
            r.setBody(m.body());
            r.setMd5OfBody(m.md5OfBody());
            r.setEventSource("aws:sqs");
            r.setEventSourceArn(queueArn);
            r.setAwsRegion(region);
            Map<String, String> attributes = new LinkedHashMap<>();
            m.attributesAsStrings().forEach(attributes::put);
            r.setAttributes(attributes);
            r.setMessageAttributes(Map.of());
            records.add(r);
        }
        SQSEvent event = new SQSEvent();
        event.setRecords(records);
        return event;
    }

    /** Reads an SQS event in Lambda's JSON shape (the files in events/). */
    public static SQSEvent fromJson(String json) {
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(json);
        } catch (Exception e) {
            throw new MalformedEventException("expected an SQS event JSON, found invalid JSON", e);
        }
        JsonNode recs = root.get("Records");
        if (recs == null || !recs.isArray()) {
            throw new MalformedEventException("expected an SQS event with a Records array");
        }
        List<SQSEvent.SQSMessage> records = new ArrayList<>();
        for (JsonNode n : recs) {
            SQSEvent.SQSMessage r = new SQSEvent.SQSMessage();
            r.setMessageId(n.path("messageId").asText(null));
            r.setReceiptHandle(n.path("receiptHandle").asText(null));
            r.setBody(n.path("body").asText(null));
            r.setMd5OfBody(n.path("md5OfBody").asText(null));
            r.setEventSource(n.path("eventSource").asText(null));
            r.setEventSourceArn(n.path("eventSourceARN").asText(null));
            r.setAwsRegion(n.path("awsRegion").asText(null));
            Map<String, String> attributes = new LinkedHashMap<>();
            n.path("attributes").fields().forEachRemaining(e -> attributes.put(e.getKey(), e.getValue().asText()));
            r.setAttributes(attributes);
            r.setMessageAttributes(Map.of());
            records.add(r);
        }
        SQSEvent event = new SQSEvent();
        event.setRecords(records);
        return event;
    }

    public static String toJson(SQSBatchResponse response) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        var failures = root.putArray("batchItemFailures");
        if (response != null && response.getBatchItemFailures() != null) {
            for (var f : response.getBatchItemFailures()) {
                failures.addObject().put("itemIdentifier", f.getItemIdentifier());
            }
        }
        return Json.write(root);
    }
}
