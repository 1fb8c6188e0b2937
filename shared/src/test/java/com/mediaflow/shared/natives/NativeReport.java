package com.mediaflow.shared.natives;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** What {@link LambdaNativeRules#check(NativePackage)} found, per ELF file and in total. */
public final class NativeReport {

    /**
     * One ELF file's result.
     *
     * @param file the file
     * @param newestGlibc the newest GLIBC_x.y symbol version it needs, e.g. GLIBC_2.29; empty if
     *     it needs none (a static executable, or no versioned glibc symbols)
     * @param unshipped its DT_NEEDED libraries that neither the package nor the base image has
     * @param violations every rule it breaks
     */
    public record FileResult(NativeFile file, Optional<String> newestGlibc, List<String> unshipped,
            List<NativeViolation> violations) {

        public FileResult {
            unshipped = List.copyOf(unshipped);
            violations = List.copyOf(violations);
        }

        public boolean passes() {
            return violations.isEmpty();
        }
    }

    private final List<FileResult> files;
    private final List<String> excluded;

    NativeReport(List<FileResult> files, List<String> excluded) {
        this.files = List.copyOf(files);
        this.excluded = List.copyOf(excluded);
    }

    public List<FileResult> files() {
        return files;
    }

    /** The ELF files left out of the package by name (see {@link NativePackage#excluded()}). */
    public List<String> excluded() {
        return excluded;
    }

    /** Every violation of every file, in file order. */
    public List<NativeViolation> violations() {
        return files.stream().flatMap(f -> f.violations().stream()).toList();
    }

    public boolean passes() {
        return files.stream().allMatch(FileResult::passes);
    }

    /** The newest GLIBC_x.y any file needs. */
    public Optional<String> newestGlibc() {
        return files.stream().map(FileResult::newestGlibc).flatMap(Optional::stream)
                .max(LambdaNativeRules::compareGlibcVersions);
    }

    /** The result for the file named {@code name} (e.g. libavutil.so.59); the first if several. */
    public Optional<FileResult> file(String name) {
        return files.stream().filter(f -> f.file().name().equals(name)).findFirst();
    }

    /**
     * Throws a {@link NativeViolationsError} listing every violation, one readable sentence each,
     * unless there is none.
     */
    public void assertNoViolations() {
        List<NativeViolation> violations = violations();
        if (!violations.isEmpty()) {
            throw new NativeViolationsError(violations);
        }
    }

    /**
     * Per folder or jar folder, one line per ELF file: verdict, machine, the newest GLIBC it
     * needs, name, and what it lacks; then the violations as sentences, the excluded files and
     * the {@link #summary()}.
     */
    public String format() {
        StringBuilder out = new StringBuilder();
        int nameWidth = files.stream().mapToInt(f -> f.file().name().length()).max().orElse(4);
        String line = "  %-4s  %-8s  %-11s  %-" + nameWidth + "s  %s%n";
        out.append(String.format(line, "", "MACHINE", "NEWEST", "FILE", "PROBLEMS").stripTrailing())
                .append('\n');
        String container = null;
        for (FileResult f : files) {
            if (!f.file().container().equals(container)) {
                container = f.file().container();
                out.append(container).append('\n');
            }
            List<String> problems = new ArrayList<>();
            List<String> tooNew = f.violations().stream()
                    .filter(v -> v.kind() == NativeViolation.Kind.GLIBC_TOO_NEW)
                    .map(v -> v.version() + " (" + v.library() + ")").distinct().toList();
            if (!tooNew.isEmpty()) {
                problems.add("glibc > " + LambdaNativeRules.MAX_GLIBC + ": "
                        + String.join(", ", tooNew));
            }
            if (!f.unshipped().isEmpty()) {
                problems.add("unshipped NEEDED: " + String.join(", ", f.unshipped()));
            }
            out.append(String.format(line, f.passes() ? "ok" : "FAIL",
                    f.file().elf().machineName(), f.newestGlibc().orElse("-"), f.file().name(),
                    String.join("; ", problems)).stripTrailing()).append('\n');
        }
        List<NativeViolation> violations = violations();
        if (!violations.isEmpty()) {
            out.append(String.format("%nViolations:%n"));
            violations.forEach(v -> out.append("  - ").append(v.describe()).append('\n'));
        }
        if (!excluded.isEmpty()) {
            out.append(String.format("%nExcluded (%d):%n", excluded.size()));
            excluded.forEach(e -> out.append("  ").append(e).append('\n'));
        }
        out.append('\n').append(summary()).append('\n');
        return out.toString();
    }

    /**
     * E.g. "PASS: 19 ELF files (x86_64 19), newest GLIBC_2.29 (limit 2.34), 4 excluded,
     * 0 violations in 0 of 19 files (0 glibc too new, 0 NEEDED not provided)".
     */
    public String summary() {
        Map<String, Long> machines = new TreeMap<>(files.stream().collect(Collectors.groupingBy(
                f -> f.file().elf().machineName(), Collectors.counting())));
        List<NativeViolation> violations = violations();
        long glibc = count(violations, NativeViolation.Kind.GLIBC_TOO_NEW);
        long unshipped = count(violations, NativeViolation.Kind.LIBRARY_NOT_PROVIDED);
        long failing = files.stream().filter(f -> !f.passes()).count();
        return (passes() ? "PASS" : "FAIL") + ": " + files.size() + " ELF files ("
                + machines.entrySet().stream().map(e -> e.getKey() + " " + e.getValue())
                        .collect(Collectors.joining(", "))
                + "), newest " + newestGlibc().orElse("GLIBC none") + " (limit "
                + LambdaNativeRules.MAX_GLIBC + "), " + excluded.size() + " excluded, "
                + violations.size() + " violations in " + failing + " of " + files.size()
                + " files (" + glibc + " glibc too new, " + unshipped + " NEEDED not provided)";
    }

    private static long count(Collection<NativeViolation> violations, NativeViolation.Kind kind) {
        return violations.stream().filter(v -> v.kind() == kind).count();
    }

    @Override
    public String toString() {
        return summary();
    }
}
