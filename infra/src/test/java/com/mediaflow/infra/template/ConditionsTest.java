package com.mediaflow.infra.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConditionsTest {
    private static final Map<String, Object> DEFINITIONS = Map.of(
            "ShadowOn", Map.of("Fn::Not", List.of(Map.of("Fn::Equals", List.of(Map.of("Ref", "ShadowVersion"), "")))),
            "Both", Map.of("Fn::And", List.of(Map.of("Condition", "ShadowOn"), Map.of("Fn::Equals", List.of("a", Map.of("Ref", "X"))))),
            "Either", Map.of("Fn::Or", List.of(Map.of("Condition", "Both"), Map.of("Fn::Equals", List.of("b", Map.of("Ref", "X"))))));

    private static Conditions with(String shadowVersion, String x) {
        return new Conditions(DEFINITIONS, name -> switch (name) {
            case "ShadowVersion" -> shadowVersion;
            case "X" -> x;
            default -> null;
        });
    }

    @Test
    void equalsNotAndOrCondition_areEvaluatedOnTheParameters() {
        assertThat(with("", "a").test("ShadowOn")).isFalse();
        assertThat(with("3", "a").test("ShadowOn")).isTrue();
        assertThat(with("3", "a").test("Both")).isTrue();
        assertThat(with("", "a").test("Both")).isFalse();
        assertThat(with("", "b").test("Either")).isTrue();
        assertThat(with("", "c").test("Either")).isFalse();
    }

    @Test
    void unknownCondition_isAnErrorNamingIt() {
        assertThatThrownBy(() -> with("", "a").test("Nope")).hasMessageContaining("condition 'Nope' is used but not declared");
    }

    @Test
    void resolverWithConditions_picksTheFnIfBranch_andWithoutThemRefusesIt() {
        Object ifShadow = Map.of("Fn::If", List.of("ShadowOn", "queues", Map.of("Ref", "AWS::NoValue")));
        Resolver on = new Resolver(n -> n.equals("AWS::NoValue") ? "" : null, a -> null, with("7", "a"));
        Resolver off = new Resolver(n -> n.equals("AWS::NoValue") ? "" : null, a -> null, with("", "a"));
        assertThat(on.resolveString(ifShadow, "x")).isEqualTo("queues");
        assertThat(off.resolveString(ifShadow, "x")).isEmpty();
        assertThatThrownBy(() -> new Resolver(n -> null, a -> null).resolve(ifShadow, "x")).hasMessageContaining("uses Fn::If");
    }
}
