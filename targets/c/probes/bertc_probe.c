/*
 * Machine probes for `calibrate` (src/calibrate.ts) and bench/gemm.mjs. Build with
 *   cc -std=c11 -O3 -march=native -fopenmp -I targets/c/runtime bertc_probe.c -o bertc_probe
 * Each command prints `key value` lines; rates are the best of repeated timed runs, because the
 * slow runs measure interference (other processes, frequency ramps), not the machine.
 *
 *   bertc_probe fma SECONDS             peak f32 FMA rate, one thread and all threads (GFLOP/s)
 *   bertc_probe sgemm M N K LAYOUT BATCH THREADS SECONDS
 *                                       bertc_sgemm rate (GFLOP/s); LAYOUT is
 *                                         nn  A [M,K] and B [K,N] row-major
 *                                         nt  B given as W [N,K] row-major (x @ W^T)
 *                                         qk  BATCH heads of Q K^T: A and B are column slices of
 *                                             [M, BATCH*K] tensors, B read transposed
 *                                         pv  BATCH heads of P V: A is [BATCH, M, K], B a column
 *                                             slice of [K, BATCH*N], C a slice of [M, BATCH*N]
 *                                       THREADS split the batch, or N when BATCH is 1
 *   bertc_probe copy MIB SECONDS        copy bandwidth between two MIB-sized arrays on all
 *                                       threads, counting bytes read plus bytes written (B/s)
 */
#define _POSIX_C_SOURCE 199309L
#include "bertc_runtime.h"

#include <time.h>

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

/* Runs `body(arg)` (which reports the flops or bytes it did) repeatedly for about `seconds`:
 * first growing the repetition count until one timed run takes a tenth of the time, then timing
 * runs of that count; returns the best rate. */
typedef double (*probe_body)(void *arg, long reps);

static double best_rate(probe_body body, void *arg, double seconds) {
  long reps = 1;
  double t, work;
  for (;;) {
    const double t0 = now();
    work = body(arg, reps);
    t = now() - t0;
    if (t >= seconds / 10 || reps > (1L << 40)) break;
    reps *= t > 0 ? (long)(seconds / 10 / t) + 1 : 16;
  }
  double best = work / t;
  const double end = now() + seconds * 0.9;
  while (now() < end) {
    const double t0 = now();
    work = body(arg, reps);
    const double r = work / (now() - t0);
    if (r > best) best = r;
  }
  return best;
}

/* ---------------------------------------------------------------------------------------------- */
/* FMA peak: 16 independent accumulator vectors, enough to cover the FMA latency (4 cycles on Zen
 * 4) times the pipes that issue it; each iteration is 16 x 16 lanes x 2 flops. The accumulators
 * stay bounded (they gain 1e-6 per step) and are printed, so the loop cannot be removed. */

#define PEAK_ACC 16
static volatile float peak_sink;

static double fma_loop(long iters) {
  bertc_v16 acc[PEAK_ACC], x, y;
  for (int j = 0; j < 16; j++) x[j] = 1e-3f, y[j] = 1e-3f;
  for (int i = 0; i < PEAK_ACC; i++) acc[i] = x * (float)i;
  for (long it = 0; it < iters; it++)
    for (int i = 0; i < PEAK_ACC; i++) bertc_v16_fma(&acc[i], &x, &y);
  float s = 0;
  for (int i = 0; i < PEAK_ACC; i++) s += acc[i][i];
  peak_sink = s;
  return (double)iters * PEAK_ACC * 16 * 2;
}

static double fma_one(void *arg, long reps) {
  (void)arg;
  return fma_loop(reps * 1000);
}

static double fma_all(void *arg, long reps) {
  (void)arg;
  double flops = 0;
#ifdef _OPENMP
#pragma omp parallel reduction(+ : flops)
#endif
  flops += fma_loop(reps * 1000);
  return flops;
}

/* ---------------------------------------------------------------------------------------------- */
/* bertc_sgemm */

enum { NN, NT, QK, PV };

typedef struct {
  int M, N, K, layout, batch, threads;
  float *a, *b, *c;
  float **ws;
  bertc_blocking blk;
} gemm_probe;

static void gemm_one(const gemm_probe *g, int h, int n0, int n1, float *ws) {
  const int M = g->M, N = g->N, K = g->K, H = g->batch, n = n1 - n0;
  switch (g->layout) {
  case NN: bertc_sgemm(M, n, K, g->a, K, 1, g->b + n0, N, 1, g->c + n0, N, &g->blk, ws); break;
  case NT: bertc_sgemm(M, n, K, g->a, K, 1, g->b + (ptrdiff_t)n0 * K, 1, K, g->c + n0, N, &g->blk, ws); break;
  case QK:
    bertc_sgemm(M, n, K, g->a + (ptrdiff_t)h * K, (ptrdiff_t)H * K, 1, g->b + (ptrdiff_t)h * K + (ptrdiff_t)n0 * H * K, 1, (ptrdiff_t)H * K,
                g->c + (ptrdiff_t)h * M * N + n0, N, &g->blk, ws);
    break;
  default:
    bertc_sgemm(M, n, K, g->a + (ptrdiff_t)h * M * K, K, 1, g->b + (ptrdiff_t)h * N + n0, (ptrdiff_t)H * N, 1, g->c + (ptrdiff_t)h * N + n0,
                (ptrdiff_t)H * N, &g->blk, ws);
    break;
  }
}

