package com.mediaflow.shared.model;

import com.mediaflow.shared.validation.Reason;
import java.util.List;

/**
 * Put on the output queue when an item or an upload reaches a terminal state. Delivery is at least
 * once: consumers key on {@code mediaId} (and {@code upload}, when set).
 *
 * @param upload the ingest key when this event is about one upload (a quarantined or duplicate
 *     upload); null when it is about the item as a whole
 */
public record CompletionEvent(String mediaId, MediaStatus status, String type, String manifestKey, String upload, List<Reason> reasons) {
    public CompletionEvent {
        reasons = reasons == null ? List.of() : List.copyOf(reasons);
    }
}
