package com.mediaflow.shared.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.mediaflow.shared.error.MalformedEventException;
import com.mediaflow.shared.error.NewerFormatException;
import java.io.IOException;
import java.util.Objects;

/**
 * What the transcode queue carries: the {@link Step step message} from validate (transcode the
 * whole original, or plan a long video's parallel path), or one {@link TranscodeJob} of that
 * parallel path. {@link #read} decides which, once, by the {@code job} field only a job has; the
 * messages are today's JSON, unchanged.
 */
public sealed interface TranscodeWork permits TranscodeWork.Step, TranscodeJob {
    String mediaId();

    String bucket();

    /** The step message from validate. */
    record Step(StepMessage message) implements TranscodeWork {
        public Step {
            Objects.requireNonNull(message, "message");
        }

        @Override
        public String mediaId() {
            return message.mediaId();
        }

        @Override
        public String bucket() {
            return message.bucket();
        }
    }

    /**
     * Reads one message of the transcode queue: with a {@code job} field, a {@link TranscodeJob} of the
     * kind it names; without, a {@link StepMessage}. Either is checked for its format version
     * ({@link Json#checkVersion}) before it is read.
     *
     * @throws MalformedEventException when the text is not a JSON object, names no known job, or is not
     *     the message it says it is
     * @throws NewerFormatException when its {@code "v"} is newer than this code's (retryable)
     */
    static TranscodeWork read(String body) {
        JsonNode node;
        try {
            node = Json.MAPPER.readTree(body);
        } catch (IOException e) {
            throw new MalformedEventException("transcode message is not JSON: " + abbreviate(body), e);
        }
        if (node == null || !node.isObject()) {
            throw new MalformedEventException("transcode message is not a JSON object: " + abbreviate(body));
        }
        JsonNode job = node.get("job");
        if (job == null) {
            return new Step(bind(node, body, StepMessage.class, StepMessage.class));
        }
        String kind = job.isNull() ? "null" : job.asText();
        return switch (kind) {
            case TranscodeJob.SEGMENT -> bind(node, body, TranscodeJob.class, TranscodeJob.Segment.class);
            case TranscodeJob.AUDIO -> bind(node, body, TranscodeJob.class, TranscodeJob.Audio.class);
            case TranscodeJob.STITCH -> bind(node, body, TranscodeJob.class, TranscodeJob.Stitch.class);
            default -> {
                Json.checkVersion(node, TranscodeJob.class);
                throw new MalformedEventException("transcode job is '" + kind + "', expected " + TranscodeJob.SEGMENT
                        + ", " + TranscodeJob.AUDIO + " or " + TranscodeJob.STITCH);
            }
        };
    }

    /** As {@link Json#read}, on the tree already parsed; errors name {@code named}, as they always did. */
    private static <T> T bind(JsonNode node, String body, Class<?> named, Class<T> type) {
        Json.checkVersion(node, named);
        try {
            return Json.MAPPER.treeToValue(node, type);
        } catch (IOException e) {
            throw new MalformedEventException("expected a JSON " + named.getSimpleName() + ", found: " + abbreviate(body), e);
        }
    }

    private static String abbreviate(String s) {
        return s == null ? "null" : s.length() <= 200 ? s : s.substring(0, 200) + "...";
    }
}
