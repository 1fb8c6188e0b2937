package com.mediaflow.shared.pipeline;

import com.mediaflow.shared.codec.Rendition;
import com.mediaflow.shared.model.StepMessage;
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

    /** What a step made. */
    record Output(List<Rendition> renditions, Map<String, Object> metadata) {
        public Output {
            renditions = List.copyOf(renditions);
            metadata = Map.copyOf(metadata);
        }
    }
}
