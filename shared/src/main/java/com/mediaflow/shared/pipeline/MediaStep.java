package com.mediaflow.shared.pipeline;

import com.mediaflow.shared.codec.EarlyRenditions;
import com.mediaflow.shared.codec.Rendition;
import com.mediaflow.shared.model.StepMessage;
import com.mediaflow.shared.validation.Reason;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The work of one processing step on one validated original. Pure: it reads the local file and
 * returns renditions and metadata; {@link StepRunner} does all storage and messaging. Throw
 * {@link com.mediaflow.shared.error.CodecException} when the content cannot be processed: that is
 * permanent and quarantines the item.
 */
public interface MediaStep {
    /** The step's name, as in template.yaml's PIPELINE_STEPS. */
    String name();

    Output process(StepMessage message, Path original);

    /**
     * As {@link #process(StepMessage, Path)}, handing the renditions a recipient sees first to
     * {@code early} as soon as they are made ({@link StepRunner} stores them at once and lists them
     * in the manifest while the item is still PROCESSING). They must also be in the returned
     * output. A step without such renditions need not override this.
     */
    default Output process(StepMessage message, Path original, EarlyRenditions early) {
        return process(message, original);
    }

    /**
     * What a step made.
     *
     * @param warnings findings that do not reject the item (say, properties that could not be
     *     read); they go into the manifest's reasons. Only {@code WARNING}s: a step refuses
     *     content by throwing {@link com.mediaflow.shared.error.CodecException}
     */
    record Output(List<Rendition> renditions, Map<String, Object> metadata, List<Reason> warnings) {
        public Output {
            renditions = List.copyOf(renditions);
            metadata = Map.copyOf(metadata);
            warnings = List.copyOf(warnings);
            for (Reason r : warnings) {
                if (r.rejects()) {
                    throw new IllegalArgumentException("A step's output carries warnings only, found "
                            + r.severity() + " " + r.code() + ": " + r.message());
                }
            }
        }

        /** Renditions and metadata, no warnings. */
        public Output(List<Rendition> renditions, Map<String, Object> metadata) {
            this(renditions, metadata, List.of());
        }
    }
}
