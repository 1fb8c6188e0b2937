package com.mediaflow.uploadapi;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.ParameterNotFoundException;

/**
 * Where the delivery URLs point: a fixed base (off AWS, {@code DELIVERY_BASE_URL}), or the SSM
 * parameter {@code DeliveryBaseUrlParameter} read at the first request that needs it (not at init:
 * on a stack's first deploy the new version is published, and snapshotted, before CloudFormation
 * writes the parameter). Found once, it is kept; missing, it is asked again at most once a minute,
 * and the answer meanwhile has no URLs. It never fails a request.
 */
final class DeliveryBase implements Supplier<Optional<String>> {
    private static final Logger LOG = LoggerFactory.getLogger(DeliveryBase.class);
    static final Duration RETRY = Duration.ofMinutes(1);

    private final SsmClient ssm;
    private final String parameter;
    private final Clock clock;
    private volatile String found;
    private volatile Instant lastMiss;

    private DeliveryBase(String fixed, SsmClient ssm, String parameter, Clock clock) {
        this.found = fixed;
        this.ssm = ssm;
        this.parameter = parameter;
        this.clock = clock;
    }

    static DeliveryBase fixed(String url) {
        return new DeliveryBase(url, null, null, Clock.systemUTC());
    }

    static DeliveryBase none() {
        return new DeliveryBase(null, null, null, Clock.systemUTC());
    }

    /** @param ssm built once, at init */
    static DeliveryBase fromParameter(SsmClient ssm, String parameter, Clock clock) {
        return new DeliveryBase(null, ssm, parameter, clock);
    }

    @Override
    public Optional<String> get() {
        String url = found;
        if (url != null || ssm == null) {
            return Optional.ofNullable(url);
        }
        Instant now = clock.instant();
        Instant missed = lastMiss;
        if (missed != null && now.isBefore(missed.plus(RETRY))) {
            return Optional.empty();
        }
        try {
            url = ssm.getParameter(b -> b.name(parameter)).parameter().value();
            found = url;
            return Optional.of(url);
        } catch (ParameterNotFoundException e) {
            LOG.warn("SSM parameter {} does not exist (yet): answering without delivery URLs", parameter);
        } catch (SdkException e) {
            LOG.warn("reading SSM parameter {} failed, answering without delivery URLs: {}", parameter, e.toString());
        }
        lastMiss = now;
        return Optional.empty();
    }
}
