package com.mediaflow.infra.probe;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Runs in a fresh JVM whose class path is one Lambda package (plus this class alone): loads every
 * native library the package ships, first through JavaCPP's own loader for each preset it holds (as
 * the codecs load them), then every remaining shared object of this machine's platform with
 * {@link System#load}. Before those, where the package ships libmediaflowjpeg, it asks
 * {@code TurboJpeg} whether it loaded ({@code MEDIAFLOWJPEG true|false}). Prints one line per library,
 * {@code LOADED <path>} or
 * {@code FAILED <path> <error>}, then {@code JAVACPP <name> <path>} for each library JavaCPP
 * reports loaded; exits 1 if any failed.
 *
 * <p>Depends on nothing outside the JDK: JavaCPP is reached by reflection, so the same probe
 * runs on packages without it (validate, finalize), where it finds nothing to load.
 */
public final class NativeLoadProbe {
    /** JavaCPP presets the codecs use, each a class whose loading loads that preset's natives. */
    private static final List<String> PRESETS = List.of(
            "org.bytedeco.ffmpeg.global.avutil", "org.bytedeco.ffmpeg.global.swresample",
            "org.bytedeco.ffmpeg.global.swscale", "org.bytedeco.ffmpeg.global.postproc",
            "org.bytedeco.ffmpeg.global.avcodec", "org.bytedeco.ffmpeg.global.avformat",
            "org.bytedeco.ffmpeg.global.avfilter", "org.bytedeco.leptonica.global.leptonica");

    private NativeLoadProbe() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: NativeLoadProbe PACKAGE_DIR");
            System.exit(2);
        }
        Path pkg = Path.of(args[0]).toAbsolutePath().normalize();
        String platform = platform();
        boolean failed = false;
        Class<?> loader = null;
        try {
            loader = Class.forName("org.bytedeco.javacpp.Loader");
        } catch (ClassNotFoundException e) {
            System.out.println("NOJAVACPP the package has no JavaCPP");
        }
        if (loader != null) {
            Method load = loader.getMethod("load", Class.class);
            for (String preset : PRESETS) {
                Class<?> type;
                try {
                    type = Class.forName(preset, false, NativeLoadProbe.class.getClassLoader());
                } catch (ClassNotFoundException e) {
                    continue; // a preset this package does not use
                }
                try {
                    System.out.println("PRESET " + preset + " " + load.invoke(null, type));
                } catch (ReflectiveOperationException | LinkageError e) {
                    Throwable cause = e.getCause() != null ? e.getCause() : e;
                    System.out.println("FAILED " + preset + " " + cause);
                    failed = true;
                }
            }
        }
        if (Files.isRegularFile(pkg.resolve("com/mediaflow/natives/" + platform + "/libmediaflowjpeg.so"))) {
            try {
                // the project's own native, loaded as the thumbnail step loads it
                Method direct = Class.forName("com.mediaflow.shared.codec.TurboJpeg").getDeclaredMethod("direct");
                direct.setAccessible(true);
                System.out.println("MEDIAFLOWJPEG " + direct.invoke(null));
            } catch (ReflectiveOperationException | LinkageError e) {
                Throwable cause = e.getCause() != null ? e.getCause() : e;
                System.out.println("FAILED libmediaflowjpeg " + cause);
                failed = true;
            }
        }
        for (Path lib : sharedObjects(pkg, platform)) {
            try {
                System.load(lib.toString());
                System.out.println("LOADED " + lib);
            } catch (UnsatisfiedLinkError e) {
                System.out.println("FAILED " + lib + " " + e.getMessage());
                failed = true;
            }
        }
        if (loader != null) {
            @SuppressWarnings("unchecked")
            Map<String, String> loaded = (Map<String, String>) loader.getMethod("getLoadedLibraries").invoke(null);
            loaded.forEach((name, path) -> System.out.println("JAVACPP " + name + " " + path));
        }
        System.exit(failed ? 1 : 0);
    }

    /** JavaCPP's name of this machine's platform, e.g. linux-x86_64 or linux-arm64. */
    static String platform() {
        String arch = System.getProperty("os.arch");
        String cpu = switch (arch) {
            case "amd64", "x86_64" -> "x86_64";
            case "aarch64", "arm64" -> "arm64";
            default -> arch;
        };
        return "linux-" + cpu;
    }

    /** The package's ELF shared objects under a folder of this platform (linux-x86_64, linux-x86_64-gpl). */
    static List<Path> sharedObjects(Path pkg, String platform) throws IOException {
        List<Path> out = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(pkg)) {
            for (Path p : walk.filter(Files::isRegularFile).sorted().toList()) {
                String dir = p.getParent().getFileName().toString();
                if ((dir.equals(platform) || dir.startsWith(platform + "-")) && isElf(p)) {
                    out.add(p);
                }
            }
        }
        return out;
    }

    static boolean isElf(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] magic = in.readNBytes(4);
            return magic.length == 4 && magic[0] == 0x7f && magic[1] == 'E' && magic[2] == 'L' && magic[3] == 'F';
        }
    }
}
