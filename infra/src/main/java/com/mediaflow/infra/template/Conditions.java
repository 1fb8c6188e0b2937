package com.mediaflow.infra.template;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The template's {@code Conditions}, evaluated against parameter values: {@code Fn::Equals},
 * {@code Fn::Not}, {@code Fn::And}, {@code Fn::Or} and {@code Condition}, over {@code Ref}s of
 * parameters and literals. What the embedded stack needs to leave out a resource whose
 * {@code Condition} is false and to pick an {@code Fn::If} branch.
 */
public final class Conditions implements Predicate<String> {
    private final Map<String, Object> definitions;
    private final Function<String, String> refs;
    private final Map<String, Boolean> values = new HashMap<>();
    private final Set<String> evaluating = new HashSet<>();

    /**
     * @param definitions the template's Conditions section
     * @param refs a parameter's (or pseudo parameter's) value by name, or null
     */
    public Conditions(Map<String, Object> definitions, Function<String, String> refs) {
        this.definitions = definitions;
        this.refs = refs;
    }

    /** Whether the named condition holds; an unknown name is an error that names it. */
    @Override
    public boolean test(String name) {
        Boolean known = values.get(name);
        if (known != null) {
            return known;
        }
        if (!definitions.containsKey(name)) {
            throw new IllegalArgumentException("template.yaml: condition '" + name + "' is used but not declared in Conditions;"
                    + " expected one of " + definitions.keySet());
        }
        if (!evaluating.add(name)) {
            throw new IllegalArgumentException("template.yaml: condition '" + name + "' refers to itself");
        }
        boolean v = bool(definitions.get(name), "Conditions." + name);
        evaluating.remove(name);
        values.put(name, v);
        return v;
    }

    @SuppressWarnings("unchecked")
    private boolean bool(Object o, String where) {
        if (o instanceof Map<?, ?> m && m.size() == 1) {
            var e = m.entrySet().iterator().next();
            String fn = String.valueOf(e.getKey());
            Object arg = e.getValue();
            switch (fn) {
                case "Condition":
                    return test(String.valueOf(arg));
                case "Fn::Not":
                    return !bool(((List<Object>) arg).get(0), where);
                case "Fn::And":
                    return ((List<Object>) arg).stream().allMatch(a -> bool(a, where));
                case "Fn::Or":
                    return ((List<Object>) arg).stream().anyMatch(a -> bool(a, where));
                case "Fn::Equals": {
                    List<Object> args = (List<Object>) arg;
                    return value(args.get(0), where).equals(value(args.get(1), where));
                }
                default:
                    break;
            }
        }
        throw new IllegalArgumentException("template.yaml: " + where + " is " + o
                + ", expected Fn::Equals, Fn::Not, Fn::And, Fn::Or or Condition");
    }

    private String value(Object o, String where) {
        if (o instanceof Map<?, ?> m && m.size() == 1 && m.containsKey("Ref")) {
            String name = String.valueOf(m.get("Ref"));
            String v = refs.apply(name);
            if (v == null) {
                throw new IllegalArgumentException("template.yaml: " + where + " refers to '" + name + "', which is no parameter");
            }
            return v;
        }
        if (o instanceof Map<?, ?> || o instanceof List<?>) {
            throw new IllegalArgumentException("template.yaml: " + where + " compares " + o + ", expected a Ref or a literal");
        }
        return String.valueOf(o);
    }
}
