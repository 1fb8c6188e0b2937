package com.mediaflow.shared.validation.internal.parsers.document;

import com.mediaflow.shared.error.MediaRejectedException;
import com.mediaflow.shared.error.ReasonCode;
import com.mediaflow.shared.validation.StructureReport;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What the checks of one package found: warnings gathered by code, one reason each; errors thrown at once. */
final class Findings {
    private static final int LISTED = 5;

    private final Map<ReasonCode, List<String>> warnings = new LinkedHashMap<>();
    private final Map<ReasonCode, String> headlines = new LinkedHashMap<>();

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