static double gemm_body(void *arg, long reps) {
  const gemm_probe *g = (const gemm_probe *)arg;
  for (long r = 0; r < reps; r++) {
#ifdef _OPENMP
#pragma omp parallel num_threads(g->threads)
#endif
    {
      const int t = bertc_thread_num(), nt = g->threads;
      if (g->batch > 1) {
        int h0, h1;
        bertc_split(g->batch, nt, t, 1, &h0, &h1);
        for (int h = h0; h < h1; h++) gemm_one(g, h, 0, g->N, g->ws[t]);
      } else {
        int n0, n1;
        bertc_split(g->N, nt, t, g->blk.nr, &n0, &n1);
        if (n1 > n0) gemm_one(g, 0, n0, n1, g->ws[t]);
      }
    }
  }
  return 2.0 * g->M * g->N * g->K * g->batch * (double)reps;
}

static int probe_sgemm(char **argv) {
  gemm_probe g;
  g.M = atoi(argv[0]), g.N = atoi(argv[1]), g.K = atoi(argv[2]);
  static const char *const layouts[] = {"nn", "nt", "qk", "pv"};
  g.layout = -1;
  for (int i = 0; i < 4; i++)
    if (strcmp(argv[3], layouts[i]) == 0) g.layout = i;
  g.batch = atoi(argv[4]), g.threads = atoi(argv[5]);
  const double seconds = atof(argv[6]);
  /* A batch of nn or nt products would all write the same C. */
  if (g.M <= 0 || g.N <= 0 || g.K <= 0 || g.layout < 0 || g.batch <= 0 || (g.layout < QK && g.batch != 1) || g.threads <= 0) {
    fprintf(stderr, "bertc_probe sgemm: bad arguments\n");
    return 2;
  }
  g.blk = BERTC_BLOCKING_DEFAULT;
  const size_t na = (size_t)g.batch * g.M * g.K, nb = (size_t)g.batch * g.K * g.N, nc = (size_t)g.batch * g.M * g.N;
  g.a = (float *)bertc_alloc(na * sizeof(float));
  g.b = (float *)bertc_alloc(nb * sizeof(float));
  g.c = (float *)bertc_alloc(nc * sizeof(float));
  g.ws = (float **)calloc((size_t)g.threads, sizeof(float *));
  if (g.a == NULL || g.b == NULL || g.c == NULL || g.ws == NULL) return fprintf(stderr, "bertc_probe: out of memory\n"), 1;
  for (size_t i = 0; i < na; i++) g.a[i] = (float)(i % 13) * 0.01f;
  for (size_t i = 0; i < nb; i++) g.b[i] = (float)(i % 7) * 0.01f;
  for (int t = 0; t < g.threads; t++) {
    g.ws[t] = (float *)bertc_alloc(bertc_sgemm_workspace_floats(&g.blk) * sizeof(float));
    if (g.ws[t] == NULL) return fprintf(stderr, "bertc_probe: out of memory\n"), 1;
  }
  printf("sgemm_gflops %.2f\n", best_rate(gemm_body, &g, seconds) / 1e9);
  for (int t = 0; t < g.threads; t++) bertc_free_aligned(g.ws[t]);
  free(g.ws);
  bertc_free_aligned(g.a), bertc_free_aligned(g.b), bertc_free_aligned(g.c);
  return 0;
}

/* ---------------------------------------------------------------------------------------------- */
/* Copy bandwidth, STREAM's "copy" kernel: the arrays are far larger than the last-level cache.
 * bertc_alloc zeroes them, so every page is mapped before timing starts. */

typedef struct {
  float *src, *dst;
  size_t n;
} copy_probe;

static double copy_body(void *arg, long reps) {
  const copy_probe *c = (const copy_probe *)arg;
  for (long r = 0; r < reps; r++) {
    const long n = (long)c->n;
#ifdef _OPENMP
#pragma omp parallel for schedule(static)
#endif
    for (long i = 0; i < n; i++) c->dst[i] = c->src[i];
  }
  return 2.0 * (double)c->n * sizeof(float) * (double)reps;
}

static int probe_copy(char **argv) {
  const size_t mib = (size_t)atol(argv[0]);
  const double seconds = atof(argv[1]);
  copy_probe c;
  c.n = mib * 1024 * 1024 / sizeof(float);
  c.src = (float *)bertc_alloc(c.n * sizeof(float));
  c.dst = (float *)bertc_alloc(c.n * sizeof(float));
  if (c.n == 0 || c.src == NULL || c.dst == NULL) return fprintf(stderr, "bertc_probe copy: cannot allocate 2 x %zu MiB\n", mib), 1;
  printf("copy_bytes_per_s %.6g\n", best_rate(copy_body, &c, seconds));
  printf("threads %d\n", bertc_max_threads());
  bertc_free_aligned(c.src), bertc_free_aligned(c.dst);
  return 0;
}

int main(int argc, char **argv) {
  if (argc == 3 && strcmp(argv[1], "fma") == 0) {
    const double seconds = atof(argv[2]) / 2;
    printf("fma_gflops_1 %.2f\n", best_rate(fma_one, NULL, seconds) / 1e9);
    printf("fma_gflops_all %.2f\n", best_rate(fma_all, NULL, seconds) / 1e9);
    printf("threads %d\n", bertc_max_threads());
    return 0;
  }
  if (argc == 9 && strcmp(argv[1], "sgemm") == 0) return probe_sgemm(argv + 2);
  if (argc == 4 && strcmp(argv[1], "copy") == 0) return probe_copy(argv + 2);
  fprintf(stderr, "usage: bertc_probe fma SECONDS | sgemm M N K LAYOUT BATCH THREADS SECONDS | copy MIB SECONDS\n");
  return 2;
}
