package com.mediaflow.shared.natives;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What the dynamic loader needs from one ELF file, read from its section headers without readelf:
 * the machine, {@code DT_SONAME}, the {@code DT_NEEDED} libraries (from the SHT_DYNAMIC section)
 * and the symbol-version requirements (from SHT_GNU_verneed), for ELF32 and ELF64, little- and
 * big-endian.
 *
 * <p>Bounded: it reads the headers and the few sections it needs, never the whole file, and
 * checks every offset, size and count against the file's length before it reads; a table or
 * section above {@value #MAX_READ} bytes is refused. Anything that does not fit gives an
 * {@link ElfFormatException} naming what was expected and what was found. Every chain it follows
 * moves forward through a bounded section, so no input loops it.
 *
 * <p>A file without a dynamic section (a static executable, an object file) has no SONAME, no
 * NEEDED and no version needs. A file with a PT_DYNAMIC segment but no section headers (stripped
 * with sstrip) is refused rather than reported as needing nothing.
 */
public final class ElfFile {

    public static final int EM_386 = 3;
    public static final int EM_ARM = 40;
    public static final int EM_X86_64 = 62;
    public static final int EM_AARCH64 = 183;

    public static final int ET_EXEC = 2;
    public static final int ET_DYN = 3;

    /** The most bytes this reader takes in for one table or section, whatever the file says. */
    public static final int MAX_READ = 64 << 20;

    static final long SHT_STRTAB = 3;
    static final long SHT_DYNAMIC = 6;
    static final long SHT_NOBITS = 8;
    static final long SHT_GNU_VERNEED = 0x6ffffffeL;
    static final long PT_DYNAMIC = 2;
    static final long DT_NULL = 0;
    static final long DT_NEEDED = 1;
    static final long DT_SONAME = 14;

    private static final int EI_NIDENT = 16;
    private static final int PN_XNUM = 0xffff;
    private static final int VERNEED_SIZE = 16;
    private static final int VERNAUX_SIZE = 16;

    /** One symbol-version requirement: {@code version} (e.g. GLIBC_2.35) of library {@code file}. */
    public record VersionNeed(String file, String version) {

        @Override
        public String toString() {
            return version + " (" + file + ")";
        }
    }

    private final String source;
    private final int bits;
    private final ByteOrder byteOrder;
    private final int type;
    private final int machine;
    private final boolean dynamic;
    private final String soname;
    private final List<String> needed;
    private final List<VersionNeed> versionNeeds;

    private ElfFile(String source, int bits, ByteOrder byteOrder, int type, int machine,
            boolean dynamic, String soname, List<String> needed, List<VersionNeed> versionNeeds) {
        this.source = source;
        this.bits = bits;
        this.byteOrder = byteOrder;
        this.type = type;
        this.machine = machine;
        this.dynamic = dynamic;
        this.soname = soname;
        this.needed = List.copyOf(needed);
        this.versionNeeds = List.copyOf(versionNeeds);
    }

    /** Whether {@code file} is a regular file that starts with the ELF magic (7f 'E' 'L' 'F'). */
    public static boolean isElf(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            return false;
        }
        try (InputStream in = Files.newInputStream(file)) {
            return isElf(in.readNBytes(4));
        }
    }

    /** Whether {@code head} (the first bytes of some content) starts with the ELF magic. */
    public static boolean isElf(byte[] head) {
        return head.length >= 4 && head[0] == 0x7f && head[1] == 'E' && head[2] == 'L'
                && head[3] == 'F';
    }

    /** Reads the ELF file at {@code file}: only its headers and the sections this class needs. */
    public static ElfFile read(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            return new Parser(file.toString(), new ChannelBytes(channel)).parse();
        }
    }

    /** Parses ELF content already in memory (e.g. a jar entry); {@code source} names it. */
    public static ElfFile parse(byte[] content, String source) throws ElfFormatException {
        try {
            return new Parser(source, new ArrayBytes(content)).parse();
        } catch (ElfFormatException e) {
            throw e;
        } catch (IOException e) {
            throw new UncheckedIOException("reading a byte array", e); // ArrayBytes does no I/O
        }
    }

    /** Where it was read from: a path, or {@code jar!/entry}. */
    public String source() {
        return source;
    }

    /** 32 or 64 (EI_CLASS). */
    public int bits() {
        return bits;
    }

    public ByteOrder byteOrder() {
        return byteOrder;
    }

    /** e_type: {@link #ET_DYN} for shared libraries and PIE executables, {@link #ET_EXEC}... */
    public int type() {
        return type;
    }

    /** e_machine, e.g. {@link #EM_X86_64} (62) or {@link #EM_AARCH64} (183). */
    public int machine() {
        return machine;
    }

    /** The machine as readelf and distributions name it: x86_64, aarch64, i386, arm... */
    public String machineName() {
        return machineName(machine);
    }

    public static String machineName(int machine) {
        return switch (machine) {
            case EM_386 -> "i386";
            case 8 -> "mips";
            case 20 -> "ppc";
            case 21 -> "ppc64";
            case 22 -> "s390";
            case EM_ARM -> "arm";
            case EM_X86_64 -> "x86_64";
            case EM_AARCH64 -> "aarch64";
            case 243 -> "riscv";
            default -> "machine-" + machine;
        };
    }

    /** Whether the file has an SHT_DYNAMIC section; static executables do not. */
    public boolean hasDynamicSection() {
        return dynamic;
    }

    public Optional<String> soname() {
        return Optional.ofNullable(soname);
    }

    /** The DT_NEEDED libraries in the order of the dynamic section. */
    public List<String> needed() {
        return needed;
    }

    /** The symbol-version requirements, per library in the order of SHT_GNU_verneed. */
    public List<VersionNeed> versionNeeds() {
        return versionNeeds;
    }

    @Override
    public String toString() {
        return "ElfFile[" + source + ", ELF" + bits + " " + machineName() + ", soname "
                + soname().orElse("-") + ", needed " + needed + ", version needs " + versionNeeds
                + "]";
    }

    /** Random access to the content, by offset: a file channel or an array. */
    private interface Bytes {

        long size() throws IOException;

        /** {@code length} bytes from {@code offset}; the caller has checked they are in the file. */
        ByteBuffer read(long offset, int length) throws IOException;
    }

    private static final class ChannelBytes implements Bytes {

        private final FileChannel channel;

        ChannelBytes(FileChannel channel) {
            this.channel = channel;
        }

        @Override
        public long size() throws IOException {
            return channel.size();
        }

        @Override
        public ByteBuffer read(long offset, int length) throws IOException {
            ByteBuffer buffer = ByteBuffer.allocate(length);
            while (buffer.hasRemaining()) {
                if (channel.read(buffer, offset + buffer.position()) < 0) {
                    throw new EOFException("file ended at " + (offset + buffer.position())
                            + " while reading " + length + " bytes at " + offset);
                }
            }
            return buffer.flip();
        }
    }

    private static final class ArrayBytes implements Bytes {

        private final byte[] content;

        ArrayBytes(byte[] content) {
            this.content = content;
        }

        @Override
        public long size() {
            return content.length;
        }

        @Override
        public ByteBuffer read(long offset, int length) {
            return ByteBuffer.wrap(content, (int) offset, length).slice();
        }
    }

    private record Section(int index, long type, long offset, long size, long link, long info,
            long entsize) {

        String describe() {
            return "section [" + index + "] (" + typeName(type) + ")";
        }
    }

    private static String typeName(long type) {
        if (type == SHT_DYNAMIC) {
            return "SHT_DYNAMIC";
        } else if (type == SHT_GNU_VERNEED) {
            return "SHT_GNU_verneed";
        } else if (type == SHT_STRTAB) {
            return "SHT_STRTAB";
        } else if (type == SHT_NOBITS) {
            return "SHT_NOBITS";
        }
        return "type 0x" + Long.toHexString(type);
    }

    /** One parse of one file; every read goes through a bounds check first. */
    private static final class Parser {

        private final String source;
        private final Bytes bytes;
        private long size;
        private boolean is64;
        private ByteOrder order;
        private List<Section> sections = List.of();

        Parser(String source, Bytes bytes) {
            this.source = source;
            this.bytes = bytes;
        }

        ElfFile parse() throws IOException {
            size = bytes.size();
            if (size < EI_NIDENT) {
                throw error("file of " + size + " bytes is shorter than the " + EI_NIDENT
                        + "-byte ELF identification");
            }
            ByteBuffer ident = bytes.read(0, EI_NIDENT);
            byte[] magic = new byte[4];
            ident.get(0, magic);
            if (!isElf(magic)) {
                throw error(String.format("expected the ELF magic 7f 45 4c 46, found %02x %02x %02x %02x",
                        magic[0], magic[1], magic[2], magic[3]));
            }
            int elfClass = ident.get(4) & 0xff;
            if (elfClass != 1 && elfClass != 2) {
                throw error("EI_CLASS is " + elfClass + ", expected 1 (ELF32) or 2 (ELF64)");
            }
            int data = ident.get(5) & 0xff;
            if (data != 1 && data != 2) {
                throw error("EI_DATA is " + data
                        + ", expected 1 (little-endian) or 2 (big-endian)");
            }
            is64 = elfClass == 2;
            order = data == 1 ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;
            int headerSize = is64 ? 64 : 52;
            if (size < headerSize) {
                throw error("the ELF" + bits() + " header needs " + headerSize
                        + " bytes, but the file has only " + size);
            }
            ByteBuffer header = read(0, headerSize);
            int type = u16(header, 16);
            int machine = u16(header, 18);
            long phoff = word(header, is64 ? 32 : 28);
            long shoff = word(header, is64 ? 40 : 32);
            int phentsize = u16(header, is64 ? 54 : 42);
            long phnum = u16(header, is64 ? 56 : 44);
            int shentsize = u16(header, is64 ? 58 : 46);
            long shnum = u16(header, is64 ? 60 : 48);

            if (shoff != 0) {
                int minimum = is64 ? 64 : 40;
                if (shentsize < minimum) {
                    throw error("e_shentsize is " + shentsize + ", expected at least " + minimum
                            + " for ELF" + bits());
                }
                checkTable("section header table", shoff, 1, shentsize);
                Section first = section(read(shoff, shentsize), 0);
                if (shnum == 0) { // more than 0xff00 sections: the count is in section 0
                    shnum = first.size();
                }
                if (phnum == PN_XNUM) {
                    phnum = first.info();
                }
            }
            boolean dynamicSegment = phoff != 0 && phnum > 0 && hasDynamicSegment(phoff, phentsize, phnum);
            if (shoff == 0 || shnum == 0) {
                if (dynamicSegment) {
                    throw error("has a PT_DYNAMIC segment but no section headers (e_shoff "
                            + Long.toUnsignedString(shoff) + ", e_shnum " + shnum
                            + "), so its NEEDED libraries cannot be read (stripped by sstrip?)");
                }
                return result(type, machine, false, null, List.of(), List.of());
            }
            checkTable("section header table", shoff, shnum, shentsize);
            ByteBuffer table = read(shoff, shnum * shentsize);
            List<Section> all = new ArrayList<>();
            for (int i = 0; i < shnum; i++) {
                all.add(section(table.slice(i * shentsize, shentsize).order(order), i));
            }
            sections = all;

            Section dynamicSection = first(SHT_DYNAMIC);
            if (dynamicSection == null) {
                if (dynamicSegment) {
                    throw error("has a PT_DYNAMIC segment but no SHT_DYNAMIC section");
                }
                return result(type, machine, false, null, List.of(), List.of());
            }
            List<String> needed = new ArrayList<>();
            String soname = readDynamic(dynamicSection, needed);
            Section verneed = first(SHT_GNU_VERNEED);
            List<VersionNeed> needs = verneed == null ? List.of() : readVerneed(verneed);
            return result(type, machine, true, soname, needed, needs);
        }

        private ElfFile result(int type, int machine, boolean dynamic, String soname,
                List<String> needed, List<VersionNeed> needs) {
            return new ElfFile(source, bits(), order, type, machine, dynamic, soname, needed, needs);
        }

        private int bits() {
            return is64 ? 64 : 32;
        }

        private boolean hasDynamicSegment(long phoff, int phentsize, long phnum) throws IOException {
            int minimum = is64 ? 56 : 32;
            if (phentsize < minimum) {
                throw error("e_phentsize is " + phentsize + ", expected at least " + minimum
                        + " for ELF" + bits());
            }
            checkTable("program header table", phoff, phnum, phentsize);
            ByteBuffer table = read(phoff, phnum * phentsize);
            for (int i = 0; i < phnum; i++) {
                if (u32(table, i * phentsize) == PT_DYNAMIC) {
                    return true;
                }
            }
            return false;
        }

        /** Throws unless {@code count} entries of {@code entrySize} bytes at {@code offset} fit. */
        private void checkTable(String what, long offset, long count, int entrySize)
                throws ElfFormatException {
            if (!fits(offset, count, entrySize)) {
                throw error(what + " at offset " + Long.toUnsignedString(offset) + " ("
                        + Long.toUnsignedString(count) + (count == 1 ? " entry" : " entries")
                        + " of " + entrySize
                        + " bytes) extends past end of file (size " + size + ")");
            }
            if (count * entrySize > MAX_READ) {
                throw error(what + " of " + count * entrySize + " bytes (" + count
                        + " entries) is larger than this reader's limit of " + MAX_READ);
            }
        }

        private boolean fits(long offset, long count, long entrySize) {
            if (offset < 0 || count < 0 || offset > size) { // a negative long is an offset >= 2^63
                return false;
            }
            return count <= (size - offset) / entrySize;
        }

        private Section section(ByteBuffer h, int index) {
            long type = u32(h, 4);
            return is64
                    ? new Section(index, type, h.getLong(24), h.getLong(32), u32(h, 40), u32(h, 44),
                            h.getLong(56))
                    : new Section(index, type, u32(h, 16), u32(h, 20), u32(h, 24), u32(h, 28),
                            u32(h, 36));
        }

        private Section first(long type) {
            return sections.stream().filter(s -> s.type() == type).findFirst().orElse(null);
        }

        /** The content of {@code section}, after checking it lies in the file. */
        private ByteBuffer content(Section section) throws IOException {
            if (section.type() == SHT_NOBITS) {
                throw error(section.describe() + " is SHT_NOBITS: it has no content in the file");
            }
            if (!fits(section.offset(), section.size(), 1)) {
                throw error(section.describe() + " at offset "
                        + Long.toUnsignedString(section.offset()) + " with "
                        + Long.toUnsignedString(section.size())
                        + " bytes extends past end of file (size " + size + ")");
            }
            if (section.size() > MAX_READ) {
                throw error(section.describe() + " of " + section.size()
                        + " bytes is larger than this reader's limit of " + MAX_READ);
            }
            return read(section.offset(), (int) section.size());
        }

        /** The string table that {@code owner}'s sh_link names. */
        private ByteBuffer linkedStrings(Section owner) throws IOException {
            long link = owner.link();
            if (link >= sections.size()) {
                throw error(owner.describe() + " links to section [" + link
                        + "], but the file has only " + sections.size() + " sections");
            }
            Section strings = sections.get((int) link);
            if (strings.type() != SHT_STRTAB) {
                throw error(owner.describe() + " links to section [" + link + "] of "
                        + typeName(strings.type()) + ", expected a string table (SHT_STRTAB)");
            }
            return content(strings);
        }

        private String string(ByteBuffer strings, long offset, Section owner)
                throws ElfFormatException {
            if (offset < 0 || offset >= strings.limit()) {
                throw error("a name of " + owner.describe() + " at offset "
                        + Long.toUnsignedString(offset)
                        + " is past the end of its string table section [" + owner.link() + "] ("
                        + strings.limit() + " bytes)");
            }
            int start = (int) offset;
            for (int i = start; i < strings.limit(); i++) {
                if (strings.get(i) == 0) {
                    byte[] name = new byte[i - start];
                    strings.get(start, name);
                    return new String(name, StandardCharsets.UTF_8);
                }
            }
            throw error("a name of " + owner.describe() + " at offset " + offset
                    + " in string table section [" + owner.link()
                    + "] runs to the table's end without a terminating NUL");
        }

        private String readDynamic(Section dynamic, List<String> needed) throws IOException {
            int entrySize = is64 ? 16 : 8;
            if (dynamic.entsize() != 0 && dynamic.entsize() != entrySize) {
                throw error(dynamic.describe() + " has sh_entsize " + dynamic.entsize()
                        + ", expected " + entrySize + " for ELF" + bits());
            }
            ByteBuffer entries = content(dynamic);
            ByteBuffer strings = linkedStrings(dynamic);
            String soname = null;
            for (int p = 0; p + entrySize <= entries.limit(); p += entrySize) {
                long tag = is64 ? entries.getLong(p) : entries.getInt(p);
                long value = is64 ? entries.getLong(p + 8) : u32(entries, p + 4);
                if (tag == DT_NULL) {
                    break;
                } else if (tag == DT_NEEDED) {
                    needed.add(string(strings, value, dynamic));
                } else if (tag == DT_SONAME) {
                    soname = string(strings, value, dynamic);
                }
            }
            return soname;
        }

        private List<VersionNeed> readVerneed(Section verneed) throws IOException {
            ByteBuffer v = content(verneed);
            ByteBuffer strings = linkedStrings(verneed);
            long limit = v.limit();
            long declared = verneed.info();
            long room = limit / VERNEED_SIZE;
            if (declared > room) {
                throw error(verneed.describe() + " declares " + declared
                        + " Elf_Verneed entries in sh_info, but its " + limit
                        + " bytes hold at most " + room);
            }
            List<VersionNeed> needs = new ArrayList<>();
            long entries = declared != 0 ? declared : room;
            long offset = 0;
            for (long e = 0; e < entries; e++) {
                if (offset + VERNEED_SIZE > limit) {
                    throw error("Elf_Verneed #" + e + " at offset " + offset + " extends past the end of "
                            + verneed.describe() + " (" + limit + " bytes)");
                }
                int at = (int) offset;
                int version = u16(v, at);
                if (version != 1) {
                    throw error("Elf_Verneed #" + e + " at offset " + offset + " of "
                            + verneed.describe() + " has vn_version " + version + ", expected 1");
                }
                int count = u16(v, at + 2);
                String file = string(strings, u32(v, at + 4), verneed);
                long aux = offset + u32(v, at + 8);
                long next = u32(v, at + 12);
                for (int j = 0; j < count; j++) {
                    if (aux + VERNAUX_SIZE > limit) {
                        throw error("Elf_Vernaux #" + j + " of " + file + " at offset " + aux
                                + " extends past the end of " + verneed.describe() + " ("
                                + limit + " bytes)");
                    }
                    needs.add(new VersionNeed(file, string(strings, u32(v, (int) aux + 8), verneed)));
                    long auxNext = u32(v, (int) aux + 12);
                    if (auxNext == 0 && j < count - 1) {
                        throw error("Elf_Verneed #" + e + " (" + file + ") declares vn_cnt " + count
                                + ", but its Elf_Vernaux chain ends after " + (j + 1));
                    }
                    aux += auxNext;
                }
                if (next == 0) {
                    if (declared != 0 && e < declared - 1) {
                        throw error(verneed.describe() + " declares " + declared
                                + " Elf_Verneed entries in sh_info, but the chain ends after "
                                + (e + 1));
                    }
                    break;
                }
                offset += next;
            }
            return needs;
        }

        private ByteBuffer read(long offset, long length) throws IOException {
            return bytes.read(offset, (int) length).order(order);
        }

        private long word(ByteBuffer b, int at) {
            return is64 ? b.getLong(at) : u32(b, at);
        }

        private static int u16(ByteBuffer b, int at) {
            return Short.toUnsignedInt(b.getShort(at));
        }

        private static long u32(ByteBuffer b, int at) {
            return Integer.toUnsignedLong(b.getInt(at));
        }

        private ElfFormatException error(String detail) {
            return new ElfFormatException(source, detail);
        }
    }
}
