package com.mediaflow.infra.cli;

import com.mediaflow.infra.stack.EmbeddedStack;
import com.mediaflow.shared.model.Json;
import com.mediaflow.testkit.PdfFixtures;
import com.mediaflow.testkit.SyntheticMedia;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * {@code ./mediaflow demo}: makes a handful of sample media (the repository's phone photo with EXIF
 * orientation 6, {@code corpus/exif-orientation/Portrait_6.jpg}, a PNG with alpha, an MP4, a voice
 * note, an animated GIF, a three-page PDF, two hostile uploads), puts them through the whole
 * pipeline on the embedded stack, then uploads the photo again to show deduplication.
 */
final class Demo {
    private final Main main;

    Demo(Main main) {
        this.main = main;
    }

    int run(List<String> args) throws Exception {
        if (!args.isEmpty()) {
            throw new Main.UsageException("demo", "demo takes no arguments, found " + args);
        }
        PrintStream err = main.err();
        Path outDir = Path.of("mediaflow-out").toAbsolutePath();
        Path inputs = outDir.resolve("demo-inputs");
        Files.createDirectories(inputs);
        err.println("mediaflow demo: making sample media in " + inputs);
        List<Path> files = samples(inputs, err);
        Path duplicate = inputs.resolve("photo-again.jpg");
        Files.copy(files.get(0), duplicate, StandardCopyOption.REPLACE_EXISTING);

        long t0 = System.nanoTime();
        err.println("mediaflow demo: starting the embedded stack (ElasticMQ + S3Proxy, wired from template.yaml)...");
        List<ResultLine> lines = new ArrayList<>();
        try (EmbeddedStack stack = EmbeddedStack.start(Main.shortWaits(EmbeddedStack.Options.defaults(main.template()).withWorkers(2)))) {
            err.printf("mediaflow demo: stack up in %.1f s%n", (System.nanoTime() - t0) / 1e9);
            Pipeline pipeline = new Pipeline(stack, err, System.console() != null);
            err.println("mediaflow demo: uploading " + files.size() + " files to s3://" + stack.bucket("IngestBucket") + "/");
            List<Pipeline.Upload> first = pipeline.upload(files);
            pipeline.await(first, Duration.ofMinutes(10));
            err.println("mediaflow demo: uploading the photo again, under another name");
            List<Pipeline.Upload> second = pipeline.upload(List.of(duplicate));
            pipeline.await(second, Duration.ofMinutes(5));
            for (Pipeline.Upload u : first) {
                lines.add(pipeline.collect(u, outDir));
            }
            for (Pipeline.Upload u : second) {
                lines.add(pipeline.collect(u, outDir));
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        printTable(main.out(), lines, inputs);
        main.out().printf("%nOutputs (renditions and each manifest.json) are under %s/<mediaId>/%n", outDir);
        main.out().printf("JSON lines for scripts: %s/demo-results.jsonl   Wall time: %.1f s%n", outDir, seconds);
        List<String> json = lines.stream().map(Json::write).toList();
        Files.write(outDir.resolve("demo-results.jsonl"), json, StandardCharsets.UTF_8);
        boolean ok = lines.stream().allMatch(l -> l.status().equals("READY") || l.status().equals("QUARANTINED"));
        return ok ? 0 : 1;
    }

    static List<Path> samples(Path dir, PrintStream err) throws IOException {
        List<Path> files = new ArrayList<>();
        Path photo = dir.resolve("photo.jpg");
        Path corpusPhoto = corpusPhoto();
        if (Files.isRegularFile(corpusPhoto)) {
            Files.copy(corpusPhoto, photo, StandardCopyOption.REPLACE_EXISTING);
        } else {
            err.println("mediaflow demo: " + corpusPhoto + " is missing (expected corpus/ at the project root);"
                    + " using a synthetic photo instead");
            SyntheticMedia.jpeg(photo, 1600, 1200, 6);
        }
        files.add(photo);
        files.add(SyntheticMedia.pngWithAlpha(dir.resolve("logo-with-alpha.png"), 640, 480));
        files.add(SyntheticMedia.mp4(dir.resolve("clip.mp4"), 640, 360, 3.0, 25, true, 0));
        files.add(SyntheticMedia.voiceNoteWav(dir.resolve("voice-note.wav"), 48_000, 4.0, 0.5));
        files.add(SyntheticMedia.animatedGif(dir.resolve("reaction.gif"), 320, 240, 20));
        files.add(PdfFixtures.textAndPicturePages(dir.resolve("report.pdf"), 3, "Quarterly report", 300));
        files.add(apk(dir.resolve("holiday.jpg")));
        Path mislabelled = dir.resolve("invoice.pdf");
        Files.copy(photo, mislabelled, StandardCopyOption.REPLACE_EXISTING);
        files.add(mislabelled);
        return files;
    }

    /** The repository's phone photo with EXIF orientation 6: corpus/ at the project root, or -Dmediaflow.corpus. */
    private static Path corpusPhoto() {
        String prop = System.getProperty("mediaflow.corpus");
        Path corpus = prop != null ? Path.of(prop) : Path.of(System.getProperty("mediaflow.root", ".")).resolve("corpus");
        return corpus.resolve("exif-orientation/Portrait_6.jpg").toAbsolutePath().normalize();
    }

    /**
     * A minimal Android package: what an attacker would rename to .jpg. Its entries carry a fixed
     * time, so the file, and the media id it is quarantined under, are the same in every run.
     */
    static Path apk(Path target) throws IOException {
        try (OutputStream os = Files.newOutputStream(target); ZipOutputStream zip = new ZipOutputStream(os)) {
            zip.putNextEntry(fixedTime(new ZipEntry("AndroidManifest.xml")));
            zip.write("<manifest package=\"com.example.notaphoto\"/>".getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
            zip.putNextEntry(fixedTime(new ZipEntry("classes.dex")));
            zip.write(new byte[] {'d', 'e', 'x', '\n', '0', '3', '5', 0});
            zip.closeEntry();
        }
        return target;
    }

    /** The entry's time as a DOS date-time of its own, not converted through the machine's time zone. */
    private static ZipEntry fixedTime(ZipEntry entry) {
        entry.setTimeLocal(LocalDateTime.of(2026, 1, 1, 0, 0));
        return entry;
    }

    static void printTable(PrintStream out, List<ResultLine> lines, Path inputs) {
        int fileWidth = "FILE".length();
        int typeWidth = "DETECTED TYPE".length();
        for (ResultLine l : lines) {
            fileWidth = Math.max(fileWidth, Path.of(l.file()).getFileName().toString().length());
            typeWidth = Math.max(typeWidth, l.type() == null ? 1 : l.type().length());
        }
        String fmt = "%-" + fileWidth + "s  %-12s %-" + typeWidth + "s  %-14s %-8s %s%n";
        out.println();
        out.printf(fmt, "FILE", "STATUS", "DETECTED TYPE", "MEDIA ID", "OUTPUTS", "NOTES");
        for (ResultLine l : lines) {
            String file = Path.of(l.file()).getFileName().toString();
            String id = l.mediaId() == null ? "-" : l.mediaId().substring(0, 12) + "..";
            String notes;
            if (!l.reasons().isEmpty()) {
                notes = l.reasons().get(0).code() + ": " + l.reasons().get(0).message();
            } else if (Boolean.TRUE.equals(l.metadata().get("duplicate"))) {
                notes = "duplicate: stored bytes and renditions reused, nothing reprocessed";
            } else {
                notes = describe(l);
            }
            out.printf(fmt, file, l.status(), l.type() == null ? "-" : l.type(), id, String.valueOf(l.outputs().size()),
                    notes.length() > 110 ? notes.substring(0, 107) + "..." : notes);
        }
    }

    private static String describe(ResultLine l) {
        var m = l.metadata();
        StringBuilder sb = new StringBuilder();
        if (m.get("width") != null) {
            sb.append(m.get("width")).append('x').append(m.get("height"));
        }
        if (m.get("durationSeconds") != null) {
            sb.append(String.format(" %.1f s", ((Number) m.get("durationSeconds")).doubleValue()));
        }
        if (m.get("videoCodec") != null) {
            sb.append(' ').append(m.get("videoCodec"));
        }
        if (m.get("audioCodec") != null) {
            sb.append(m.get("videoCodec") != null ? '/' : ' ').append(m.get("audioCodec"));
        }
        if (m.get("orientation") != null && !Integer.valueOf(1).equals(m.get("orientation"))) {
            sb.append(" EXIF orientation ").append(m.get("orientation")).append(" applied");
        }
        if (m.get("cameraModel") != null) {
            sb.append(", ").append(m.get("cameraModel"));
        }
        if (m.get("video") instanceof java.util.Map<?, ?> video && video.get("renditions") instanceof List<?> rungs) {
            sb.append(Boolean.TRUE.equals(video.get("loop")) ? ", looping MP4 " : ", H.264 ");
            sb.append(rungs.stream().map(r -> String.valueOf(((java.util.Map<?, ?>) r).get("name")))
                    .collect(java.util.stream.Collectors.joining("/")));
        }
        if (m.get("pageCount") != null) {
            sb.append(m.get("pageCount")).append(Integer.valueOf(1).equals(m.get("pageCount")) ? " page" : " pages");
            if (m.get("title") != null) {
                sb.append(", '").append(m.get("title")).append('\'');
            }
            if ("rendered".equals(m.get("preview"))) {
                sb.append(", preview: its first page");
            } else if ("embedded".equals(m.get("preview"))) {
                sb.append(", preview: the one it embeds");
            }
        }
        if (m.get("audio") instanceof java.util.Map<?, ?> audio && audio.get("loudnessLufs") != null) {
            sb.append(String.format(", %.1f LUFS", ((Number) audio.get("loudnessLufs")).doubleValue()));
        }
        return sb.toString().trim();
    }
}
