/*
 * check-arm64.sh's probe: decodes FILE (W x H) at 1/REDUCTION with libmediaflowjpeg's decodeGbr,
 * re-encodes the planes with its encodeRgb at quality 75, and prints each call's status and a
 * checksum of what it wrote, so that the x86_64 and arm64 builds can be compared. The JNI functions
 * are called directly; encodeRgb gets a stub JNIEnv with the two calls it makes.
 * Usage: compare FILE W H REDUCTION
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include <jni.h>
jint Java_com_mediaflow_shared_codec_TurboJpeg_decodeGbr(JNIEnv *env, jclass cls, jlong src, jlong length, jint reduction, jlong dst, jint width, jint height, jint stride, jlong planeBytes);
jbyteArray Java_com_mediaflow_shared_codec_TurboJpeg_encodeRgb(JNIEnv *env, jclass cls, jlong src, jint width, jint height, jint stride, jint quality);
static unsigned char *last; static jsize lastLen;
static jbyteArray newArr(JNIEnv *env, jsize n) { (void)env; last = malloc(n); lastLen = n; return (jbyteArray)(void*)last; }
static void setRegion(JNIEnv *env, jbyteArray a, jsize start, jsize len, const jbyte *buf) { (void)env; memcpy((unsigned char*)(void*)a + start, buf, len); }
int main(int argc, char **argv) {
  FILE *f = fopen(argv[1], "rb"); fseek(f, 0, SEEK_END); long n = ftell(f); rewind(f); unsigned char *b = malloc(n); fread(b, 1, n, f); fclose(f);
  int w = atoi(argv[2]), h = atoi(argv[3]), r = atoi(argv[4]);
  int ow = (w + r - 1) / r, oh = (h + r - 1) / r; long stride = (ow + 63) / 64 * 64; long plane = stride * oh + 64;
  unsigned char *out = aligned_alloc(64, 3 * plane);
  int st = Java_com_mediaflow_shared_codec_TurboJpeg_decodeGbr(NULL, NULL, (jlong)(intptr_t)b, n, r, (jlong)(intptr_t)out, ow, oh, stride, plane);
  unsigned long sum = 0; for (long i = 0; i < 3 * plane; i++) sum = sum * 31 + out[i];
  printf("decode status %d %dx%d checksum %lu\n", st, ow, oh, sum);
  struct JNINativeInterface_ fns; memset(&fns, 0, sizeof fns); fns.NewByteArray = newArr; fns.SetByteArrayRegion = setRegion;
  const struct JNINativeInterface_ *envp = &fns; JNIEnv *env = (JNIEnv *)&envp;
  unsigned char *rgb = malloc((size_t)ow * oh * 3);
  for (int y = 0; y < oh; y++) for (int x = 0; x < ow; x++) { rgb[(y*ow+x)*3] = out[2*plane + y*stride + x]; rgb[(y*ow+x)*3+1] = out[y*stride + x]; rgb[(y*ow+x)*3+2] = out[plane + y*stride + x]; }
  jbyteArray j = Java_com_mediaflow_shared_codec_TurboJpeg_encodeRgb(env, NULL, (jlong)(intptr_t)rgb, ow, oh, ow * 3, 75);
  unsigned long es = 0; for (jsize i = 0; i < lastLen; i++) es = es * 31 + last[i];
  printf("encode %s %d bytes checksum %lu\n", j ? "ok" : "null", (int)lastLen, es);
  return 0;
}
