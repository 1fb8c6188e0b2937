package com.mediaflow.logging;

import java.util.Locale;
import java.util.Map;
import org.slf4j.event.Level;

/**
 * What the environment says about logging, read once: the level of our own loggers, the level of
 * everyone else's, and the fixed fields every line carries.
 *
 * @param ownLevel threshold of loggers under {@code com.mediaflow} ({@code POWERTOOLS_LOG_LEVEL})
 * @param otherLevel threshold of every other logger (WARN: the SDK and libraries are noisy at INFO)
 * @param service {@code POWERTOOLS_SERVICE_NAME}, or "service_undefined" as Powertools writes it
 * @param functionName {@code AWS_LAMBDA_FUNCTION_NAME}, or null off Lambda
 * @param functionMemorySize {@code AWS_LAMBDA_FUNCTION_MEMORY_SIZE}, or null
 * @param functionVersion {@code AWS_LAMBDA_FUNCTION_VERSION}, or null
 */
record LogSettings(Level ownLevel, Level otherLevel, String service, String functionName, String functionMemorySize,
        String functionVersion) {
    static final String OWN_PREFIX = "com.mediaflow";

    static LogSettings fromEnvironment(Map<String, String> env) {
        return new LogSettings(level(env.get("POWERTOOLS_LOG_LEVEL"), Level.INFO), Level.WARN,
                env.getOrDefault("POWERTOOLS_SERVICE_NAME", "service_undefined"), env.get("AWS_LAMBDA_FUNCTION_NAME"),
                env.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE"), env.get("AWS_LAMBDA_FUNCTION_VERSION"));
    }

    /**
     * A level name as Powertools reads it (case-insensitive; WARNING, FATAL and CRITICAL allowed);
     * an unknown name gives the default and one warning on standard error, never a failed start.
     */
    static Level level(String name, Level fallback) {
        if (name == null || name.isBlank()) {
            return fallback;
        }
        switch (name.trim().toUpperCase(Locale.ROOT)) {
            case "TRACE":
                return Level.TRACE;
            case "DEBUG":
                return Level.DEBUG;
            case "INFO":
                return Level.INFO;
            case "WARN":
            case "WARNING":
                return Level.WARN;
            case "ERROR":
            case "FATAL":
            case "CRITICAL":
                return Level.ERROR;
            default:
                System.err.println("mediaflow logging: POWERTOOLS_LOG_LEVEL is '" + name
                        + "', expected TRACE, DEBUG, INFO, WARN or ERROR; using " + fallback);
                return fallback;
        }
    }

    Level thresholdFor(String loggerName) {
        return loggerName.startsWith(OWN_PREFIX) ? ownLevel : otherLevel;
    }
}
