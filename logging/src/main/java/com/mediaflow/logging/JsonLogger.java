package com.mediaflow.logging;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.AbstractLogger;
import org.slf4j.helpers.MessageFormatter;
import org.slf4j.spi.MDCAdapter;

/**
 * A logger whose events are JSON lines: the fixed fields of {@link LogSettings}, the MDC (where
 * the batch handler puts the request id and cold start), the message with its arguments filled
 * in, and an {@code error} object for a throwable. One {@code print} per event, so concurrent
 * lines never interleave.
 */
final class JsonLogger extends AbstractLogger {
    private static final long serialVersionUID = 1L;

    private final transient Level threshold;
    private final transient LogSettings settings;
    private final transient MDCAdapter mdc;
    private final transient Supplier<PrintStream> out;

    JsonLogger(String name, Level threshold, LogSettings settings, MDCAdapter mdc, Supplier<PrintStream> out) {
        this.name = name;
        this.threshold = threshold;
        this.settings = settings;
        this.mdc = mdc;
        this.out = out;
    }

    private boolean enabled(Level level) {
        return level.toInt() >= threshold.toInt();
    }

    @Override
    public boolean isTraceEnabled() {
        return enabled(Level.TRACE);
    }

    @Override
    public boolean isTraceEnabled(Marker marker) {
        return isTraceEnabled();
    }

    @Override
    public boolean isDebugEnabled() {
        return enabled(Level.DEBUG);
    }

    @Override
    public boolean isDebugEnabled(Marker marker) {
        return isDebugEnabled();
    }

    @Override
    public boolean isInfoEnabled() {
        return enabled(Level.INFO);
    }

    @Override
    public boolean isInfoEnabled(Marker marker) {
        return isInfoEnabled();
    }

    @Override
    public boolean isWarnEnabled() {
        return enabled(Level.WARN);
    }

    @Override
    public boolean isWarnEnabled(Marker marker) {
        return isWarnEnabled();
    }

    @Override
    public boolean isErrorEnabled() {
        return enabled(Level.ERROR);
    }

    @Override
    public boolean isErrorEnabled(Marker marker) {
        return isErrorEnabled();
    }

    @Override
    protected String getFullyQualifiedCallerName() {
        return null;
    }

    @Override
    protected void handleNormalizedLoggingCall(Level level, Marker marker, String pattern, Object[] arguments,
            Throwable throwable) {
        String message = MessageFormatter.basicArrayFormat(pattern, arguments);
        out.get().print(line(level, message, throwable, Instant.now()));
    }

    /** The JSON line of one event, newline included; fields in a fixed order, MDC keys sorted. */
    String line(Level level, String message, Throwable throwable, Instant time) {
        StringBuilder b = new StringBuilder(256);
        b.append('{');
        Map<String, String> context = mdc.getCopyOfContextMap();
        Map<String, String> fields = new TreeMap<>();
        fields.put("service", settings.service());
        fields.put("function_name", settings.functionName());
        fields.put("function_memory_size", settings.functionMemorySize());
        fields.put("function_version", settings.functionVersion());
        // Lambda's Java runtime sets the trace header per invocation as a system property; the
        // environment variable only holds the one of the first invocation
        String header = System.getProperty("com.amazonaws.xray.traceHeader");
        fields.put("xray_trace_id", traceId(header != null ? header : System.getenv("_X_AMZN_TRACE_ID")));
        if (context != null) {
            fields.putAll(context); // the invocation's own values (function_name from its Context) win
        }
        field(b, "level", level.name(), true);
        field(b, "message", message, false);
        field(b, "logger", name, false);
        field(b, "timestamp", time.toString(), false);
        for (Map.Entry<String, String> e : fields.entrySet()) {
            field(b, e.getKey(), e.getValue(), false);
        }
        if (throwable != null) {
            b.append(",\"error\":{");
            field(b, "name", throwable.getClass().getName(), true);
            field(b, "message", throwable.getMessage(), false);
            StringWriter stack = new StringWriter();
            throwable.printStackTrace(new PrintWriter(stack));
            field(b, "stack", stack.toString(), false);
            b.append('}');
        }
        return b.append("}\n").toString();
    }

    /** The Root of an X-Ray trace header ({@code Root=1-...;Parent=...;Sampled=1}), as Powertools logs it. */
    static String traceId(String header) {
        if (header == null) {
            return null;
        }
        for (String part : header.split(";")) {
            if (part.startsWith("Root=")) {
                return part.substring("Root=".length());
            }
        }
        return null;
    }

    private static void field(StringBuilder b, String key, String value, boolean first) {
        if (value == null) {
            return;
        }
        if (!first) {
            b.append(',');
        }
        quote(b, key);
        b.append(':');
        quote(b, value);
    }

    /** A JSON string: quotes, backslashes and every control character escaped. */
    static void quote(StringBuilder b, String s) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x2028 || c == 0x2029) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        b.append('"');
    }
}
