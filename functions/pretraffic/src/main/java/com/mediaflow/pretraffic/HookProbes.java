package com.mediaflow.pretraffic;

import com.mediaflow.shared.config.Config;
import com.mediaflow.shared.error.ConfigException;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Function;

/**
 * The probe of each function of the stack, by the name the AppSpec gives it: the configuration's
 * {@code PRETRAFFIC_FUNCTIONS} says which deployed function plays which role; the buckets and the
 * region come from the hook's own environment, which is the stack's. Validate's and the sweeper's
 * events carry a fresh nonce each time.
 */
public final class HookProbes implements Function<String, Optional<Probe>> {
    /** Every role there is a synthetic event for. */
    public static final Set<String> ROLES = Set.of("validate", "thumbnail", "metadata", "transcode", "finalize", "sweeper",
            "uploadapi", "render");

    private final Map<String, String> roles;
    private final String ingestBucket;
    private final String mediaBucket;
    private final String region;

    /** @throws ConfigException when a variable is missing or names a role there is no event for, or not every role */
    public HookProbes(Config config) {
        this.roles = config.preTrafficFunctions();
        this.ingestBucket = config.ingestBucket();
        this.mediaBucket = config.mediaBucket();
        this.region = config.region();
        Set<String> found = new TreeSet<>(roles.values());
        if (!found.equals(new TreeSet<>(ROLES))) {
            throw new ConfigException(Config.PRETRAFFIC_FUNCTIONS + " gives the roles " + found + ", expected each of "
                    + new TreeSet<>(ROLES) + " once");
        }
    }

    @Override
    public Optional<Probe> apply(String functionName) {
        String role = functionName == null ? null : roles.get(plainName(functionName));
        if (role == null) {
            return Optional.empty();
        }
        String nonce = UUID.randomUUID().toString();
        return Optional.of(switch (role) {
            case "validate" -> Probes.validate(ingestBucket, region, nonce);
            case "thumbnail", "metadata" -> Probes.step(role, mediaBucket, region);
            case "transcode" -> Probes.transcode(mediaBucket, region);
            case "finalize" -> Probes.finalize(region);
            case "sweeper" -> Probes.sweeper(nonce);
            case "uploadapi" -> Probes.uploadApi(nonce);
            case "render" -> Probes.render(nonce);
            default -> throw new IllegalStateException("role " + role + " passed the constructor's check");
        });
    }

    /** The function's name, also when given as an ARN (arn:...:function:NAME[:qualifier]). */
    static String plainName(String functionName) {
        if (functionName == null) {
            return null;
        }
        int at = functionName.indexOf(":function:");
        if (!functionName.startsWith("arn:") || at < 0) {
            return functionName;
        }
        String rest = functionName.substring(at + ":function:".length());
        int colon = rest.indexOf(':');
        return colon < 0 ? rest : rest.substring(0, colon);
    }
}
