package com.mediaflow.shared.config;

import com.mediaflow.shared.error.ConfigException;
import com.mediaflow.shared.format.MediaCategory;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * One pipeline step as validate fans out to it: its name, the media categories it applies to, and
 * its queue. Declared in template.yaml as lines of {@code name categories queueUrl}, so adding a
 * step is a new function module plus template lines, with no code change here.
 */
public record StepRoute(String name, Set<MediaCategory> categories, String queueUrl) {
    public StepRoute {
        categories = Set.copyOf(categories);
    }

    public boolean appliesTo(MediaCategory category) {
        return categories.contains(category);
    }

    static List<StepRoute> parseAll(String raw, String variable) {
        List<StepRoute> routes = new ArrayList<>();
        for (String line : raw.split("[\\n;]")) {
            String trimmed = line.trim();
            if (trimmed.isEmpty()) {
                continue;
            }
            String[] parts = trimmed.split("\\s+");
            if (parts.length != 3) {
                throw new ConfigException(variable + " line '" + trimmed
                        + "' has " + parts.length + " fields, expected 3: name categories queueUrl");
            }
            Set<MediaCategory> cats = EnumSet.noneOf(MediaCategory.class);
            for (String c : parts[1].split(",")) {
                try {
                    cats.add(MediaCategory.fromId(c.trim()));
                } catch (IllegalArgumentException e) {
                    throw new ConfigException(variable + " line '" + trimmed + "': " + e.getMessage(), e);
                }
            }
            routes.add(new StepRoute(parts[0], cats, parts[2]));
        }
        if (routes.isEmpty()) {
            throw new ConfigException(variable + " names no steps, expected at least one line 'name categories queueUrl'");
        }
        return List.copyOf(routes);
    }
}
