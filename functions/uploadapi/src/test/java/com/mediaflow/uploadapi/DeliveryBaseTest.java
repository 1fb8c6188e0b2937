package com.mediaflow.uploadapi;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.GetParameterRequest;
import software.amazon.awssdk.services.ssm.model.GetParameterResponse;
import software.amazon.awssdk.services.ssm.model.Parameter;
import software.amazon.awssdk.services.ssm.model.ParameterNotFoundException;

class DeliveryBaseTest {
    /** GetParameter answers the value once set, ParameterNotFound before; counts the calls. */
    static final class FakeSsm implements SsmClient {
        String value;
        int calls;

        @Override
        public GetParameterResponse getParameter(GetParameterRequest request) {
            calls++;
            if (value == null) {
                throw ParameterNotFoundException.builder().message("no " + request.name()).build();
            }
            return GetParameterResponse.builder().parameter(Parameter.builder().name(request.name()).value(value).build()).build();
        }

        @Override
        public String serviceName() {
            return "ssm";
        }

        @Override
        public void close() {
        }
    }

    /** A clock the test moves. */
    static final class MovingClock extends Clock {
        final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-12-03T10:00:00Z"));

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now.get();
        }
    }

    @Test
    void aMissingParameter_givesNoBase_isAskedAgainAfterAMinute_thenKept() {
        FakeSsm ssm = new FakeSsm();
        MovingClock clock = new MovingClock();
        DeliveryBase base = DeliveryBase.fromParameter(ssm, "/mediaflow/dev/delivery-base-url", clock);

        assertThat(base.get()).isEmpty();
        ssm.value = "https://d111.cloudfront.net";
        assertThat(base.get()).as("within the minute: not asked again").isEmpty();
        assertThat(ssm.calls).isEqualTo(1);

        clock.now.set(clock.now.get().plus(DeliveryBase.RETRY));
        assertThat(base.get()).hasValue("https://d111.cloudfront.net");
        assertThat(base.get()).hasValue("https://d111.cloudfront.net");
        assertThat(ssm.calls).as("found once, kept").isEqualTo(2);
    }

    @Test
    void aFixedBase_andNone_askNothing() {
        assertThat(DeliveryBase.fixed("http://127.0.0.1:9003").get()).hasValue("http://127.0.0.1:9003");
        assertThat(DeliveryBase.none().get()).isEmpty();
        assertThat(Duration.ofMinutes(1)).isEqualTo(DeliveryBase.RETRY);
    }
}
