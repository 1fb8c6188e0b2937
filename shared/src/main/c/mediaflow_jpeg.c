/*
 * mediaflow_jpeg: a JPEG decode at 1/1, 1/2, 1/4 or 1/8 size straight into a caller's planes, and a
 * JPEG encode of packed RGB, with libjpeg-turbo's API, for com.mediaflow.shared.codec.TurboJpeg.
 *
 * Why it exists: Leptonica's pixReadMemJpeg (the route before this one) decodes the same way but
 * then repacks every pixel into its own words, a C loop that cost about 5.5 ms of a 31 ms 1/4
 * decode of a 12 MP photo (bench/README.md). Here libjpeg-turbo's rows (its SIMD colour
 * conversion) are split straight into the planes G, B, R that FFmpeg's scalers work on, which
 * also saves every rendition graph its conversion from packed RGB.
 *
 * The encode is libjpeg-turbo's own, with libjpeg's quality scale (the one sharp, libvips and
 * every image tool mean by "quality 85"), Huffman tables optimised per picture, 4:2:0 chroma, the
 * caller's rows read in place: about half the time of FFmpeg's mjpeg encoder with its RGB-to-YUV
 * conversion before it (bench/README.md).
 *
 * Why it is C: libjpeg reports a fatal error by calling error_exit, which must not return. Only
 * longjmp out of it is safe; neither JNI nor an FFM upcall can do that from Java. This file is
 * that handler and nothing more. It reads only what the caller passes (a memory source of the
 * given length) and writes only the caller's planes, after checking that libjpeg's output size is
 * the one the caller allocated for.
 *
 * It links against no libjpeg of its own: the jpeg_* symbols come from the libjpeg-turbo 3.0.1
 * that Leptonica's JavaCPP natives (libleptonica.so.6) link statically and export, which the Java
 * side loads first. Build: build.sh (both architectures, checked in).
 */
#include <jni.h>
#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jpeglib.h"

/* Results, mirrored in TurboJpeg.java. */
#define MF_OK 0
#define MF_REFUSED 1 /* libjpeg stopped with an error: not a JPEG it decodes */
#define MF_WARNED 2  /* decoded, but libjpeg warned (corrupt or truncated data): the caller drops it */
#define MF_SIZE 3    /* the output size or layout is not the one the caller expected */
#define MF_ARGS 4    /* bad arguments */

struct mf_error {
  struct jpeg_error_mgr pub;
  jmp_buf jump;
};

static void mf_error_exit(j_common_ptr cinfo) {
  struct mf_error *err = (struct mf_error *)cinfo->err;
  longjmp(err->jump, 1);
}

/* libjpeg's default prints warnings and errors to stderr; a refusal here is not an error. */
static void mf_output_message(j_common_ptr cinfo) { (void)cinfo; }

/* The error manager of every call: errors longjmp to err->jump, which the caller sets with setjmp
 * in its own frame (setjmp cannot be moved into a helper); messages are dropped. */
static struct jpeg_error_mgr *mf_errors(struct mf_error *err) {
  struct jpeg_error_mgr *pub = jpeg_std_error(&err->pub);
  pub->error_exit = mf_error_exit;
  pub->output_message = mf_output_message;
  return pub;
}

/*
 * Decodes at 1/reduction size into three planes G, B, R (FFmpeg's gbrp, which its scalers read
 * without a conversion), once libjpeg's output size is checked to be width x height: libjpeg-turbo
 * writes 16 rows of packed R,G,B,X into a strip, split here into the planes; plane p starts at
 * dst + p * planeBytes, each has height rows of stride bytes, and the padding after every row and
 * the (planeBytes - height * stride) bytes after every plane are zeroed.
 */
