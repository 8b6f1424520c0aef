/*
 * What two processes at once can get from this machine, for comparison with `npm run bench --
 * --workers 2`: a memory-bound loop (STREAM triad over a working set of the given bytes) or a
 * compute-bound one (independent AVX2 FMA chains, no memory traffic). Prints one number: GB/s or
 * GFLOP/s. Built and run by bench/machine-scaling.sh.
 *   machine-scaling triad BYTES SECONDS | machine-scaling fma SECONDS
 */
#include <immintrin.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + 1e-9 * t.tv_nsec;
}

static double triad(size_t bytes, double seconds) {
  size_t n = bytes / 12;
  float *a = aligned_alloc(64, n * 4 + 64), *b = aligned_alloc(64, n * 4 + 64), *c = aligned_alloc(64, n * 4 + 64);
  for (size_t i = 0; i < n; i++) a[i] = 0, b[i] = 1, c[i] = 2;
  double moved = 0, t0 = now();
  while (now() - t0 < seconds) {
    for (size_t i = 0; i < n; i++) a[i] = b[i] + 1.5f * c[i];
    moved += 12.0 * n;
  }
  double rate = moved / (now() - t0) / 1e9;
  if (a[n / 2] != 4.f) rate = -1; /* keeps the loop from being optimised away */
  free(a), free(b), free(c);
  return rate;
}

static double fmaChains(double seconds) {
  __m256 acc[10];
  for (int k = 0; k < 10; k++) acc[k] = _mm256_set1_ps(k * 1e-3f);
  const __m256 m = _mm256_set1_ps(0.999999f), add = _mm256_set1_ps(1e-7f);
  double flops = 0, t0 = now();
  while (now() - t0 < seconds) {
    for (int r = 0; r < 1000000; r++)
      for (int k = 0; k < 10; k++) acc[k] = _mm256_fmadd_ps(acc[k], m, add);
    flops += 1e6 * 10 * 16;
  }
  float sink[8];
  _mm256_storeu_ps(sink, acc[3]);
  return sink[0] > 1e9f ? -1 : flops / (now() - t0) / 1e9;
}

int main(int argc, char** argv) {
  if (argc == 4 && !strcmp(argv[1], "triad")) printf("%.2f\n", triad(strtoull(argv[2], 0, 10), atof(argv[3])));
  else if (argc == 3 && !strcmp(argv[1], "fma")) printf("%.2f\n", fmaChains(atof(argv[2])));
  else return fprintf(stderr, "usage: machine-scaling triad BYTES SECONDS | machine-scaling fma SECONDS\n"), 2;
  return 0;
}
