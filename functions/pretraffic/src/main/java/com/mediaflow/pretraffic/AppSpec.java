package com.mediaflow.pretraffic;

import com.fasterxml.jackson.databind.JsonNode;
import com.mediaflow.shared.model.Json;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The one Lambda function of a CodeDeploy deployment, as its AppSpec names it: the function, the
 * alias whose traffic shifts, the version the alias points at now and the version it is to point at.
 *
 * <p>The AppSpec is the JSON of {@code GetDeployment}'s {@code revision.appSpecContent.content} (or
 * {@code revision.string.content}): {@code {"version": 0.0, "Resources": [{"<name>": {"Type":
 * "AWS::Lambda::Function", "Properties": {"Name", "Alias", "CurrentVersion", "TargetVersion"}}}],
 * "Hooks": [...]}}. The AWS documentation spells the keys both capitalised and in lower case
 * ("resources", "currentversion"): keys are matched ignoring case.
 */
public record AppSpec(String resource, String functionName, String alias, String currentVersion, String targetVersion) {
    static final String LAMBDA_TYPE = "AWS::Lambda::Function";

    /**
     * @throws AppSpecException when the text is not JSON, names no or several Lambda functions, or
     *     lacks a name, alias or target version
     */
    public static AppSpec parse(String content) {
        JsonNode root;
        try {
            root = content == null ? null : Json.MAPPER.readTree(content);
        } catch (Exception e) {
            throw new AppSpecException("expected the deployment's AppSpec as JSON, found invalid JSON: " + abbreviate(content), e);
        }
        if (root == null || !root.isObject()) {
            throw new AppSpecException("expected the deployment's AppSpec as a JSON object, found " + abbreviate(content));
        }
        JsonNode resources = field(root, "Resources");
        if (resources == null || !resources.isArray()) {
            throw new AppSpecException("expected the AppSpec's Resources as an array, found "
                    + (resources == null ? "no Resources; keys " + names(root) : resources.getNodeType()));
        }
        List<AppSpec> functions = new ArrayList<>();
        for (JsonNode entry : resources) {
            Iterator<Map.Entry<String, JsonNode>> fields = entry.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> named = fields.next();
                JsonNode type = field(named.getValue(), "Type");
                if (type != null && LAMBDA_TYPE.equals(type.asText())) {
                    functions.add(of(named.getKey(), named.getValue()));
                }
            }
        }
        if (functions.size() != 1) {
            throw new AppSpecException("expected exactly one " + LAMBDA_TYPE + " in the AppSpec's Resources, found "
                    + functions.size() + ": " + abbreviate(content));
        }
        return functions.get(0);
    }

    private static AppSpec of(String resource, JsonNode node) {
        JsonNode properties = field(node, "Properties");
        if (properties == null || !properties.isObject()) {
            throw new AppSpecException("AppSpec resource '" + resource + "': expected Properties, found "
                    + (properties == null ? "none" : properties.getNodeType()));
        }
        String current = text(properties, "CurrentVersion");
        return new AppSpec(resource, required(resource, properties, "Name"), required(resource, properties, "Alias"),
                current, required(resource, properties, "TargetVersion"));
    }

    private static String required(String resource, JsonNode properties, String name) {
        String v = text(properties, name);
        if (v == null || v.isBlank()) {
            throw new AppSpecException("AppSpec resource '" + resource + "': expected Properties." + name
                    + " as a non-empty string, found " + (v == null ? "none; keys " + names(properties) : "''"));
        }
        return v;
    }

    private static String text(JsonNode node, String name) {
        JsonNode v = field(node, name);
        return v == null || v.isNull() || v.isContainerNode() ? null : v.asText();
    }

    /** The field of this name, its case ignored; null when absent. */
    private static JsonNode field(JsonNode node, String name) {
        if (node == null || !node.isObject()) {
            return null;
        }
        Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> f = fields.next();
            if (f.getKey().equalsIgnoreCase(name)) {
                return f.getValue();
            }
        }
        return null;
    }

    private static List<String> names(JsonNode node) {
        List<String> out = new ArrayList<>();
        node.fieldNames().forEachRemaining(out::add);
        return out;
    }

    static String abbreviate(String s) {
        if (s == null) {
            return "null";
        }
        return s.length() <= 200 ? s : s.substring(0, 200) + "...";
    }
}
