package com.mediaflow.shared.validation.internal.parsers.document;

import com.mediaflow.shared.error.MediaRejectedException;
import com.mediaflow.shared.error.ReasonCode;
import com.mediaflow.shared.validation.DocumentLimits;
import com.mediaflow.shared.validation.StructureReport;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the checks of one package found: warnings gathered by code, one reason each; errors thrown
 * at once. A risky finding (macros, an executable, an embedded object, an external link) is an
 * error or a warning as its policy in {@link DocumentLimits} says.
 */
final class Findings {
    private static final int LISTED = 5;

    private final DocumentLimits policies;
    private final Map<ReasonCode, List<String>> warnings = new LinkedHashMap<>();
    private final Map<ReasonCode, String> headlines = new LinkedHashMap<>();

    Findings(DocumentLimits policies) {
        this.policies = policies;
    }

    /**
     * A risky finding: thrown as an error ({@code message}) when its policy is quarantine, else
     * gathered as a warning ({@code headline}, {@code item}) and the check goes on.
     */
    void risk(ReasonCode code, String format, String message, String headline, String item) {
        if (policies.policy(code) == DocumentLimits.Policy.QUARANTINE) {
            throw reject(code, format, message);
        }
        warn(code, headline, item);
    }

    void warn(ReasonCode code, String headline, String item) {
        headlines.putIfAbsent(code, headline);
        warnings.computeIfAbsent(code, k -> new ArrayList<>()).add(item);
    }

    static MediaRejectedException reject(ReasonCode code, String format, String message) {
        return new MediaRejectedException(code, format + ": " + message);
    }

    void into(StructureReport.Builder report, String format) {
        warnings.forEach((code, items) -> {
            StringBuilder sb = new StringBuilder(format).append(": ").append(headlines.get(code)).append(" (")
                    .append(items.size()).append("): ");
            for (int i = 0; i < Math.min(LISTED, items.size()); i++) {
                sb.append(i == 0 ? "" : "; ").append(items.get(i));
            }
            if (items.size() > LISTED) {
                sb.append("; and ").append(items.size() - LISTED).append(" more");
            }
            report.warn(code, sb.toString());
        });
    }
}
