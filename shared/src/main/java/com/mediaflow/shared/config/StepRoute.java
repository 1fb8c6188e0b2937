package com.mediaflow.shared.config;

import com.mediaflow.shared.error.ConfigException;
import com.mediaflow.shared.format.MediaCategory;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * One pipeline step as validate fans out to it: its name, the media categories it applies to, and
 * its queue. Declared in template.yaml as lines of {@code name categories queueUrl}, so adding a
 * step is a new function module plus template lines, with no code change here. Besides categories,
 * the middle field may name single detected MIME types ({@code video,audio,image/gif}): the
 * transcode step takes GIFs but no other images.
 */
public record StepRoute(String name, Set<MediaCategory> categories, Set<String> types, String queueUrl) {
    public StepRoute {
        categories = Set.copyOf(categories);
        types = Set.copyOf(types);
    }

    public StepRoute(String name, Set<MediaCategory> categories, String queueUrl) {
        this(name, categories, Set.of(), queueUrl);
    }

    public boolean appliesTo(MediaCategory category) {
        return categories.contains(category);
    }

    /** Whether an item of this category and detected MIME type goes to this step. */
    public boolean appliesTo(MediaCategory category, String detectedType) {
        return categories.contains(category) || types.contains(detectedType);
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
            Set<String> types = new TreeSet<>();
            for (String c : parts[1].split(",")) {
                if (c.trim().matches("[a-z]+/[a-z0-9.+-]+")) {
                    types.add(c.trim());
                    continue;
                }
                try {
                    cats.add(MediaCategory.fromId(c.trim()));
                } catch (IllegalArgumentException e) {
                    throw new ConfigException(variable + " line '" + trimmed + "': " + e.getMessage(), e);
                }
            }
            routes.add(new StepRoute(parts[0], cats, types, parts[2]));
        }
        if (routes.isEmpty()) {
            throw new ConfigException(variable + " names no steps, expected at least one line 'name categories queueUrl'");
        }
        return List.copyOf(routes);
    }
}
