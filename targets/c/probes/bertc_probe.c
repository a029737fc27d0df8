/*
 * Machine probes for `calibrate` (src/calibrate.ts) and bench/gemm.mjs. Build with
 *   cc -std=c11 -O3 -march=native -fopenmp -I targets/c/runtime bertc_probe.c -o bertc_probe -lm
 * Each command prints `key value` lines; rates are the best of repeated timed runs, because the
 * slow runs measure interference (other processes, frequency ramps), not the machine.
 *
 *   bertc_probe fma SECONDS             peak f32 FMA rate, one thread and all threads (GFLOP/s)
 *   bertc_probe sgemm M N K LAYOUT BATCH THREADS SECONDS [MR NR [TYPE]]
 *                                       bertc_sgemm rate (GFLOP/s), with the default blocking or
 *                                       its MR x NR register blocking; with TYPE bf16 or f16,
 *                                       bertc_gemm's on operands of that type (both; converted
 *                                       to f32 as they are packed, C in f32); LAYOUT is
 *                                         nn  A [M,K] and B [K,N] row-major
 *                                         nt  B given as W [N,K] row-major (x @ W^T)
 *                                         qk  BATCH heads of Q K^T: A and B are column slices of
 *                                             [M, BATCH*K] tensors, B read transposed
 *                                         pv  BATCH heads of P V: A is [BATCH, M, K], B a column
 *                                             slice of [K, BATCH*N], C a slice of [M, BATCH*N]
 *                                       THREADS split the batch, or N when BATCH is 1
 *   bertc_probe copy MIB SECONDS        copy bandwidth between two MIB-sized arrays on all
 *                                       threads, counting bytes read plus bytes written (B/s)
 *   bertc_probe layernorm ROWS SECONDS  bias + residual + layernorm over ROWS rows of 768 floats,
 *                                       written as bertc generates it, on all threads (vector
 *                                       FLOP/s counted as src/cost/flops.ts counts them)
 *   bertc_probe special N SECONDS       exp, erf (through GELU), tanh and rsqrt as generated code
 *                                       evaluates them, over N floats on all threads
 *                                       (evaluations/s)
 *   bertc_probe stream ROWS MIB SECONDS the layernorm kernel of ROWS rows as one pool job, on
 *                                       inputs and outputs cycling through MIB MiB (bytes read
 *                                       + written per second), and the time of an empty pool
 *                                       job (the launch overhead, seconds), on all cores
 *
 * The last two measure the code bertc generates, not the hardware: the helpers are the C backend's
 * own (bertc_helpers.h, generated from C_HELPERS in targets/common/renderer.ts), and the probe must
 * be compiled with the flags the generated Makefile uses (no -ffast-math), because
 * those decide what vectorises.
 */
#define _POSIX_C_SOURCE 199309L
#include "bertc_runtime.h"

#include <math.h>
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
/* FMA peak: independent accumulator vectors, enough to cover the FMA latency (4 cycles on Zen)
 * times the two pipes that issue it, and no more than the registers hold: 16 of 16 lanes with
 * AVX-512's 32 registers, 6 (12 of AVX2's 16 registers, two per vector) otherwise, so that none
 * spills. Each iteration is PEAK_ACC x 16 lanes x 2 flops. The accumulators stay bounded (they gain
 * 1e-6 per step) and every lane of every one is summed and kept: a lane left unread would let the
 * compiler drop its half of the work (GCC did, with AVX2, and the peak read twice the truth). */

#if defined(__AVX512F__)
#define PEAK_ACC 16
#else
#define PEAK_ACC 6
#endif
static volatile float peak_sink;

