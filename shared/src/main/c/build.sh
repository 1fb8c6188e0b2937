#!/usr/bin/env bash
# Builds libmediaflowjpeg.so (mediaflow_jpeg.c) for both Lambda architectures into
# ../natives/com/mediaflow/natives/linux-{x86_64,arm64}/ and records the source's SHA-256 beside
# them (JpegShimTest fails when the source changes without a rebuild). The binaries are
# checked in, so neither `mvn verify` nor a fresh machine needs a C compiler.
#
# Needs: gcc and gcc-aarch64-linux-gnu (Debian: apt-get install gcc gcc-aarch64-linux-gnu), a JDK
# (for jni.h) and Maven's local repository holding Leptonica's JavaCPP natives for both
# architectures (mvn verify puts the x86_64 ones there; the function packages' build the arm64).
#
# The library links against libleptonica.so.6 (its NEEDED entry), whose statically linked
# libjpeg-turbo 3.0.1 exports the jpeg_* API, and compiles against that libjpeg-turbo's own
# headers, which the same Leptonica jar carries (include/jpeglib.h, jconfig.h, jmorecfg.h;
# JPEG_LIB_VERSION 62). -O3 without _FORTIFY_SOURCE keeps the glibc symbol versions at GLIBC_2.2.5
# (x86_64) and GLIBC_2.17 (arm64), far below Lambda's 2.34. The builds are reproducible (no build
# id): the same source gives the same bytes. check-arm64.sh runs the arm64 build under qemu.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out="$here/../natives/com/mediaflow/natives"
repo=$(cd "$here/../../../.." && pwd)
version=$(sed -n 's:.*<leptonica.version>\(.*\)</leptonica.version>.*:\1:p' "$repo/pom.xml")
m2="${MAVEN_REPO:-$HOME/.m2/repository}/org/bytedeco/leptonica/$version"
java_home="${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

build() { # arch compiler
  local arch=$1 cc=$2
  local jar="$m2/leptonica-$version-linux-$arch.jar"
  [ -f "$jar" ] || { echo "missing $jar (mvn dependency:get -Dartifact=org.bytedeco:leptonica:$version:jar:linux-$arch)" >&2; exit 1; }
  mkdir -p "$work/$arch" "$out/linux-$arch"
  (cd "$work/$arch" && unzip -q -j -o "$jar" "org/bytedeco/leptonica/linux-$arch/libleptonica.so.6" \
    "org/bytedeco/leptonica/linux-$arch/include/jpeglib.h" "org/bytedeco/leptonica/linux-$arch/include/jconfig.h" \
    "org/bytedeco/leptonica/linux-$arch/include/jmorecfg.h")
  "$cc" -std=c99 -O3 -fPIC -shared -U_FORTIFY_SOURCE -fno-stack-protector -Wall -Wextra -Werror \
    -I "$work/$arch" -I "$java_home/include" -I "$java_home/include/linux" \
    -o "$out/linux-$arch/libmediaflowjpeg.so" "$here/mediaflow_jpeg.c" \
    -L "$work/$arch" -l:libleptonica.so.6 -Wl,--no-undefined -Wl,-soname,libmediaflowjpeg.so \
    -Wl,--build-id=none -Wl,--hash-style=gnu
  "${cc%gcc}strip" --strip-unneeded "$out/linux-$arch/libmediaflowjpeg.so"
  echo "built $out/linux-$arch/libmediaflowjpeg.so ($(stat -c %s "$out/linux-$arch/libmediaflowjpeg.so") bytes) with $("$cc" --version | head -1)"
}

build x86_64 gcc
build arm64 aarch64-linux-gnu-gcc
sha256sum "$here/mediaflow_jpeg.c" | cut -d' ' -f1 > "$out/mediaflow_jpeg.c.sha256"
