package com.mediaflow.shared.natives;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes small ELF files of any class and byte order with a chosen SONAME, NEEDED list and
 * version needs, laid out as a linker lays them: a PT_LOAD and a PT_DYNAMIC program header,
 * .dynstr, .gnu.version_r, .dynamic (with DT_STRTAB, DT_VERNEED...), .shstrtab and the section
 * header table; no code, loaded at address 0. For the ELF32, big-endian and
 * malformed cases that no compiler on this machine produces; readelf reads them like real ones.
 */
final class SyntheticElf {

    private final int bits;
    private final ByteOrder order;
    private final int machine;
    private boolean dynamic = true;
    private String soname;
    private final List<String> needed = new ArrayList<>();
    private final Map<String, List<String>> versionNeeds = new LinkedHashMap<>();

    private SyntheticElf(int bits, ByteOrder order, int machine) {
        this.bits = bits;
        this.order = order;
        this.machine = machine;
    }

    static SyntheticElf of(int bits, ByteOrder order, int machine) {
        return new SyntheticElf(bits, order, machine);
    }

    /** An x86_64 ELF64 little-endian file, the common case. */
    static SyntheticElf x86_64() {
        return of(64, ByteOrder.LITTLE_ENDIAN, ElfFile.EM_X86_64);
    }

    SyntheticElf soname(String name) {
        this.soname = name;
        return this;
    }

    SyntheticElf needs(String... libraries) {
        needed.addAll(List.of(libraries));
        return this;
    }

    SyntheticElf versionNeed(String file, String version) {
        versionNeeds.computeIfAbsent(file, f -> new ArrayList<>()).add(version);
        return this;
    }

    /** No .dynamic, .dynstr or .gnu.version_r: like a static executable. */
    SyntheticElf withoutDynamicSection() {
        this.dynamic = false;
        return this;
    }

    byte[] bytes() {
        boolean is64 = bits == 64;
        int headerSize = is64 ? 64 : 52;
        int phentsize = is64 ? 56 : 32;
        int phnum = dynamic ? 2 : 0; // PT_LOAD of the whole file, PT_DYNAMIC
        int word = is64 ? 8 : 4;
        Strings dynstr = new Strings();
        List<long[]> dynamicEntries = new ArrayList<>();
        for (String library : needed) {
            dynamicEntries.add(new long[] {ElfFile.DT_NEEDED, dynstr.add(library)});
        }
        if (soname != null) {
            dynamicEntries.add(new long[] {ElfFile.DT_SONAME, dynstr.add(soname)});
        }

        ByteBuffer verneed = ByteBuffer.allocate(versionNeeds.values().stream()
                .mapToInt(v -> 16 + 16 * v.size()).sum()).order(order);
        int versionIndex = 2;
        int remaining = versionNeeds.size();
        for (Map.Entry<String, List<String>> need : versionNeeds.entrySet()) {
            List<String> versions = need.getValue();
            remaining--;
            verneed.putShort((short) 1).putShort((short) versions.size())
                    .putInt(dynstr.add(need.getKey())).putInt(16)
                    .putInt(remaining == 0 ? 0 : 16 + 16 * versions.size());
            for (int i = 0; i < versions.size(); i++) {
                String version = versions.get(i);
                verneed.putInt(elfHash(version)).putShort((short) 0)
                        .putShort((short) versionIndex++).putInt(dynstr.add(version))
                        .putInt(i == versions.size() - 1 ? 0 : 16);
            }
        }

        Strings shstrtab = new Strings();
        Out out = new Out(order);
        out.zeros(headerSize + phnum * phentsize);
        // name, type, flags, address (= offset: loaded at 0), offset, size, link, info, align, entsize
        List<long[]> sections = new ArrayList<>();
        sections.add(new long[10]);
        long dynamicOffset = 0;
        long dynamicSize = 0;
        if (dynamic) {
            byte[] strings = dynstr.bytes();
            long at = out.append(strings, 1);
            sections.add(new long[] {shstrtab.add(".dynstr"), ElfFile.SHT_STRTAB, SHF_ALLOC, at, at,
                strings.length, 0, 0, 1, 0});
            dynamicEntries.add(new long[] {DT_STRTAB, at});
            dynamicEntries.add(new long[] {DT_STRSZ, strings.length});
            if (!versionNeeds.isEmpty()) {
                at = out.append(verneed.array(), 4);
                sections.add(new long[] {shstrtab.add(".gnu.version_r"), ElfFile.SHT_GNU_VERNEED,
                    SHF_ALLOC, at, at, verneed.capacity(), 1, versionNeeds.size(), 4, 0});
                dynamicEntries.add(new long[] {DT_VERNEED, at});
                dynamicEntries.add(new long[] {DT_VERNEEDNUM, versionNeeds.size()});
            }
            dynamicEntries.add(new long[] {ElfFile.DT_NULL, 0});
            Out entries = new Out(order);
            for (long[] entry : dynamicEntries) {
                entries.word(entry[0], word).word(entry[1], word);
            }
            dynamicOffset = out.append(entries.bytes(), word);
            dynamicSize = entries.size();
            sections.add(new long[] {shstrtab.add(".dynamic"), ElfFile.SHT_DYNAMIC,
                SHF_ALLOC | SHF_WRITE, dynamicOffset, dynamicOffset, dynamicSize, 1, 0, word,
                2L * word});
        }
        long shstrtabName = shstrtab.add(".shstrtab");
        byte[] names = shstrtab.bytes();
        long at = out.append(names, 1);
        sections.add(new long[] {shstrtabName, ElfFile.SHT_STRTAB, 0, 0, at, names.length, 0, 0, 1, 0});

        Out table = new Out(order);
        for (long[] s : sections) {
            table.word(s[0], 4).word(s[1], 4).word(s[2], word).word(s[3], word).word(s[4], word)
                    .word(s[5], word).word(s[6], 4).word(s[7], 4).word(s[8], word).word(s[9], word);
        }
        long shoff = out.append(table.bytes(), word);

        byte[] file = out.bytes();
        ByteBuffer header = ByteBuffer.wrap(file).order(order);
        header.put(new byte[] {0x7f, 'E', 'L', 'F', (byte) (is64 ? 2 : 1),
            (byte) (order == ByteOrder.LITTLE_ENDIAN ? 1 : 2), 1});
        header.putShort(16, (short) ElfFile.ET_DYN).putShort(18, (short) machine).putInt(20, 1);
        if (is64) {
            header.putLong(32, phnum == 0 ? 0 : headerSize).putLong(40, shoff)
                    .putShort(52, (short) 64).putShort(54, (short) phentsize)
                    .putShort(56, (short) phnum).putShort(58, (short) 64)
                    .putShort(60, (short) sections.size())
                    .putShort(62, (short) (sections.size() - 1));
        } else {
            header.putInt(28, phnum == 0 ? 0 : headerSize).putInt(32, (int) shoff)
                    .putShort(40, (short) 52).putShort(42, (short) phentsize)
                    .putShort(44, (short) phnum).putShort(46, (short) 40)
                    .putShort(48, (short) sections.size())
                    .putShort(50, (short) (sections.size() - 1));
        }
        if (dynamic) {
            Out segments = new Out(order);
            segment(segments, is64, PT_LOAD, PF_R | PF_W, 0, file.length, 0x1000);
            segment(segments, is64, ElfFile.PT_DYNAMIC, PF_R | PF_W, dynamicOffset, dynamicSize, word);
            header.put(headerSize, segments.bytes());
        }
        return file;
    }

