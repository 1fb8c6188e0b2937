package com.mediaflow.pretraffic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class AppSpecTest {
    /** The Lambda AppSpec of CodeDeploy's user guide ("AppSpec File example for an AWS Lambda deployment"), in JSON. */
    @Test
    void parse_theUserGuidesLambdaExample_namesFunctionAliasAndVersions() throws IOException {
        AppSpec spec = AppSpec.parse(resource("appspec/lambda-docs-example.json"));

        assertThat(spec).isEqualTo(new AppSpec("myLambdaFunction", "myLambdaFunction", "myLambdaFunctionAlias", "1", "2"));
    }

    /** The 'resources' section reference spells every key in lower case. */
    @Test
    void parse_lowerCaseKeysOfTheResourcesSectionReference_areReadToo() throws IOException {
        AppSpec spec = AppSpec.parse(resource("appspec/lambda-resources-section-lowercase.json"));

        assertThat(spec.functionName()).isEqualTo("mediaflow-ValidateFunction-AbCdEf123456");
        assertThat(spec.alias()).isEqualTo("live");
        assertThat(spec.currentVersion()).isEqualTo("7");
        assertThat(spec.targetVersion()).isEqualTo("8");
    }

    @Test
    void parse_invalidJson_isATypedErrorSayingWhatWasFound() {
        assertThatThrownBy(() -> AppSpec.parse("version: 0.0\nResources: [")).isInstanceOf(AppSpecException.class)
                .hasMessageContaining("expected the deployment's AppSpec as JSON, found invalid JSON");
    }

    @Test
    void parse_noResources_namesTheKeysFound() {
        assertThatThrownBy(() -> AppSpec.parse("{\"version\":0.0,\"Hooks\":[]}")).isInstanceOf(AppSpecException.class)
                .hasMessageContaining("expected the AppSpec's Resources as an array").hasMessageContaining("[version, Hooks]");
    }

    @Test
    void parse_anEcsAppSpec_hasNoLambdaFunction() {
        String ecs = "{\"version\":0.0,\"Resources\":[{\"TargetService\":{\"Type\":\"AWS::ECS::Service\",\"Properties\":"
                + "{\"TaskDefinition\":\"arn:aws:ecs:us-east-1:111222333444:task-definition/x:1\"}}}]}";

        assertThatThrownBy(() -> AppSpec.parse(ecs)).isInstanceOf(AppSpecException.class)
                .hasMessageContaining("expected exactly one AWS::Lambda::Function").hasMessageContaining("found 0");
    }

    @Test
    void parse_twoFunctions_isRefused() {
        String one = "{\"F%s\":{\"Type\":\"AWS::Lambda::Function\",\"Properties\":{\"Name\":\"f\",\"Alias\":\"live\","
                + "\"CurrentVersion\":\"1\",\"TargetVersion\":\"2\"}}}";
        String two = "{\"version\":0.0,\"Resources\":[" + one.formatted("1") + "," + one.formatted("2") + "]}";

        assertThatThrownBy(() -> AppSpec.parse(two)).isInstanceOf(AppSpecException.class).hasMessageContaining("found 2");
    }

    @Test
    void parse_noTargetVersion_namesTheMissingProperty() {
        String spec = "{\"version\":0.0,\"Resources\":[{\"F\":{\"Type\":\"AWS::Lambda::Function\",\"Properties\":"
                + "{\"Name\":\"f\",\"Alias\":\"live\",\"CurrentVersion\":\"1\"}}}]}";

        assertThatThrownBy(() -> AppSpec.parse(spec)).isInstanceOf(AppSpecException.class)
                .hasMessageContaining("AppSpec resource 'F': expected Properties.TargetVersion as a non-empty string, found none");
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = AppSpecTest.class.getClassLoader().getResourceAsStream(name)) {
            assertThat(in).as(name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
