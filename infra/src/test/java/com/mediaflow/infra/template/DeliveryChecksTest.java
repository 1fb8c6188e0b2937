package com.mediaflow.infra.template;

import static org.assertj.core.api.Assertions.assertThat;

import com.mediaflow.infra.TestPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Delivery's rules: template.yaml passes them, and each rule catches it with one thing changed. */
class DeliveryChecksTest {
    @TempDir
    Path tmp;

    @Test
    void templateYaml_passes() throws IOException {
        assertThat(DeliveryChecks.problems(Template.load(TestPaths.template()))).isEmpty();
    }

    @Test
    void originWithoutAccessControl_isReported() throws IOException {
        String yaml = original().replace("            OriginAccessControlId: !GetAtt DeliveryOriginAccessControl.Id\n", "");

        assertThat(problems(yaml)).singleElement().asString().contains("distribution DeliveryDistribution origin media reads S3"
                + " without an OriginAccessControlId");
    }

    @Test
    void plainHttp_isReported() throws IOException {
        String yaml = original().replace("ViewerProtocolPolicy: https-only", "ViewerProtocolPolicy: allow-all");

        assertThat(problems(yaml)).anySatisfy(p -> assertThat(p).contains("has ViewerProtocolPolicy allow-all"));
    }

    @Test
    void unsignedOriginAccess_isReported() throws IOException {
        String yaml = original().replaceFirst("        SigningBehavior: always\n", "        SigningBehavior: no-override\n");

        assertThat(problems(yaml)).singleElement().asString().contains("origin access control DeliveryOriginAccessControl")
                .contains("SigningBehavior no-override");
    }

    @Test
    void grantOfTheWholeBucket_isReported() throws IOException {
        String yaml = original().replace("              - !Sub '${MediaBucket.Arn}/media/*/thumbnail/*'\n",
                "              - !Sub '${MediaBucket.Arn}/*'\n");

        assertThat(problems(yaml)).singleElement().asString().contains("grants {Fn::Sub=${MediaBucket.Arn}/*}")
                .contains("originals, manifests and records stay private");
    }

    @Test
    void grantOfTheOriginals_isReported() throws IOException {
        String yaml = original().replace("              - !Sub '${MediaBucket.Arn}/media/*/thumbnail/*'\n",
                "              - !Sub '${MediaBucket.Arn}/media/*/original'\n");

        assertThat(problems(yaml)).singleElement().asString().contains("media/*/original");
    }

    @Test
    void grantOfMoreThanReading_isReported() throws IOException {
        String yaml = original().replace("            Principal:\n              Service: cloudfront.amazonaws.com\n"
                + "            Action: 's3:GetObject'\n", "            Principal:\n              Service: cloudfront.amazonaws.com\n"
                + "            Action: ['s3:GetObject', 's3:PutObject']\n");

        assertThat(problems(yaml)).singleElement().asString().contains("allows [s3:GetObject, s3:PutObject], expected s3:GetObject only");
    }

    @Test
    void grantToAnyDistribution_isReported() throws IOException {
        String yaml = original().replace(
                "                AWS:SourceArn: !Sub 'arn:${AWS::Partition}:cloudfront::${AWS::AccountId}:distribution/${DeliveryDistribution}'\n",
                "                AWS:SourceAccount: !Ref 'AWS::AccountId'\n");

        assertThat(problems(yaml)).singleElement().asString().contains("AWS:SourceArn null")
                .contains("else any distribution in any account could read");
    }

    private static String original() throws IOException {
        return Files.readString(TestPaths.template());
    }

    private List<String> problems(String yaml) throws IOException {
        assertThat(yaml).isNotEqualTo(original()); // the mutation applied
        Path copy = tmp.resolve("template.yaml");
        Files.writeString(copy, yaml);
        return DeliveryChecks.problems(Template.load(copy));
    }
}