static jint mf_decode_gbr(const unsigned char *src, unsigned long length, int reduction, unsigned char *dst,
                          int width, int height, long stride, long planeBytes) {
  struct jpeg_decompress_struct cinfo;
  struct mf_error err;
  JSAMPROW rows[16];
  unsigned char *volatile strip = NULL; /* read after a longjmp: volatile */
  jint status;

  cinfo.err = mf_errors(&err);
  if (setjmp(err.jump)) {
    jpeg_destroy_decompress(&cinfo);
    free((void *)strip);
    return MF_REFUSED;
  }
  jpeg_create_decompress(&cinfo);
  jpeg_mem_src(&cinfo, src, length);
  jpeg_read_header(&cinfo, TRUE);
  if (cinfo.num_components != 1 && cinfo.num_components != 3) {
    jpeg_destroy_decompress(&cinfo);
    return MF_REFUSED;
  }
  cinfo.out_color_space = JCS_EXT_RGBX; /* 4 bytes a pixel: the split below vectorises with SSE2 and NEON */
  cinfo.scale_num = 1;
  cinfo.scale_denom = (unsigned int)reduction;
  jpeg_start_decompress(&cinfo);
  if (cinfo.output_width != (JDIMENSION)width || cinfo.output_height != (JDIMENSION)height ||
      cinfo.output_components != 4) {
    jpeg_destroy_decompress(&cinfo);
    return MF_SIZE;
  }
  strip = malloc((size_t)width * 4 * 16);
  if (strip == NULL) {
    jpeg_destroy_decompress(&cinfo);
    return MF_REFUSED;
  }
  unsigned char *g = dst;
  unsigned char *b = dst + planeBytes;
  unsigned char *r = dst + 2 * planeBytes;
  while (cinfo.output_scanline < cinfo.output_height) {
    JDIMENSION first = cinfo.output_scanline;
    JDIMENSION n = cinfo.output_height - first;
    if (n > 16) {
      n = 16;
    }
    for (JDIMENSION i = 0; i < n; i++) {
      rows[i] = (JSAMPROW)strip + (size_t)i * (size_t)width * 4;
    }
    JDIMENSION got = jpeg_read_scanlines(&cinfo, rows, n);
    for (JDIMENSION i = 0; i < got; i++) {
      const uint32_t *restrict in = (const uint32_t *)(const void *)rows[i]; /* malloc'd: aligned */
      size_t at = (size_t)(first + i) * (size_t)stride;
      unsigned char *restrict go = g + at;
      unsigned char *restrict bo = b + at;
      unsigned char *restrict ro = r + at;
      for (int x = 0; x < width; x++) {
        uint32_t px; /* bytes R, G, B, X in memory */
        memcpy(&px, in + x, 4);
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
        ro[x] = (unsigned char)px;
        go[x] = (unsigned char)(px >> 8);
        bo[x] = (unsigned char)(px >> 16);
#else
        ro[x] = (unsigned char)(px >> 24);
        go[x] = (unsigned char)(px >> 16);
        bo[x] = (unsigned char)(px >> 8);
#endif
      }
    }
  }
  jpeg_finish_decompress(&cinfo);
  status = cinfo.err->num_warnings > 0 ? MF_WARNED : MF_OK;
  jpeg_destroy_decompress(&cinfo);
  free((void *)strip);
  for (int p = 0; p < 3; p++) {
    unsigned char *plane = dst + p * planeBytes;
    if (stride > width) {
      for (int y = 0; y < height; y++) {
        memset(plane + (size_t)y * (size_t)stride + (size_t)width, 0, (size_t)(stride - width));
      }
    }
    memset(plane + (size_t)height * (size_t)stride, 0, (size_t)(planeBytes - (long)height * stride));
  }
  return status;
}

/*
 * Decodes the length bytes at src at 1/reduction size into the planes G, B, R at dst (see
 * mf_decode_gbr): rows of stride bytes, plane p at dst + p * planeBytes.
 */
JNIEXPORT jint JNICALL Java_com_mediaflow_shared_codec_TurboJpeg_decodeGbr(JNIEnv *env, jclass cls, jlong src,
                                                                         jlong length, jint reduction, jlong dst,
                                                                         jint width, jint height, jint stride,
                                                                         jlong planeBytes) {
  (void)env;
  (void)cls;
  if (src == 0 || dst == 0 || length <= 0 || width <= 0 || height <= 0 || stride < width ||
      planeBytes < (jlong)height * stride || (reduction != 1 && reduction != 2 && reduction != 4 && reduction != 8)) {
    return MF_ARGS;
  }
  return mf_decode_gbr((const unsigned char *)(intptr_t)src, (unsigned long)length, reduction,
                       (unsigned char *)(intptr_t)dst, width, height, stride, planeBytes);
}

/*
 * Encodes height rows of width packed R,G,B pixels, stride bytes apart from src, as a baseline JPEG of
 * libjpeg quality 1-100 (4:2:0, optimised Huffman tables). Returns a new byte[], or NULL when libjpeg
 * stopped with an error or the arguments are bad (the caller encodes another way).
 */
JNIEXPORT jbyteArray JNICALL Java_com_mediaflow_shared_codec_TurboJpeg_encodeRgb(JNIEnv *env, jclass cls, jlong src,
                                                                              jint width, jint height, jint stride,
                                                                              jint quality) {
  struct jpeg_compress_struct cinfo;
  struct mf_error err;
  unsigned char *out = NULL;
  unsigned long size = 0;
  JSAMPROW rows[16];
  const unsigned char *pixels = (const unsigned char *)(intptr_t)src;
  jbyteArray result;

  (void)cls;
  if (src == 0 || width <= 0 || height <= 0 || width > 65500 || height > 65500 || stride < (jlong)width * 3 ||
      quality < 1 || quality > 100) {
    return NULL;
  }
  cinfo.err = mf_errors(&err);
  if (setjmp(err.jump)) {
    jpeg_destroy_compress(&cinfo);
    free(out); /* the memory destination's buffer, if it got one */
    return NULL;
  }
  jpeg_create_compress(&cinfo);
  jpeg_mem_dest(&cinfo, &out, &size);
  cinfo.image_width = (JDIMENSION)width;
  cinfo.image_height = (JDIMENSION)height;
  cinfo.input_components = 3;
  cinfo.in_color_space = JCS_RGB;
  jpeg_set_defaults(&cinfo);
  jpeg_set_quality(&cinfo, quality, TRUE);
  cinfo.optimize_coding = TRUE;
  jpeg_start_compress(&cinfo, TRUE);
  while (cinfo.next_scanline < cinfo.image_height) {
    JDIMENSION first = cinfo.next_scanline;
    JDIMENSION n = cinfo.image_height - first;
    if (n > 16) {
      n = 16;
    }
    for (JDIMENSION i = 0; i < n; i++) {
      rows[i] = (JSAMPROW)(pixels + (size_t)(first + i) * (size_t)stride);
    }
    jpeg_write_scanlines(&cinfo, rows, n);
  }
  jpeg_finish_compress(&cinfo);
  jpeg_destroy_compress(&cinfo);
  result = (*env)->NewByteArray(env, (jsize)size);
  if (result != NULL) {
    (*env)->SetByteArrayRegion(env, result, 0, (jsize)size, (const jbyte *)out);
  }
  free(out);
  return result;
}