static double fma_loop(long iters) {
  bertc_v16 acc[PEAK_ACC], x, y;
  for (int j = 0; j < 16; j++) x[j] = 1e-3f, y[j] = 1e-3f;
  for (int i = 0; i < PEAK_ACC; i++) acc[i] = x * (float)i;
  for (long it = 0; it < iters; it++)
    for (int i = 0; i < PEAK_ACC; i++) bertc_v16_fma(&acc[i], &x, &y);
  float s = 0;
  for (int i = 0; i < PEAK_ACC; i++)
    for (int j = 0; j < 16; j++) s += acc[i][j];
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
  int type; /* of both operands: BERTC_F32 (bertc_sgemm), BERTC_F16 or BERTC_BF16 (bertc_gemm) */
  void *a, *b;
  float *c;
  float **ws;
  bertc_blocking blk;
} gemm_probe;

/* One product with operands at element offsets ao and bo of A and B, as the generated code calls it. */
static void gemm_call(const gemm_probe *g, int M, int n, int K, ptrdiff_t ao, ptrdiff_t a_rs, ptrdiff_t a_cs, ptrdiff_t bo, ptrdiff_t b_rs,
                      ptrdiff_t b_cs, float *c, ptrdiff_t ldc, float *ws) {
  if (g->type == BERTC_F32)
    bertc_sgemm(M, n, K, (const float *)g->a + ao, a_rs, a_cs, (const float *)g->b + bo, b_rs, b_cs, c, ldc, &g->blk, ws);
  else
    bertc_gemm(M, n, K, (const uint16_t *)g->a + ao, g->type, a_rs, a_cs, (const uint16_t *)g->b + bo, g->type, b_rs, b_cs, c, ldc, &g->blk, ws);
}

