package com.mediaflow.shared.validation.internal.parsers.zip;

/**
 * One entry of a {@link ZipArchive}, as its central directory and local header agree it is.
 *
 * @param name the entry's name, checked: relative, forward slashes, no {@code ..}
 * @param index its position in the central directory
 * @param method 0 (stored) or 8 (deflated)
 * @param crc the CRC-32 of its uncompressed bytes
 * @param compressedSize bytes of its data in the file
 * @param size its uncompressed bytes, as declared (checked when the entry is inflated)
 * @param headerOffset where its local header starts
 * @param dataOffset where its data starts
 * @param descriptor whether a data descriptor follows the data (flag bit 3)
 */
public record ZipEntry(String name, int index, int method, long crc, long compressedSize, long size, long headerOffset,
                       long dataOffset, boolean descriptor) {
    public boolean isDirectory() {
        return name.endsWith("/");
    }

    public boolean stored() {
        return method == 0;
    }
}