    private static final long SHF_WRITE = 1;
    private static final long SHF_ALLOC = 2;
    private static final long PT_LOAD = 1;
    private static final long PF_W = 2;
    private static final long PF_R = 4;
    private static final long DT_STRTAB = 5;
    private static final long DT_STRSZ = 10;
    private static final long DT_VERNEED = 0x6ffffffeL;
    private static final long DT_VERNEEDNUM = 0x6fffffffL;

    /** A program header whose addresses equal its file offsets. */
    private static void segment(Out out, boolean is64, long type, long flags, long offset,
            long size, long align) {
        if (is64) {
            out.word(type, 4).word(flags, 4).word(offset, 8).word(offset, 8).word(offset, 8)
                    .word(size, 8).word(size, 8).word(align, 8);
        } else {
            out.word(type, 4).word(offset, 4).word(offset, 4).word(offset, 4).word(size, 4)
                    .word(size, 4).word(flags, 4).word(align, 4);
        }
    }

    /** The ELF hash of a version name (vna_hash), as the System V ABI defines it. */
    static int elfHash(String name) {
        long h = 0;
        for (byte b : name.getBytes(StandardCharsets.US_ASCII)) {
            h = (h << 4) + (b & 0xff);
            long g = h & 0xf0000000L;
            if (g != 0) {
                h ^= g >>> 24;
            }
            h &= ~g;
        }
        return (int) h;
    }

    /** A string table: starts with the empty name, each string once. */
    private static final class Strings {

        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final Map<String, Integer> offsets = new LinkedHashMap<>();

        Strings() {
            bytes.write(0);
        }

        int add(String s) {
            return offsets.computeIfAbsent(s, k -> {
                int offset = bytes.size();
                bytes.writeBytes(k.getBytes(StandardCharsets.UTF_8));
                bytes.write(0);
                return offset;
            });
        }

        byte[] bytes() {
            return bytes.toByteArray();
        }
    }

    private static final class Out {

        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final ByteOrder order;

        Out(ByteOrder order) {
            this.order = order;
        }

        Out word(long value, int size) {
            ByteBuffer b = ByteBuffer.allocate(size).order(order);
            if (size == 8) {
                b.putLong(value);
            } else {
                b.putInt((int) value);
            }
            bytes.writeBytes(b.array());
            return this;
        }

        void zeros(int n) {
            bytes.writeBytes(new byte[n]);
        }

        /** Pads to {@code align}, appends, and returns where {@code data} starts. */
        long append(byte[] data, int align) {
            while (bytes.size() % align != 0) {
                bytes.write(0);
            }
            long at = bytes.size();
            bytes.writeBytes(data);
            return at;
        }

        int size() {
            return bytes.size();
        }

        byte[] bytes() {
            return bytes.toByteArray();
        }
    }
}
