package com.mediaflow.pretraffic;

import java.util.Optional;
import java.util.function.Function;

/**
 * What the hook sends one function's new version, and how it judges the answer.
 *
 * @param what the synthetic event and the decision it asks for, in words (for the log and the Failed reason)
 * @param payload the event, as JSON
 * @param check the problem with the answer; empty when the answer is the expected one
 */
public record Probe(String what, String payload, Function<Versions.Invocation, Optional<String>> check) {
}
