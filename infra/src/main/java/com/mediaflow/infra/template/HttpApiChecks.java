package com.mediaflow.infra.template;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The rules of an HTTP API (the upload API), part of {@link ProductionChecks}:
 * <ul>
 *   <li>every {@code HttpApi} event names its API with {@code ApiId: !Ref} to an
 *       {@code AWS::Serverless::HttpApi} of this template (SAM's implicit API has no authorizer), and
 *       none opts out of it ({@code Auth.Authorizer: NONE});</li>
 *   <li>every such API has a {@code DefaultAuthorizer} that is a JWT authorizer reading the
 *       {@code Authorization} header, whose issuer and audience are template parameters;</li>
 *   <li>its stage throttles: {@code DefaultRouteSettings.ThrottlingRateLimit} and
 *       {@code ThrottlingBurstLimit}, each a number or a parameter with a numeric Default.</li>
 * </ul>
 */
public final class HttpApiChecks {
    private HttpApiChecks() {
    }

    /** Every problem found, each a sentence naming the resource; empty when the HTTP APIs are fit to ship. */
    public static List<String> problems(Template template) {
        List<String> problems = new ArrayList<>();
        Map<String, String> defaults = template.parameterDefaults();
        List<String> apis = new ArrayList<>();
        template.resources().forEach((id, r) -> {
            if ("AWS::Serverless::HttpApi".equals(ProductionChecks.map(r).get("Type"))) {
                apis.add(id);
            }
        });
        for (Template.FunctionDef f : template.functions()) {
            for (Template.HttpApiEvent e : template.httpApiEvents(f.logicalId())) {
                String where = "function " + f.logicalId() + " event " + e.name();
                Object ref = ProductionChecks.map(e.apiId()).get("Ref");
                if (ref == null || !apis.contains(String.valueOf(ref))) {
                    problems.add(where + " has ApiId " + e.apiId() + ", expected !Ref to an AWS::Serverless::HttpApi of this"
                            + " template " + apis + " (SAM's implicit API has no authorizer)");
                }
                if ("NONE".equals(e.authorizer())) {
                    problems.add(where + " sets Auth.Authorizer NONE, expected the API's JWT authorizer on every route");
                }
            }
        }
        for (String api : apis) {
            Map<String, Object> props = ProductionChecks.map(ProductionChecks.map(template.resources().get(api)).get("Properties"));
            authorizer(api, ProductionChecks.map(props.get("Auth")), defaults, problems);
            Map<String, Object> route = ProductionChecks.map(props.get("DefaultRouteSettings"));
            for (String limit : List.of("ThrottlingRateLimit", "ThrottlingBurstLimit")) {
                Integer n = ProductionChecks.number(route.get(limit), defaults);
                if (n == null || n < 1) {
                    problems.add("HTTP API " + api + " has DefaultRouteSettings." + limit + " " + route.get(limit)
                            + ", expected a positive number or a parameter with one as Default (stage throttling)");
                }
            }
        }
        return problems;
    }

    private static void authorizer(String api, Map<String, Object> auth, Map<String, String> defaults, List<String> problems) {
        String where = "HTTP API " + api;
        Object name = auth.get("DefaultAuthorizer");
        Map<String, Object> def = ProductionChecks.map(ProductionChecks.map(auth.get("Authorizers")).get(String.valueOf(name)));
        if (name == null || def.isEmpty()) {
            problems.add(where + " has DefaultAuthorizer " + name + ", expected one of its Auth.Authorizers, a JWT authorizer");
            return;
        }
        if (!"$request.header.Authorization".equals(def.get("IdentitySource"))) {
            problems.add(where + " authorizer " + name + " has IdentitySource " + def.get("IdentitySource")
                    + ", expected $request.header.Authorization");
        }
        Map<String, Object> jwt = ProductionChecks.map(def.get("JwtConfiguration"));
        Object issuer = jwt.get("issuer");
        if (!(ProductionChecks.map(issuer).get("Ref") instanceof String)) {
            problems.add(where + " authorizer " + name + " has JwtConfiguration.issuer " + issuer
                    + ", expected !Ref to a parameter (the identity provider is the deployer's)");
        }
        List<?> audience = jwt.get("audience") instanceof List<?> l ? l : List.of();
        if (audience.isEmpty() || audience.stream().anyMatch(a -> !(ProductionChecks.map(a).get("Ref") instanceof String))) {
            problems.add(where + " authorizer " + name + " has JwtConfiguration.audience " + jwt.get("audience")
                    + ", expected a list of !Ref to parameters");
        }
    }
}
