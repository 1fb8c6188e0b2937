package com.mediaflow.shared.natives;

import java.util.List;

/**
 * One ELF file of a package.
 *
 * @param location where it is: a path, or {@code some.jar!/org/.../libavutil.so.59} (nested jars
 *     chain {@code !/})
 * @param name its file name, the last part of the location
 * @param aliases other names it is shipped under (symbolic links to it in the same folder)
 * @param elf what it needs
 */
public record NativeFile(String location, String name, List<String> aliases, ElfFile elf) {

    public NativeFile {
        aliases = List.copyOf(aliases);
    }

    /** The directory or jar folder it is in, {@code location} without the name. */
    public String container() {
        return location.substring(0, location.length() - name.length());
    }
}
