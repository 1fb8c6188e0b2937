package com.mediaflow.shared.delivery;

import com.mediaflow.shared.config.Config;
import com.mediaflow.shared.config.Setting;
import com.mediaflow.shared.error.ConfigException;
import java.util.ArrayList;
import java.util.List;

/** {@code RENDER_SIZES}: the widths and heights a render path may ask for, ascending, each 1-16384. */
public final class RenderSizes {
    private RenderSizes() {
    }

    public static List<Integer> of(Config config) {
        String text = config.optional(Setting.RENDER_SIZES.name()).orElse(Setting.RENDER_SIZES.defaultValue());
        List<Integer> out = new ArrayList<>();
        for (String part : text.split(",")) {
            try {
                int n = Integer.parseInt(part.trim());
                if (n < 1 || n > 16384) {
                    throw new NumberFormatException("out of range");
                }
                out.add(n);
            } catch (NumberFormatException e) {
                throw new ConfigException(Setting.RENDER_SIZES + " has '" + part.trim()
                        + "', expected comma-separated whole numbers of pixels from 1 to 16384", e);
            }
        }
        return out.stream().distinct().sorted().toList();
    }
}
