package com.mediaflow.shared.validation;

import com.mediaflow.shared.format.MediaFormat;
import java.util.List;

/**
 * What validation decided about one upload.
 *
 * @param accepted whether the upload may go on to any decoder
 * @param detected the format found in the content
 * @param declaredType the Content-Type the uploader declared, or null
 * @param reasons every finding; any ERROR means not accepted
 */
public record Verdict(boolean accepted, MediaFormat detected, String declaredType, List<Reason> reasons) {
    public Verdict {
        reasons = List.copyOf(reasons);
    }

    public static Verdict of(MediaFormat detected, String declaredType, List<Reason> reasons) {
        boolean accepted = reasons.stream().noneMatch(Reason::rejects);
        return new Verdict(accepted, detected, declaredType, reasons);
    }

    public String detectedType() {
        return detected.mimeType();
    }

    /** True when a finding is about the bytes themselves, not about how this upload declared them. */
    public boolean contentRejected() {
        return reasons.stream().anyMatch(r -> r.rejects() && !r.code().perUpload());
    }
}
