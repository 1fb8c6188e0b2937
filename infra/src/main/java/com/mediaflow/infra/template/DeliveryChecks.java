package com.mediaflow.infra.template;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The rules of delivery through CloudFront, part of {@link ProductionChecks}:
 * <ul>
 *   <li>every distribution's S3 origin goes through an Origin Access Control (no legacy origin
 *       access identity, no public bucket), and every cache behaviour refuses plain HTTP;</li>
 *   <li>every Origin Access Control signs always, with SigV4;</li>
 *   <li>a bucket policy's grant to {@code cloudfront.amazonaws.com} allows {@code s3:GetObject} only,
 *       on rendition prefixes only ({@code media/*}{@code /<step>/*} for the steps that write
 *       renditions: never the originals, manifests, receipts or records), and only for a
 *       distribution of this template ({@code AWS:SourceArn}).</li>
 * </ul>
 */
public final class DeliveryChecks {
    /** The folders of an item that hold renditions CloudFront may serve. */
    static final Set<String> RENDITION_FOLDERS = Set.of("thumbnail", "transcode", "render");
    private static final String CLOUDFRONT = "cloudfront.amazonaws.com";
    private static final Pattern RENDITIONS = Pattern.compile("\\$\\{\\w+\\.Arn}/media/\\*/(\\w+)/\\*");

    private DeliveryChecks() {
    }

    /** Every problem found, each a sentence naming the resource; empty when delivery is fit to ship. */
    public static List<String> problems(Template template) {
        List<String> problems = new ArrayList<>();
        List<String> distributions = new ArrayList<>();
        template.resources().forEach((id, r) -> {
            Map<String, Object> resource = ProductionChecks.map(r);
            Map<String, Object> props = ProductionChecks.map(resource.get("Properties"));
            switch (String.valueOf(resource.get("Type"))) {
                case "AWS::CloudFront::Distribution" -> {
                    distributions.add(id);
                    distribution(id, ProductionChecks.map(props.get("DistributionConfig")), problems);
                }
                case "AWS::CloudFront::OriginAccessControl" -> {
                    Map<String, Object> oac = ProductionChecks.map(props.get("OriginAccessControlConfig"));
                    if (!"always".equals(oac.get("SigningBehavior")) || !"sigv4".equals(oac.get("SigningProtocol"))) {
                        problems.add("origin access control " + id + " has SigningBehavior " + oac.get("SigningBehavior")
                                + " and SigningProtocol " + oac.get("SigningProtocol") + ", expected always and sigv4");
                    }
                }
                default -> {
                }
            }
        });
        template.resources().forEach((id, r) -> {
            Map<String, Object> resource = ProductionChecks.map(r);
            if ("AWS::S3::BucketPolicy".equals(resource.get("Type"))) {
                Map<String, Object> doc = ProductionChecks.map(ProductionChecks.map(resource.get("Properties")).get("PolicyDocument"));
                for (Object s : list(doc.get("Statement"))) {
                    grant(id, ProductionChecks.map(s), distributions, problems);
                }
            }
        });
        return problems;
    }

    private static void distribution(String id, Map<String, Object> config, List<String> problems) {
        for (Object o : list(config.get("Origins"))) {
            Map<String, Object> origin = ProductionChecks.map(o);
            if (!origin.containsKey("S3OriginConfig")) {
                continue;
            }
            String where = "distribution " + id + " origin " + origin.get("Id");
            if (origin.get("OriginAccessControlId") == null) {
                problems.add(where + " reads S3 without an OriginAccessControlId, expected an origin access control"
                        + " (CloudFront signs its requests; the bucket stays private)");
            }
            Object oai = ProductionChecks.map(origin.get("S3OriginConfig")).get("OriginAccessIdentity");
            if (oai != null && !"".equals(oai)) {
                problems.add(where + " has OriginAccessIdentity " + oai + ", expected '' (origin access control replaces it)");
            }
        }
        List<Map<String, Object>> behaviours = new ArrayList<>();
        behaviours.add(ProductionChecks.map(config.get("DefaultCacheBehavior")));
        list(config.get("CacheBehaviors")).forEach(b -> behaviours.add(ProductionChecks.map(b)));
        for (Map<String, Object> b : behaviours) {
            Object policy = b.get("ViewerProtocolPolicy");
            if (!"https-only".equals(policy) && !"redirect-to-https".equals(policy)) {
                problems.add("distribution " + id + " behaviour " + b.getOrDefault("PathPattern", "default") + " has ViewerProtocolPolicy "
                        + policy + ", expected https-only or redirect-to-https");
            }
        }
    }

    private static void grant(String policy, Map<String, Object> statement, List<String> distributions, List<String> problems) {
        Object service = ProductionChecks.map(statement.get("Principal")).get("Service");
        if (!list(service).contains(CLOUDFRONT)) {
            return;
        }
        String where = "bucket policy " + policy + " statement " + statement.get("Sid") + " (to " + CLOUDFRONT + ")";
        if (!"Allow".equals(statement.get("Effect"))) {
            return; // a deny narrows; nothing to check
        }
        List<Object> actions = list(statement.get("Action"));
        if (!actions.equals(List.of("s3:GetObject"))) {
            problems.add(where + " allows " + actions + ", expected s3:GetObject only");
        }
        List<Object> resources = list(statement.get("Resource"));
        if (resources.isEmpty()) {
            problems.add(where + " names no Resource, expected the rendition prefixes media/*/<step>/*");
        }
        for (Object r : resources) {
            Object text = ProductionChecks.map(r).get("Fn::Sub");
            Matcher m = RENDITIONS.matcher(text instanceof String s ? s : "");
            if (!m.matches() || !RENDITION_FOLDERS.contains(m.group(1))) {
                problems.add(where + " grants " + r + ", expected only !Sub '${<bucket>.Arn}/media/*/<folder>/*' with a folder of"
                        + " renditions " + RENDITION_FOLDERS + " (originals, manifests and records stay private)");
            }
        }
        Object sourceArn = ProductionChecks.map(ProductionChecks.map(statement.get("Condition")).get("StringEquals")).get("AWS:SourceArn");
        Object arn = ProductionChecks.map(sourceArn).get("Fn::Sub");
        if (!(arn instanceof String s) || distributions.stream().noneMatch(d -> s.endsWith(":distribution/${" + d + "}"))) {
            problems.add(where + " has Condition.StringEquals.AWS:SourceArn " + sourceArn + ", expected !Sub"
                    + " 'arn:${AWS::Partition}:cloudfront::${AWS::AccountId}:distribution/${<distribution>}' naming one of "
                    + distributions + " (else any distribution in any account could read)");
        }
    }

    private static List<Object> list(Object o) {
        if (o == null) {
            return List.of();
        }
        return o instanceof List<?> l ? new ArrayList<>(l) : List.of(o);
    }
}
