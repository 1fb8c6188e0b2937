package com.mediaflow.shared.natives;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * The ELF files that are deployed together, so that one may satisfy another's DT_NEEDED: every
 * ELF file under some directories, and every ELF entry of some jars or zips (also jars inside
 * zips, like a Lambda deployment package's lib/*.jar). Files are recognised by content (the ELF
 * magic), never by name, so {@code ffmpeg}, {@code libfoo.so.1.2} and a misnamed entry all count.
 *
 * <p>An exclusion drops ELF files by file name, as if the package did not ship them: they neither
 * get checked nor satisfy another file's NEEDED. In a directory, a symbolic link to an ELF file of
 * the same package is an alias of that file (e.g. libavutil.so beside libavutil.so.59, as
 * JavaCPP's cache has them).
 */
public final class NativePackage {

    /** The largest jar entry read into memory; Lambda's unzipped limit is 250 MB anyway. */
    public static final int MAX_ENTRY_BYTES = 512 << 20;

    private static final int MAX_ZIP_DEPTH = 4;

    private final List<NativeFile> files;
    private final List<String> excluded;

    private NativePackage(List<NativeFile> files, List<String> excluded) {
        this.files = files.stream().sorted(Comparator.comparing(NativeFile::location)).toList();
        this.excluded = excluded.stream().sorted().toList();
    }

    /** A package of files already read, e.g. to test the rules on hand-made ELF files. */
    public static NativePackage of(List<NativeFile> files) {
        return new NativePackage(files, List.of());
    }

    /** Every ELF file in {@code inputs}: directories (walked), jar/zip files, or ELF files. */
    public static NativePackage collect(Collection<Path> inputs) throws IOException {
        return collect(inputs, name -> false);
    }

    /**
     * Every ELF file in {@code inputs} (directories, jar/zip files, or ELF files) except those
     * whose file name {@code exclude} accepts.
     */
    public static NativePackage collect(Collection<Path> inputs, Predicate<String> exclude)
            throws IOException {
        Collector collector = new Collector(exclude);
        for (Path input : inputs) {
            collector.input(input);
        }
        return new NativePackage(collector.files(), collector.excluded);
    }

    public List<NativeFile> files() {
        return files;
    }

    /** The locations of the ELF files the exclusion left out. */
    public List<String> excluded() {
        return excluded;
    }

    private static final class Collector {

        private final Predicate<String> exclude;
        private final Map<Path, NativeFile> byRealPath = new LinkedHashMap<>();
        private final List<NativeFile> entries = new ArrayList<>();
        private final Map<Path, List<String>> aliases = new LinkedHashMap<>();
        private final List<String> excluded = new ArrayList<>();

        Collector(Predicate<String> exclude) {
            this.exclude = exclude;
        }

        void input(Path input) throws IOException {
            if (Files.isDirectory(input)) {
                directory(input);
            } else if (!Files.isRegularFile(input)) {
                throw new java.nio.file.NoSuchFileException(input.toString(), null,
                        "expected a directory, a jar/zip or an ELF file");
            } else if (!file(input, input.toString())) {
                throw new IllegalArgumentException(input + " is neither a directory, a jar/zip"
                        + " nor an ELF file");
            }
        }

        List<NativeFile> files() {
            List<NativeFile> all = new ArrayList<>(entries);
            byRealPath.forEach((real, file) -> all.add(new NativeFile(file.location(), file.name(),
                    aliases.getOrDefault(real, List.of()), file.elf())));
            return all;
        }

        private void directory(Path dir) throws IOException {
            List<Path> links = new ArrayList<>();
            try (Stream<Path> walk = Files.walk(dir)) {
                for (Path path : (Iterable<Path>) walk.sorted()::iterator) {
                    if (Files.isSymbolicLink(path)) {
                        links.add(path);
                    } else if (Files.isRegularFile(path)) {
                        file(path, path.toString());
                    }
                }
            }
            for (Path link : links) { // after the walk, so that every target is known
                if (!Files.isRegularFile(link)) {
                    continue; // a link to a folder, or dangling
                }
                Path real = link.toRealPath();
                if (byRealPath.containsKey(real)) {
                    String name = link.getFileName().toString();
                    if (exclude.test(name)) {
                        excluded.add(link.toString());
                    } else {
                        aliases.computeIfAbsent(real, r -> new ArrayList<>()).add(name);
                    }
                } else {
                    file(link, link + " -> " + real);
                }
            }
        }

        /** Adds {@code path} if it is ELF, scans it if it is a zip; false if it is neither. */
        private boolean file(Path path, String location) throws IOException {
            byte[] head;
            try (InputStream in = Files.newInputStream(path)) {
                head = in.readNBytes(4);
            }
            String name = path.getFileName().toString();
            if (ElfFile.isElf(head)) {
                if (exclude.test(name)) {
                    excluded.add(location);
                } else {
                    Path real = path.toRealPath();
                    if (!byRealPath.containsKey(real)) {
                        byRealPath.put(real, new NativeFile(location, name, List.of(),
                                ElfFile.read(path)));
                    }
                }
                return true;
            }
            if (isZip(head)) {
                try (InputStream in = Files.newInputStream(path)) {
                    zip(in, location, 1);
                }
                return true;
            }
            return false;
        }

        private void zip(InputStream in, String location, int depth) throws IOException {
            ZipInputStream zip = new ZipInputStream(new FilterInputStream(in) {
                @Override
                public void close() {
                    // the caller closes the outer stream
                }
            });
            try (zip) {
                for (ZipEntry entry; (entry = zip.getNextEntry()) != null; ) {
                    if (entry.isDirectory()) {
                        continue;
                    }
                    String entryLocation = location + "!/" + entry.getName();
                    String name = entry.getName().substring(entry.getName().lastIndexOf('/') + 1);
                    byte[] head = zip.readNBytes(4);
                    if (ElfFile.isElf(head)) {
                        if (exclude.test(name)) {
                            excluded.add(entryLocation);
                            continue;
                        }
                        byte[] rest = zip.readNBytes(MAX_ENTRY_BYTES - 4 + 1);
                        if (rest.length > MAX_ENTRY_BYTES - 4) {
                            throw new IOException(entryLocation + ": an ELF entry of more than "
                                    + MAX_ENTRY_BYTES + " bytes, this checker's limit");
                        }
                        byte[] content = new byte[4 + rest.length];
                        System.arraycopy(head, 0, content, 0, 4);
                        System.arraycopy(rest, 0, content, 4, rest.length);
                        entries.add(new NativeFile(entryLocation, name, List.of(),
                                ElfFile.parse(content, entryLocation)));
                    } else if (isZip(head) && depth < MAX_ZIP_DEPTH) {
                        zip(new SequenceInputStream(new ByteArrayInputStream(head), zip),
                                entryLocation, depth + 1);
                    }
                }
            }
        }

        private static boolean isZip(byte[] head) {
            return head.length == 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3
                    && head[3] == 4;
        }
    }
}
