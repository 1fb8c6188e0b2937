package com.mediaflow.logging;

import java.io.PrintStream;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Supplier;
import org.slf4j.ILoggerFactory;
import org.slf4j.Logger;
import org.slf4j.spi.MDCAdapter;

/** One {@link JsonLogger} per name, all writing whole lines to the same stream (looked up per line). */
final class JsonLoggerFactory implements ILoggerFactory {
    private final ConcurrentMap<String, Logger> loggers = new ConcurrentHashMap<>();
    private final LogSettings settings;
    private final MDCAdapter mdc;
    private final Supplier<PrintStream> out;

    JsonLoggerFactory(LogSettings settings, MDCAdapter mdc, Supplier<PrintStream> out) {
        this.settings = settings;
        this.mdc = mdc;
        this.out = out;
    }

    @Override
    public Logger getLogger(String name) {
        return loggers.computeIfAbsent(name, n -> new JsonLogger(n, settings.thresholdFor(n), settings, mdc, out));
    }
}
