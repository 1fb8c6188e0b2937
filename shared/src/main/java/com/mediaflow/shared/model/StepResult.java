package com.mediaflow.shared.model;

import com.mediaflow.shared.validation.Reason;
import java.util.List;
import java.util.Map;

/**
 * What one step made of one media item. Written once per step to a fixed key, so a step that runs
 * twice overwrites its own result with the same content.
 *
 * @param reasons non-empty when the step found the content unusable (a permanent failure): the
 *     item is then quarantined with these reasons
 */
public record StepResult(String mediaId, String step, List<Output> outputs, Map<String, Object> metadata, List<Reason> reasons) implements Versioned {
    public StepResult {
        outputs = outputs == null ? List.of() : List.copyOf(outputs);
        metadata = metadata == null ? Map.of() : metadata;
        reasons = reasons == null ? List.of() : List.copyOf(reasons);
    }

    public boolean failed() {
        return reasons.stream().anyMatch(Reason::rejects);
    }
}
