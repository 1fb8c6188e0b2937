package com.mediaflow.infra.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.mediaflow.shared.validation.Reason;
import java.util.List;
import java.util.Map;

/**
 * One line of the CLI's stdout: what became of one input. The schema is
 * {@code infra/src/main/resources/mediaflow-result.schema.json}; docs/cli.md describes it.
 *
 * @param status READY, QUARANTINED or FAILED from {@code process}; ACCEPTED or QUARANTINED from {@code validate}
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record ResultLine(String file, String status, String mediaId, String type, List<ReasonOut> reasons,
                         List<OutputOut> outputs, Map<String, Object> metadata) {

    public record ReasonOut(String code, String severity, String message) {
        static List<ReasonOut> of(List<Reason> reasons) {
            return reasons.stream().map(r -> new ReasonOut(r.code().name(), r.severity().name(), r.message())).toList();
        }
    }

    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record OutputOut(String kind, String path, String contentType, Integer width, Integer height) {
    }
}
