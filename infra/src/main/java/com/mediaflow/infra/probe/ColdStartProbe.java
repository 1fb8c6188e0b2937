package com.mediaflow.infra.probe;

import com.amazonaws.services.lambda.runtime.Context;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.mediaflow.testkit.LocalContext;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/**
 * Lambda's Java runtime in miniature, for {@code bench/run coldstart}: in a fresh JVM whose class
 * path is one function's package (plus this class), it constructs the handler with its public no-arg
 * constructor (the function's environment comes from the process environment, as on Lambda), then
 * calls it once with an event read from a JSON file. Prints {@code READY <epoch µs>} when the handler
 * is constructed and {@code RESPONSE <epoch µs> <json>} after the call, so that the parent, which
 * noted the time it started the JVM, can tell JVM start to handler ready and to first response; then
 * {@code PEAKRSS <kB>}, the JVM's peak resident set over its life (Linux {@code VmHWM}; -1 elsewhere).
 */
public final class ColdStartProbe {
    private ColdStartProbe() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 4) {
            System.err.println("usage: ColdStartProbe HANDLER_CLASS METHOD EVENT_JSON_FILE FUNCTION_NAME");
            System.exit(2);
        }
        Class<?> type = Class.forName(args[0]);
        Object handler = type.getConstructor().newInstance();
        System.out.println("READY " + micros());
        Method method = null;
        for (Method m : type.getMethods()) {
            if (m.getName().equals(args[1]) && m.getParameterCount() == 2 && !m.isBridge()
                    && m.getParameterTypes()[1] == Context.class) {
                method = m;
            }
        }
        if (method == null) {
            throw new IllegalStateException(type.getName() + " has no public " + args[1] + "(event, Context)");
        }
        // Lambda maps the event JSON onto the handler's event type; its names differ in case only
        // (eventSourceARN vs setEventSourceArn).
        ObjectMapper mapper = JsonMapper.builder()
                .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_PROPERTIES)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .build();
        Object event = mapper.readValue(Files.readString(Path.of(args[2])), method.getParameterTypes()[0]);
        Object response = method.invoke(handler, event, new LocalContext(args[3], 900, 1024));
        System.out.println("RESPONSE " + micros() + " " + mapper.writeValueAsString(response));
        System.out.println("PEAKRSS " + vmHwmKb());
        System.exit(0);
    }

    private static long vmHwmKb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (java.io.IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    private static long micros() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
    }
}
