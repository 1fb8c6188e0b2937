package com.mediaflow.infra.template;

import static org.assertj.core.api.Assertions.assertThat;

import com.mediaflow.infra.TestPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The HTTP API's rules: template.yaml passes them, and each rule catches it with one thing changed. */
class HttpApiChecksTest {
    @TempDir
    Path tmp;

    @Test
    void templateYaml_uploadApi_passes() throws IOException {
        Template template = Template.load(TestPaths.template());

        assertThat(HttpApiChecks.problems(template)).isEmpty();
        assertThat(template.httpApiEvents("UploadApiFunction")).extracting(e -> e.method() + " " + e.path())
                .containsExactly("POST /uploads", "GET /uploads/{uploadId}", "GET /uploads/{uploadId}/render",
                        "DELETE /uploads/{uploadId}", "POST /uploads/{uploadId}/complete");
        assertThat(ProductionChecks.problems(template)).isEmpty();
    }

    @Test
    void routeOnTheImplicitApi_isReported() throws IOException {
        String yaml = original().replaceFirst("            ApiId: !Ref UploadApi\n", "");

        assertThat(problems(yaml)).singleElement().asString().contains("function UploadApiFunction event CreateUpload has ApiId null")
                .contains("SAM's implicit API has no authorizer");
    }

    @Test
    void routeWithoutAuthorizer_isReported() throws IOException {
        String yaml = original().replaceFirst(java.util.regex.Pattern.quote("            Path: /uploads/{uploadId}\n"),
                "            Path: /uploads/{uploadId}\n            Auth:\n              Authorizer: NONE\n");

        assertThat(problems(yaml)).singleElement().asString().contains("event UploadStatus sets Auth.Authorizer NONE");
    }

    @Test
    void apiWithoutDefaultAuthorizer_isReported() throws IOException {
        String yaml = original().replace("        DefaultAuthorizer: JwtAuthorizer\n", "");

        assertThat(problems(yaml)).singleElement().asString().contains("HTTP API UploadApi has DefaultAuthorizer null");
    }

    @Test
    void issuerWrittenIntoTheTemplate_isReported() throws IOException {
        String yaml = original().replace("issuer: !Ref JwtIssuer", "issuer: https://issuer.example.com/");

        assertThat(problems(yaml)).singleElement().asString().contains("JwtConfiguration.issuer https://issuer.example.com/")
                .contains("expected !Ref to a parameter");
    }

    @Test
    void stageWithoutThrottling_isReported() throws IOException {
        String yaml = original().replace("        ThrottlingBurstLimit: !Ref ApiThrottleBurstLimit\n", "");

        assertThat(problems(yaml)).singleElement().asString()
                .contains("HTTP API UploadApi has DefaultRouteSettings.ThrottlingBurstLimit null");
    }

    private static String original() throws IOException {
        return Files.readString(TestPaths.template());
    }

    private List<String> problems(String yaml) throws IOException {
        assertThat(yaml).isNotEqualTo(original()); // the mutation applied
        Path copy = tmp.resolve("template.yaml");
        Files.writeString(copy, yaml);
        return HttpApiChecks.problems(Template.load(copy));
    }
}