static void gemm_one(const gemm_probe *g, int h, int n0, int n1, float *ws) {
  const int M = g->M, N = g->N, K = g->K, H = g->batch, n = n1 - n0;
  switch (g->layout) {
  case NN: gemm_call(g, M, n, K, 0, K, 1, n0, N, 1, g->c + n0, N, ws); break;
  case NT: gemm_call(g, M, n, K, 0, K, 1, (ptrdiff_t)n0 * K, 1, K, g->c + n0, N, ws); break;
  case QK:
    gemm_call(g, M, n, K, (ptrdiff_t)h * K, (ptrdiff_t)H * K, 1, (ptrdiff_t)h * K + (ptrdiff_t)n0 * H * K, 1, (ptrdiff_t)H * K,
              g->c + (ptrdiff_t)h * M * N + n0, N, ws);
    break;
  default:
    gemm_call(g, M, n, K, (ptrdiff_t)h * M * K, K, 1, (ptrdiff_t)h * N + n0, (ptrdiff_t)H * N, 1, g->c + (ptrdiff_t)h * N + n0, (ptrdiff_t)H * N,
              ws);
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
  /* An optional register blocking MR NR: calibrate times each one the runtime vectorises. */
  g.type = BERTC_F32;
  if (argv[7] && argv[8] && argv[9]) {
    static const char *const types[] = {"f32", "f16", "bf16"};
    g.type = -1;
    for (int i = 0; i < 3; i++)
      if (strcmp(argv[9], types[i]) == 0) g.type = i;
    if (g.type < 0) return fprintf(stderr, "bertc_probe sgemm: TYPE is f32, f16 or bf16\n"), 2;
  }
  if (argv[7] && argv[8]) {
    g.blk.mr = atoi(argv[7]), g.blk.nr = atoi(argv[8]);
    if (g.blk.mr <= 0 || g.blk.nr <= 0) return fprintf(stderr, "bertc_probe sgemm: bad MR NR\n"), 2;
    g.blk.mc = (g.blk.mc + g.blk.mr - 1) / g.blk.mr * g.blk.mr;
    g.blk.nc = (g.blk.nc + g.blk.nr - 1) / g.blk.nr * g.blk.nr;
  }
  const size_t na = (size_t)g.batch * g.M * g.K, nb = (size_t)g.batch * g.K * g.N, nc = (size_t)g.batch * g.M * g.N;
  const size_t item = g.type == BERTC_F32 ? sizeof(float) : sizeof(uint16_t);
  g.a = bertc_alloc(na * item);
  g.b = bertc_alloc(nb * item);
  g.c = (float *)bertc_alloc(nc * sizeof(float));
  g.ws = (float **)calloc((size_t)g.threads, sizeof(float *));
  if (g.a == NULL || g.b == NULL || g.c == NULL || g.ws == NULL) return fprintf(stderr, "bertc_probe: out of memory\n"), 1;
  for (size_t i = 0; i < na + nb; i++) {
    const float v = i < na ? (float)(i % 13) * 0.01f : (float)((i - na) % 7) * 0.01f;
    void *at = i < na ? (char *)g.a + i * item : (char *)g.b + (i - na) * item;
    if (g.type == BERTC_F32) memcpy(at, &v, sizeof v);
    else *(uint16_t *)at = g.type == BERTC_BF16 ? bertc_f32_to_bf16(v) : bertc_f32_to_f16(v);
  }
  for (int t = 0; t < g.threads; t++) {
    g.ws[t] = (float *)bertc_alloc(bertc_sgemm_workspace_floats(&g.blk) * sizeof(float));
    if (g.ws[t] == NULL) return fprintf(stderr, "bertc_probe: out of memory\n"), 1;
  }
  static const char *const keys[] = {"sgemm_gflops", "gemm_f16_gflops", "gemm_bf16_gflops"};
  printf("%s %.2f\n", keys[g.type], best_rate(gemm_body, &g, seconds) / 1e9);
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

/* ---------------------------------------------------------------------------------------------- */
/* Generated code's helpers (bertc_row_sum, bertc_erf, bertc_exp, bertc_gelu): written by
 * src/calibrate.ts from C_HELPERS in targets/common/renderer.ts, the one definition the C backend
 * emits too, so that the probes below compile to the same instructions as a generated model. */
#include "bertc_helpers.h"

/* Keeps the results observable, so that no loop is removed as dead. */
static volatile float result_sink;

/* ---------------------------------------------------------------------------------------------- */
/* Row kernels: BERT's bias + residual + layernorm (k8_bias_residual_layernorm of a BERT-base
 * layer) loop for loop as bertc emits it: one `for j` loop per op into a stack array, row sums by
 * bertc_row_sum, one row per iteration of an OpenMP loop. The cost model's vector time for such a
 * kernel is its FLOPs (src/cost/flops.ts: 1 per element for each add, 7 for layernorm, so 9) over
 * the vector rate; this measures the rate at which the generated code actually does those FLOPs.
 * The repetitions run inside one parallel region (its implicit barrier per pass orders them), so
 * the fork/join that the cost model charges as launch overhead is not part of the rate. */

#define LN_D 768

typedef struct {
  ptrdiff_t rows;
  float *x, *res, *bias, *gamma, *beta, *y;
} ln_probe;

/* One row of the kernel, as the generated code writes its loop body. */
static inline __attribute__((always_inline)) void ln_row(const ln_probe *p, ptrdiff_t row) {
  const float *restrict x = p->x, *restrict res = p->res, *restrict bias = p->bias;
  const float *restrict gamma = p->gamma, *restrict beta = p->beta;
  float *restrict y = p->y;
  float t1[LN_D];
  for (ptrdiff_t j = 0; j < LN_D; j++) t1[j] = (x[row * LN_D + j] + bias[j]);
  float t2[LN_D];
  for (ptrdiff_t j = 0; j < LN_D; j++) t2[j] = (t1[j] + res[row * LN_D + j]);
  float t3_in[LN_D];
  for (ptrdiff_t j = 0; j < LN_D; j++) t3_in[j] = t2[j];
  const float t3_mean = bertc_row_sum(t3_in, LN_D) / 768.0f;
  float t3_sq[LN_D];
  for (ptrdiff_t j = 0; j < LN_D; j++) t3_sq[j] = (t3_in[j] - t3_mean) * (t3_in[j] - t3_mean);
  const float t3_inv = 1.0f / sqrtf(bertc_row_sum(t3_sq, LN_D) / 768.0f + 9.999999960041972e-13f);
  float t3[LN_D];
  for (ptrdiff_t j = 0; j < LN_D; j++) t3[j] = (t3_in[j] - t3_mean) * t3_inv * gamma[j] + beta[j];
  for (ptrdiff_t j = 0; j < LN_D; j++) {
    y[row * LN_D + j] = t3[j];
  }
}

static double ln_body(void *arg, long reps) {
  const ln_probe *p = (const ln_probe *)arg;
  const ptrdiff_t rows = p->rows;
#ifdef _OPENMP
#pragma omp parallel
#endif
  for (long r = 0; r < reps; r++) {
#ifdef _OPENMP
#pragma omp for schedule(static)
#endif
    for (ptrdiff_t row = 0; row < rows; row++) ln_row(p, row);
  }
  return 9.0 * (double)rows * LN_D * (double)reps;
}

static int probe_layernorm(char **argv) {
  ln_probe p;
  p.rows = atol(argv[0]);
  const double seconds = atof(argv[1]);
  if (p.rows <= 0) return fprintf(stderr, "bertc_probe layernorm: bad arguments\n"), 2;
  const size_t n = (size_t)p.rows * LN_D;
  p.x = (float *)bertc_alloc(n * sizeof(float));
  p.res = (float *)bertc_alloc(n * sizeof(float));
  p.y = (float *)bertc_alloc(n * sizeof(float));
  p.bias = (float *)bertc_alloc(LN_D * sizeof(float));
  p.gamma = (float *)bertc_alloc(LN_D * sizeof(float));
  p.beta = (float *)bertc_alloc(LN_D * sizeof(float));
  if (p.x == NULL || p.res == NULL || p.y == NULL || p.bias == NULL || p.gamma == NULL || p.beta == NULL)
    return fprintf(stderr, "bertc_probe: out of memory\n"), 1;
  /* Varied rows, so that the variance is not zero (the values do not change the timing: the
   * kernel has no data-dependent branches). */
  for (size_t i = 0; i < n; i++) p.x[i] = (float)(i % 17) * 0.1f - 0.8f, p.res[i] = (float)(i % 5) * 0.2f;
  for (int j = 0; j < LN_D; j++) p.bias[j] = 0.01f * (float)(j % 3), p.gamma[j] = 1.0f, p.beta[j] = 0.0f;
  printf("layernorm_flops_per_s %.6g\n", best_rate(ln_body, &p, seconds));
  printf("threads %d\n", bertc_max_threads());
  result_sink = p.y[n - 1];
  bertc_free_aligned(p.x), bertc_free_aligned(p.res), bertc_free_aligned(p.y);
  bertc_free_aligned(p.bias), bertc_free_aligned(p.gamma), bertc_free_aligned(p.beta);
  return 0;
}

/* ---------------------------------------------------------------------------------------------- */
/* Special functions as generated code evaluates them, one element per iteration of a loop the
 * compiler may vectorise: bertc_exp (softmax), bertc_gelu (the erf GELU: erf plus its four
 * arithmetic operations, which the cost model overlaps with the erf), bertc_tanh (the tanh op and
 * the pooler) and 1.0f / sqrtf (rsqrt). The arrays stay in cache, so the
 * function, not memory, is the bound; inputs are in the range each meets in BERT. */

enum { SF_EXP, SF_ERF, SF_TANH, SF_RSQRT, SF_COUNT };
static const char *const sf_names[SF_COUNT] = {"exp", "erf", "tanh", "rsqrt"};

typedef struct {
  int fn;
  ptrdiff_t n;
  float *x[SF_COUNT], *y;
} special_probe;

static double special_body(void *arg, long reps) {
  const special_probe *p = (const special_probe *)arg;
  const ptrdiff_t n = p->n;
  const float *restrict x = p->x[p->fn];
  float *restrict y = p->y;
  const int fn = p->fn;
#ifdef _OPENMP
#pragma omp parallel
#endif
  for (long r = 0; r < reps; r++) {
    /* One loop per function, each with the call inlined as in a generated kernel. */
    switch (fn) {
    case SF_EXP:
#ifdef _OPENMP
#pragma omp for schedule(static)
#endif
      for (ptrdiff_t i = 0; i < n; i++) y[i] = bertc_exp(x[i]);
      break;
    case SF_ERF:
#ifdef _OPENMP
#pragma omp for schedule(static)
#endif
      for (ptrdiff_t i = 0; i < n; i++) y[i] = bertc_gelu(x[i]);
      break;
    case SF_TANH:
#ifdef _OPENMP
#pragma omp for schedule(static)
#endif
      for (ptrdiff_t i = 0; i < n; i++) y[i] = bertc_tanh(x[i]);
      break;
    default:
#ifdef _OPENMP
#pragma omp for schedule(static)
#endif
      for (ptrdiff_t i = 0; i < n; i++) y[i] = (1.0f / sqrtf(x[i]));
      break;
    }
  }
  return (double)n * (double)reps;
}

static int probe_special(char **argv) {
  special_probe p;
  p.n = atol(argv[0]);
  const double seconds = atof(argv[1]) / SF_COUNT;
  if (p.n <= 0) return fprintf(stderr, "bertc_probe special: bad arguments\n"), 2;
  p.y = (float *)bertc_alloc((size_t)p.n * sizeof(float));
  for (int f = 0; f < SF_COUNT; f++) p.x[f] = (float *)bertc_alloc((size_t)p.n * sizeof(float));
  for (int f = 0; f < SF_COUNT; f++)
    if (p.x[f] == NULL || p.y == NULL) return fprintf(stderr, "bertc_probe: out of memory\n"), 1;
  for (ptrdiff_t i = 0; i < p.n; i++) {
    const float u = (float)(i % 1000) / 1000.0f; /* [0, 1) */
    p.x[SF_EXP][i] = -12.0f * u;                 /* softmax: scores minus the row max */
    p.x[SF_ERF][i] = 8.0f * u - 4.0f;            /* GELU of FFN activations */
    p.x[SF_TANH][i] = 6.0f * u - 3.0f;           /* pooler outputs */
    p.x[SF_RSQRT][i] = 0.5f + 2.0f * u;          /* variances plus eps */
  }
  float check = 0;
  for (p.fn = 0; p.fn < SF_COUNT; p.fn++) {
    printf("%s_per_s %.6g\n", sf_names[p.fn], best_rate(special_body, &p, seconds));
    check += p.y[p.n / 2];
  }
  result_sink = check;
  printf("threads %d\n", bertc_max_threads());
  bertc_free_aligned(p.y);
  for (int f = 0; f < SF_COUNT; f++) bertc_free_aligned(p.x[f]);
  return 0;
}

/* ---------------------------------------------------------------------------------------------- */
/* The same row kernel as a model runs it: one pool job (bertc_parallel, the generated code's
 * call) per kernel, on rows that are out of cache, because in a model a row kernel reads what an
 * earlier kernel wrote several megabytes of weights ago. The calls cycle through MIB MiB of inputs
 * and outputs; the rate counts bytes read plus written, as the cost model counts a kernel's. Also
 * the cost of a pool job that does nothing, one task per thread: the launch overhead a kernel pays. */

typedef struct {
  bertc_pool pool;
  ln_probe *sets;
  int count;
  long next; /* the set the next call uses, across timed batches */
} stream_probe;

static void ln_job(const void *ctx, ptrdiff_t lo, ptrdiff_t hi, int thread) {
  (void)thread;
  for (ptrdiff_t row = lo; row < hi; row++) ln_row((const ln_probe *)ctx, row);
}

static double stream_body(void *arg, long reps) {
  stream_probe *s = (stream_probe *)arg;
  for (long r = 0; r < reps; r++, s->next++) bertc_parallel(&s->pool, s->sets[0].rows, ln_job, &s->sets[s->next % s->count]);
  return 3.0 * sizeof(float) * (double)s->sets[0].rows * LN_D * (double)reps;
}

static void empty_job(const void *ctx, ptrdiff_t lo, ptrdiff_t hi, int thread) {
  (void)ctx, (void)lo, (void)hi, (void)thread;
}

static double launch_body(void *arg, long reps) {
  stream_probe *s = (stream_probe *)arg;
  for (long r = 0; r < reps; r++) bertc_parallel(&s->pool, s->pool.threads, empty_job, NULL);
  return (double)reps;
}

static int probe_stream(char **argv) {
  const ptrdiff_t rows = atol(argv[0]);
  const double mib = atof(argv[1]), seconds = atof(argv[2]);
  if (rows <= 0 || !(mib > 0)) return fprintf(stderr, "bertc_probe stream: bad arguments\n"), 2;
  stream_probe s = {0};
  const size_t n = (size_t)rows * LN_D;
  s.count = (int)(mib * 1048576.0 / (3.0 * sizeof(float) * (double)n)) + 1;
  s.sets = (ln_probe *)calloc((size_t)s.count, sizeof *s.sets);
  float *shared = (float *)bertc_alloc(3 * LN_D * sizeof(float));
  if (s.sets == NULL || shared == NULL || bertc_pool_start(&s.pool, 0)) return fprintf(stderr, "bertc_probe: out of memory\n"), 1;
  for (int j = 0; j < LN_D; j++) shared[j] = 0.01f * (float)(j % 3), shared[LN_D + j] = 1.0f, shared[2 * LN_D + j] = 0.0f;
  for (int c = 0; c < s.count; c++) {
    ln_probe *p = &s.sets[c];
    p->rows = rows;
    p->bias = shared, p->gamma = shared + LN_D, p->beta = shared + 2 * LN_D;
    p->x = (float *)bertc_alloc(n * sizeof(float));
    p->res = (float *)bertc_alloc(n * sizeof(float));
    p->y = (float *)bertc_alloc(n * sizeof(float));
    if (p->x == NULL || p->res == NULL || p->y == NULL) return fprintf(stderr, "bertc_probe: out of memory\n"), 1;
    for (size_t i = 0; i < n; i++) p->x[i] = (float)(i % 17) * 0.1f - 0.8f, p->res[i] = (float)(i % 5) * 0.2f;
  }
  printf("stream_bytes_per_s %.6g\n", best_rate(stream_body, &s, seconds * 0.8));
  printf("launch_s %.6g\n", 1.0 / best_rate(launch_body, &s, seconds * 0.2));
  printf("threads %d\n", s.pool.threads);
  result_sink = s.sets[0].y[n - 1];
  bertc_pool_stop(&s.pool);
  for (int c = 0; c < s.count; c++) bertc_free_aligned(s.sets[c].x), bertc_free_aligned(s.sets[c].res), bertc_free_aligned(s.sets[c].y);
  bertc_free_aligned(shared);
  free(s.sets);
  return 0;
}

/* ---------------------------------------------------------------------------------------------- */
/* The packing a fused attention does on every call: per (sequence, head) task, as one pool job,
 * K as the A operand of S^T = K Q^T (S x D at the QKV row stride, in MR-row panels), Q^T as its B
 * (D x S, read transposed, NR-wide panels), V as the B of P V (S x D, NR-wide) and the S x S
 * probabilities as P V's A (from the task's scores, stored transposed, MR-row panels). The heads'
 * Q, K and V lie in a [SEQS, S, 3 x HEADS x D] buffer, as a QKV projection writes them, out of L2.
 * The rate counts elements packed. */

enum { PACK_SEQS = 8, PACK_HEADS = 12 };

typedef struct {
  bertc_pool pool;
  int S, D, mr, nr;
  const float *qkv;
  float *ws; /* per thread: the four packed operands, then the scores */
  size_t ws_floats;
} pack_probe;

static void pack_job(const void *ctx, ptrdiff_t lo, ptrdiff_t hi, int thread) {
  const pack_probe *p = (const pack_probe *)ctx;
  const int S = p->S, D = p->D;
  const ptrdiff_t ld = 3 * PACK_HEADS * D;
  float *w = p->ws + (size_t)thread * p->ws_floats;
  float *kp = w, *qp = kp + bertc_round_up((size_t)S, (size_t)p->mr) * D, *vp = qp + bertc_packed_b_floats(D, S, p->nr);
  float *pp = vp + bertc_packed_b_floats(S, D, p->nr), *st = pp + bertc_round_up((size_t)S, (size_t)p->mr) * S;
  for (ptrdiff_t t = lo; t < hi; t++) {
    const float *q = p->qkv + (t / PACK_HEADS) * S * ld + (t % PACK_HEADS) * D;
    bertc_pack_a(S, D, q + PACK_HEADS * D, ld, 1, p->mr, kp);
    bertc_pack_b(D, S, q, BERTC_F32, 1, ld, D, p->nr, qp);
    bertc_pack_b(S, D, q + 2 * PACK_HEADS * D, BERTC_F32, ld, 1, S, p->nr, vp);
    bertc_pack_a(S, S, st, 1, S, p->mr, pp);
  }
}

static double pack_body(void *arg, long reps) {
  pack_probe *p = (pack_probe *)arg;
  for (long r = 0; r < reps; r++) bertc_parallel(&p->pool, PACK_SEQS * PACK_HEADS, pack_job, p);
  return (double)reps * PACK_SEQS * PACK_HEADS * (3.0 * p->S * p->D + (double)p->S * p->S);
}

static int probe_pack(char **argv) {
  pack_probe p = {0};
  p.S = atoi(argv[0]), p.D = atoi(argv[1]), p.mr = atoi(argv[2]), p.nr = atoi(argv[3]);
  const double seconds = atof(argv[4]);
  if (p.S <= 0 || p.D <= 0 || p.mr <= 0 || p.nr <= 0) return fprintf(stderr, "bertc_probe pack: bad arguments\n"), 2;
  const size_t n = (size_t)PACK_SEQS * p.S * 3 * PACK_HEADS * p.D;
  const size_t S = (size_t)p.S, D = (size_t)p.D, mr = (size_t)p.mr;
  p.ws_floats = bertc_round_up(S, mr) * D + bertc_packed_b_floats(p.D, p.S, p.nr) + bertc_packed_b_floats(p.S, p.D, p.nr) + bertc_round_up(S, mr) * S + S * S;
  if (bertc_pool_start(&p.pool, 0)) return fprintf(stderr, "bertc_probe: out of memory\n"), 1;
  float *qkv = (float *)bertc_alloc(n * sizeof(float));
  p.ws = (float *)bertc_alloc(p.ws_floats * (size_t)p.pool.threads * sizeof(float));
  if (qkv == NULL || p.ws == NULL) return fprintf(stderr, "bertc_probe: out of memory\n"), 1;
  for (size_t i = 0; i < n; i++) qkv[i] = (float)(i % 19) * 0.05f;
  p.qkv = qkv;
  printf("pack_elements_per_s %.6g\n", best_rate(pack_body, &p, seconds));
  printf("threads %d\n", p.pool.threads);
  result_sink = p.ws[p.ws_floats - 1];
  bertc_pool_stop(&p.pool);
  bertc_free_aligned(qkv), bertc_free_aligned(p.ws);
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
  if ((argc == 9 || argc == 11 || argc == 12) && strcmp(argv[1], "sgemm") == 0) return probe_sgemm(argv + 2);
  if (argc == 4 && strcmp(argv[1], "copy") == 0) return probe_copy(argv + 2);
  if (argc == 4 && strcmp(argv[1], "layernorm") == 0) return probe_layernorm(argv + 2);
  if (argc == 4 && strcmp(argv[1], "special") == 0) return probe_special(argv + 2);
  if (argc == 5 && strcmp(argv[1], "stream") == 0) return probe_stream(argv + 2);
  if (argc == 7 && strcmp(argv[1], "pack") == 0) return probe_pack(argv + 2);
  fprintf(stderr, "usage: bertc_probe fma SECONDS | sgemm M N K LAYOUT BATCH THREADS SECONDS [MR NR [TYPE]] | copy MIB SECONDS | layernorm ROWS SECONDS | special N SECONDS | stream ROWS MIB SECONDS | pack S D MR NR SECONDS\n");
  return 2;
}
