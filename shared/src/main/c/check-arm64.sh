#!/usr/bin/env bash
# Runs the checked-in arm64 libmediaflowjpeg under qemu and compares it with the x86_64 build: the
# same JPEGs decoded (planes' checksum, status) and encoded (bytes' checksum) by both, through
# check/compare.c, which calls the two JNI functions directly (a stub JNIEnv for the encode's
# byte[]). Not part of mvn verify: it needs qemu-user and Debian's aarch64 cross toolchain
# (apt-get install qemu-user gcc-aarch64-linux-gnu), which CI does not have. Exit 1 on a difference.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../../../.." && pwd)
version=$(sed -n 's:.*<leptonica.version>\(.*\)</leptonica.version>.*:\1:p' "$repo/pom.xml")
m2="${MAVEN_REPO:-$HOME/.m2/repository}/org/bytedeco/leptonica/$version"
java_home="${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")}"
natives="$here/../natives/com/mediaflow/natives"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for arch in x86_64 arm64; do
  mkdir -p "$work/$arch"
  unzip -q -j -o "$m2/leptonica-$version-linux-$arch.jar" "org/bytedeco/leptonica/linux-$arch/libleptonica.so.6" \
    "org/bytedeco/leptonica/linux-$arch/libgomp.so.1" -d "$work/$arch"
  cp "$natives/linux-$arch/libmediaflowjpeg.so" "$work/$arch/"
done
cc_flags=(-O1 -I "$java_home/include" -I "$java_home/include/linux" "$here/check/compare.c")
gcc "${cc_flags[@]}" -L "$work/x86_64" -l:libmediaflowjpeg.so -Wl,-rpath-link,"$work/x86_64" -o "$work/compare-x86_64"
aarch64-linux-gnu-gcc "${cc_flags[@]}" -L "$work/arm64" -l:libmediaflowjpeg.so -Wl,-rpath-link,"$work/arm64" -o "$work/compare-arm64"
photo="$repo/corpus/exif-orientation/Landscape_1.jpg" # 1800x1200
head -c 30000 "$photo" > "$work/cut.jpg"
head -c 400 "$photo" > "$work/header-only.jpg"
echo "not a JPEG" > "$work/text.jpg"
status=0
for input in "$photo:1" "$photo:2" "$photo:4" "$photo:8" "$work/cut.jpg:2" "$work/header-only.jpg:2" "$work/text.jpg:2"; do
  file=${input%:*}; reduction=${input##*:}
  x86=$(LD_LIBRARY_PATH="$work/x86_64" "$work/compare-x86_64" "$file" 1800 1200 "$reduction" | tr '\n' ' ')
  arm=$(LD_LIBRARY_PATH="$work/arm64" qemu-aarch64 -L /usr/aarch64-linux-gnu "$work/compare-arm64" "$file" 1800 1200 "$reduction" | tr '\n' ' ')
  if [ "$x86" = "$arm" ]; then echo "same   $(basename "$file") 1/$reduction: $arm"; else echo "DIFFER $(basename "$file") 1/$reduction: x86_64 $x86 / arm64 $arm"; status=1; fi
done
exit $status
