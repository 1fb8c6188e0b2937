package com.mediaflow.infra.template;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Resolves CloudFormation intrinsics to local values: {@code Ref} of a parameter, pseudo
 * parameter or resource, {@code Fn::GetAtt}, {@code Fn::Sub} (both forms), {@code Fn::Join}, and
 * {@code Fn::If} when it is given the template's {@link Conditions}.
 * Anything it cannot resolve is an error that names it, never a silent empty string.
 */
public final class Resolver {
    private static final Pattern SUB = Pattern.compile("\\$\\{([^}!][^}]*)}");

    private final Function<String, String> refs;
    private final Function<String, String> attributes;
    private final java.util.function.Predicate<String> conditions;

    /**
     * @param refs resolves a Ref name (parameter, pseudo parameter or logical id), or returns null
     * @param attributes resolves "LogicalId.Attribute", or returns null
     */
    public Resolver(Function<String, String> refs, Function<String, String> attributes) {
        this(refs, attributes, null);
    }

    /**
     * As {@link #Resolver(Function, Function)}, and {@code Fn::If} too.
     *
     * @param conditions whether a template condition holds ({@link Conditions}); null: Fn::If is an error
     */
    public Resolver(Function<String, String> refs, Function<String, String> attributes,
                    java.util.function.Predicate<String> conditions) {
        this.refs = refs;
        this.attributes = attributes;
        this.conditions = conditions;
    }

    public String resolveString(Object value, String where) {
        Object v = resolve(value, where);
        if (v instanceof Map || v instanceof List) {
            throw new IllegalArgumentException("template.yaml: " + where + " resolves to " + v + ", expected a string");
        }
        return String.valueOf(v);
    }

    @SuppressWarnings("unchecked")
    public Object resolve(Object value, String where) {
        if (value instanceof Map<?, ?> m && m.size() == 1) {
            var entry = m.entrySet().iterator().next();
            String key = String.valueOf(entry.getKey());
            Object arg = entry.getValue();
            switch (key) {
                case "Ref":
                    return ref(String.valueOf(arg), where);
                case "Fn::GetAtt": {
                    List<Object> parts = arg instanceof List<?> l ? (List<Object>) l : List.of(String.valueOf(arg).split("\\.", 2));
                    return attribute(parts.get(0) + "." + parts.get(1), where);
                }
                case "Fn::Sub":
                    return sub(arg, where);
                case "Fn::If": {
                    if (conditions == null) {
                        break;
                    }
                    List<Object> args = (List<Object>) arg;
                    return resolve(conditions.test(String.valueOf(args.get(0))) ? args.get(1) : args.get(2), where);
                }
                case "Fn::Join": {
                    List<Object> parts = (List<Object>) arg;
                    List<String> items = new ArrayList<>();
                    for (Object o : (List<Object>) resolve(parts.get(1), where)) {
                        items.add(String.valueOf(resolve(o, where)));
                    }
                    return String.join(String.valueOf(parts.get(0)), items);
                }
                default:
                    break;
            }
            if (key.startsWith("Fn::")) {
                throw new IllegalArgumentException("template.yaml: " + where + " uses " + key
                        + ", which the embedded stack does not resolve; expected Ref, GetAtt, Sub, Join or (with conditions) If");
            }
        }
        if (value instanceof Map<?, ?> m) {
            var out = new java.util.LinkedHashMap<String, Object>();
            m.forEach((k, v) -> out.put(String.valueOf(k), resolve(v, where + "." + k)));
            return out;
        }
        if (value instanceof List<?> l) {
            List<Object> out = new ArrayList<>();
            for (Object o : l) {
                out.add(resolve(o, where));
            }
            return out;
        }
        return value;
    }

    @SuppressWarnings("unchecked")
    private String sub(Object arg, String where) {
        String text;
        Map<String, Object> vars = Map.of();
        if (arg instanceof List<?> l) {
            text = String.valueOf(l.get(0));
            vars = (Map<String, Object>) l.get(1);
        } else {
            text = String.valueOf(arg);
        }
        Matcher m = SUB.matcher(text);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String name = m.group(1);
            String replacement;
            if (vars.containsKey(name)) {
                replacement = String.valueOf(resolve(vars.get(name), where));
            } else if (name.contains(".")) {
                replacement = attribute(name, where);
            } else {
                replacement = ref(name, where);
            }
            m.appendReplacement(sb, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(sb);
        return sb.toString().replace("${!", "${");
    }

    private String ref(String name, String where) {
        String v = refs.apply(name);
        if (v == null) {
            throw new IllegalArgumentException("template.yaml: " + where + " refers to '" + name
                    + "', which is no parameter, pseudo parameter or resource of the template");
        }
        return v;
    }

    private String attribute(String name, String where) {
        String v = attributes.apply(name);
        if (v == null) {
            throw new IllegalArgumentException("template.yaml: " + where + " asks for attribute '" + name
                    + "', which the embedded stack does not know");
        }
        return v;
    }
}
