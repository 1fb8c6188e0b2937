package com.mediaflow.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * This JVM's peak resident set (Linux {@code VmHWM}), and its reset: writing 5 to
 * {@code /proc/self/clear_refs} sets the peak back to the current RSS (Linux 4.0 and later), so a
 * phase's peak can be read without what came before it.
 */
final class PeakRss {
    private static boolean reset;

    private PeakRss() {
    }

    /** @return VmHWM in kB; -1 where /proc/self/status does not say (not Linux) */
    static long vmHwmKb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    /** Resets the peak to the current RSS; {@link #resetWorked()} says whether the kernel let it. */
    static void reset() {
        try {
            Files.writeString(Path.of("/proc/self/clear_refs"), "5");
            reset = true;
        } catch (IOException | RuntimeException e) {
            reset = false;
        }
    }

    static boolean resetWorked() {
        return reset;
    }

    static String mb(long kb) {
        return kb < 0 ? "unknown" : String.format(Locale.ROOT, "%.0f MB", kb / 1024.0);
    }
}
