/* sched_getaffinity, as a generated model.c asks for it. */
#if defined(__linux__) && !defined(_GNU_SOURCE)
#define _GNU_SOURCE 1
#endif
/*
 * Tests of targets/c/runtime/bertc_runtime.h, driven by test/c-runtime.test.ts, which compiles this
 * file under several flag sets and compares the output with the TypeScript implementations.
 *
 *   runtime_test gemm                      bertc_sgemm against a double-precision triple loop
 *   runtime_test misc                      allocator, bertc_split, bertc_error
 *   runtime_test pool                      the thread pool: every task run once, by a valid thread
 *   runtime_test rng < triples             "seed id i" per line in, "key bits" per line out
 *   runtime_test st-list FILE              one line per tensor: name, dtype, shape, size, alignment
 *                                          and the first words of data; or "error CODE MESSAGE"
 *   runtime_test st-get FILE NAME DTYPE DIMS
 *                                          bertc_st_tensor with DIMS like "128,64" ("-" for a
 *                                          scalar): "ok" or "error CODE MESSAGE"
 *
 * Failures print a line starting with FAIL and make the exit status 1.
 */
#include "bertc_runtime.h"

#include <math.h>

static int failures = 0;

#define CHECK(cond, ...)                                                                                               \
  do {                                                                                                                 \
    if (!(cond)) {                                                                                                     \
      failures++;                                                                                                      \
      printf("FAIL %s:%d: ", __FILE__, __LINE__);                                                                      \
      printf(__VA_ARGS__);                                                                                             \
      printf("\n");                                                                                                    \
    }                                                                                                                  \
  } while (0)

/* A fixed-seed generator, so that a failure reproduces. */
static uint64_t rng_state = 0x9E3779B97F4A7C15u;
static float uniform(void) {
  rng_state ^= rng_state << 13;
  rng_state ^= rng_state >> 7;
  rng_state ^= rng_state << 17;
  return (float)((double)(rng_state >> 11) / 9007199254740992.0 * 2.0 - 1.0);
}

/* ---------------------------------------------------------------------------------------------- */
/* GEMM                                                                                           */

/* How a logical rows x cols operand is laid out in memory. */
typedef enum { ROW_MAJOR, COL_MAJOR, STRIDED, NLAYOUTS } layout;
static const char *const layout_names[] = {"row-major", "transposed", "strided"};

typedef struct {
  float *data;
  ptrdiff_t rs, cs;
} operand;

/* Stores a logical matrix with the given layout; the gaps between elements hold other random
 * values, so that reading a wrong element is seen. ROW_MAJOR and COL_MAJOR have padded leading
 * dimensions; STRIDED has no unit stride at all (as a head view of a transposed tensor might). */
static operand lay_out(const float *logical, int rows, int cols, layout l) {
  operand o;
  size_t size;
  switch (l) {
  case ROW_MAJOR:
    o.rs = cols + 3, o.cs = 1;
    size = (size_t)rows * (size_t)o.rs;
    break;
  case COL_MAJOR:
    o.rs = 1, o.cs = rows + 5;
    size = (size_t)cols * (size_t)o.cs;
    break;
  default:
    o.cs = 3, o.rs = 3 * (ptrdiff_t)cols + 2;
    size = (size_t)rows * (size_t)o.rs;
    break;
  }
  o.data = (float *)malloc((size > 0 ? size : 1) * sizeof(float));
  for (size_t i = 0; i < size; i++) o.data[i] = uniform() * 100.0f;
  for (int r = 0; r < rows; r++)
    for (int c = 0; c < cols; c++) o.data[r * o.rs + c * o.cs] = logical[(size_t)r * (size_t)cols + (size_t)c];
  return o;
}

/* A NaN with a payload no arithmetic produces: C's padding must still hold it afterwards. */
static float sentinel(void) {
  const uint32_t bits = 0x7FC0BEEFu;
  float f;
  memcpy(&f, &bits, sizeof f);
  return f;
}

static int is_sentinel(float f) {
  uint32_t bits;
  memcpy(&bits, &f, sizeof bits);
  return bits == 0x7FC0BEEFu;
}

static int gemm_cases = 0;

/* One product for every layout pair and blocking; `ref` and `scale` (sum of |a||b| per element,
 * the size of the rounding error's bound) come from the caller. */
static void check_gemm_shape(int M, int N, int K, const bertc_blocking *blockings, int nblk) {
  float *a = (float *)malloc(((size_t)M * (size_t)K + 1) * sizeof(float));
  float *b = (float *)malloc(((size_t)K * (size_t)N + 1) * sizeof(float));
  double *ref = (double *)calloc((size_t)M * (size_t)N + 1, sizeof(double));
  double *scale = (double *)calloc((size_t)M * (size_t)N + 1, sizeof(double));
  for (size_t i = 0; i < (size_t)M * (size_t)K; i++) a[i] = uniform();
  for (size_t i = 0; i < (size_t)K * (size_t)N; i++) b[i] = uniform();
  for (int m = 0; m < M; m++)
    for (int n = 0; n < N; n++)
      for (int k = 0; k < K; k++) {
        const double p = (double)a[(size_t)m * K + k] * (double)b[(size_t)k * N + n];
        ref[(size_t)m * N + n] += p;
        scale[(size_t)m * N + n] += fabs(p);
      }
  const ptrdiff_t ldc = N + 7;
  float *c = (float *)malloc(((size_t)M * (size_t)ldc + 1) * sizeof(float));
  for (int la = 0; la < NLAYOUTS; la++) {
    const operand A = lay_out(a, M, K, (layout)la);
    for (int lb = 0; lb < NLAYOUTS; lb++) {
      const operand B = lay_out(b, K, N, (layout)lb);
      for (int bi = 0; bi < nblk; bi++) {
        const bertc_blocking *blk = &blockings[bi];
        /* An exact-size, deliberately misaligned workspace: the sanitizer build sees any overrun. */
        const size_t ws_floats = bertc_sgemm_workspace_floats(blk);
        char *ws_bytes = (char *)malloc(ws_floats * sizeof(float) + 4);
        float *ws = (float *)(ws_bytes + 4);
        for (size_t i = 0; i < (size_t)M * (size_t)ldc; i++) c[i] = sentinel();
        bertc_sgemm(M, N, K, A.data, A.rs, A.cs, B.data, B.rs, B.cs, c, ldc, blk, ws);
        int bad = 0;
        for (int m = 0; m < M && !bad; m++) {
          for (int n = 0; n < ldc && !bad; n++) {
            const float got = c[(size_t)m * ldc + n];
            if (n >= N) {
              if (!is_sentinel(got)) {
                bad = 1;
                CHECK(0, "%dx%dx%d A %s B %s blocking mc%d nc%d kc%d %dx%d: wrote C[%d][%d] past N", M, N, K, layout_names[la], layout_names[lb],
                      blk->mc, blk->nc, blk->kc, blk->mr, blk->nr, m, n);
              }
              continue;
            }
            const double want = ref[(size_t)m * N + n], tol = 1e-5 * scale[(size_t)m * N + n] + 1e-30;
            if (!(fabs((double)got - want) <= tol)) {
              bad = 1;
              CHECK(0, "%dx%dx%d A %s B %s blocking mc%d nc%d kc%d %dx%d: C[%d][%d] = %.9g, expected %.9g", M, N, K, layout_names[la],
                    layout_names[lb], blk->mc, blk->nc, blk->kc, blk->mr, blk->nr, m, n, got, want);
            }
          }
        }
        gemm_cases++;
        free(ws_bytes);
      }
      free(B.data);
    }
    free(A.data);
  }
  free(a), free(b), free(ref), free(scale), free(c);
}

/* Splitting N between threads with bertc_split, as generated code does, gives bit-identical
 * results: each element's sum has the same chunks in the same order. */
static void check_gemm_split(void) {
  const int M = 37, N = 300, K = 129;
  bertc_blocking blk = BERTC_BLOCKING_DEFAULT;
  blk.kc = 50;
  float *a = (float *)malloc((size_t)M * K * sizeof(float)), *b = (float *)malloc((size_t)K * N * sizeof(float));
  float *whole = (float *)malloc((size_t)M * N * sizeof(float)), *split = (float *)malloc((size_t)M * N * sizeof(float));
  for (int i = 0; i < M * K; i++) a[i] = uniform();
  for (int i = 0; i < K * N; i++) b[i] = uniform();
  float *ws = (float *)bertc_alloc(bertc_sgemm_workspace_floats(&blk) * sizeof(float));
  bertc_sgemm(M, N, K, a, K, 1, b, N, 1, whole, N, &blk, ws);
  bertc_free_aligned(ws);
  const int parts = 3;
#ifdef _OPENMP
#pragma omp parallel for num_threads(parts)
#endif
  for (int part = 0; part < parts; part++) {
    int n0, n1;
    bertc_split(N, parts, part, blk.nr, &n0, &n1);
    float *w = (float *)bertc_alloc(bertc_sgemm_workspace_floats(&blk) * sizeof(float));
    bertc_sgemm(M, n1 - n0, K, a, K, 1, b + n0, N, 1, split + n0, N, &blk, w);
    bertc_free_aligned(w);
  }
  CHECK(memcmp(whole, split, (size_t)M * N * sizeof(float)) == 0, "splitting N between threads changed the result");
  free(a), free(b), free(whole), free(split);
}

/* bertc_pack_b_parallel on a pool of three threads writes bertc_pack_b's bytes, padding included,
 * B stored either way round and in each element type. */
static void check_pack_parallel(const bertc_blocking *blk, int K, int N) {
  bertc_pool pool;
  CHECK(bertc_pool_start(&pool, 3) == BERTC_OK, "bertc_pool_start(3) failed");
  float *b = (float *)malloc((size_t)K * N * sizeof(float));
  for (int i = 0; i < K * N; i++) b[i] = uniform();
  const size_t floats = bertc_packed_b_floats(K, N, blk->nr);
  float *want = (float *)bertc_alloc(floats * sizeof(float)), *got = (float *)bertc_alloc(floats * sizeof(float));
  static const int types[] = {BERTC_F32, BERTC_BF16, BERTC_F16};
  for (int transposed = 0; transposed < 2; transposed++) {
    const ptrdiff_t rs = transposed ? 1 : N, cs = transposed ? K : 1;
    for (int t = 0; t < 3; t++) {
      for (size_t i = 0; i < floats; i++) want[i] = got[i] = sentinel();
      bertc_pack_b(K, N, b, types[t], rs, cs, blk->kc, blk->nr, want);
      bertc_pack_b_parallel(&pool, K, N, b, types[t], rs, cs, blk->kc, blk->nr, got);
      CHECK(memcmp(want, got, floats * sizeof(float)) == 0, "%dx%d B %s type %d kc%d nr%d: bertc_pack_b_parallel differs from bertc_pack_b", K, N,
            transposed ? "transposed" : "row-major", types[t], blk->kc, blk->nr);
      gemm_cases++;
    }
  }
  bertc_free_aligned(want), bertc_free_aligned(got), free(b);
  bertc_pool_stop(&pool);
}

/* B packed once by bertc_pack_b, then multiplied whole or in column slices of whole micro-panels
 * by bertc_gemm_packed, gives bertc_sgemm's result bit for bit, B stored either way round; with a
 * bias, bit for bit that result plus the bias added in a pass of its own. */
static void check_gemm_packed(const bertc_blocking *blockings, int nblk) {
  static const int shapes[][3] = {{1, 768, 100}, {37, 300, 129}, {6, 17, 5}, {130, 70, 300}};
  for (size_t s = 0; s < sizeof shapes / sizeof shapes[0]; s++) {
    const int M = shapes[s][0], N = shapes[s][1], K = shapes[s][2];
    float *a = (float *)malloc((size_t)M * K * sizeof(float)), *b = (float *)malloc((size_t)K * N * sizeof(float));
    float *want = (float *)malloc((size_t)M * N * sizeof(float)), *got = (float *)malloc((size_t)M * N * sizeof(float));
    float *bias = (float *)malloc((size_t)N * sizeof(float)), *biased = (float *)malloc((size_t)M * N * sizeof(float));
    for (int i = 0; i < M * K; i++) a[i] = uniform();
    for (int i = 0; i < K * N; i++) b[i] = uniform();
    for (int j = 0; j < N; j++) bias[j] = uniform();
    for (int i = 0; i < nblk; i++) {
      const bertc_blocking *blk = &blockings[i];
      for (int transposed = 0; transposed < 2; transposed++) {
        const ptrdiff_t rs = transposed ? 1 : N, cs = transposed ? K : 1;
        float *ws = (float *)bertc_alloc(bertc_sgemm_workspace_floats(blk) * sizeof(float));
        float *packed = (float *)bertc_alloc(bertc_packed_b_floats(K, N, blk->nr) * sizeof(float));
        bertc_sgemm(M, N, K, a, K, 1, b, rs, cs, want, N, blk, ws);
        bertc_pack_b(K, N, b, BERTC_F32, rs, cs, blk->kc, blk->nr, packed);
        const ptrdiff_t npad = (ptrdiff_t)bertc_round_up((size_t)N, (size_t)blk->nr);
        for (int i2 = 0; i2 < M * N; i2++) biased[i2] = want[i2] + bias[i2 % N];
        for (int with_bias = 0; with_bias < 2; with_bias++) {
          for (int parts = 1; parts <= 3; parts += 2) {
            for (int i2 = 0; i2 < M * N; i2++) got[i2] = sentinel();
            for (int part = 0; part < parts; part++) {
              int n0, n1;
              bertc_split(N, parts, part, blk->nr, &n0, &n1);
              bertc_gemm_packed(M, n1 - n0, K, a, BERTC_F32, K, 1, packed, n0, npad, got + n0, N, blk, ws, with_bias ? bias + n0 : NULL);
            }
            CHECK(memcmp(with_bias ? biased : want, got, (size_t)M * N * sizeof(float)) == 0,
                  "%dx%dx%d B %s blocking mc%d nc%d kc%d %dx%d in %d column slices%s: packed B changed the result", M, N, K,
                  transposed ? "transposed" : "row-major", blk->mc, blk->nc, blk->kc, blk->mr, blk->nr, parts, with_bias ? " with a bias" : "");
            gemm_cases++;
          }
        }
        bertc_free_aligned(ws);
        bertc_free_aligned(packed);
      }
    }
    free(a), free(b), free(want), free(got), free(bias), free(biased);
  }
}

static int test_gemm(void) {
  /* Each register blocking the runtime specialises, and two that take the scalar kernel, each at
   * a realistic size and at tiny blocks that make every loop run many times with partial edges
   * (including an mc that is not a multiple of mr). */
  static const int tiles[][2] = {{8, 32}, {6, 32}, {8, 16}, {6, 16}, {4, 16}, {3, 5}, {1, 1}};
  enum { NTILES = sizeof tiles / sizeof tiles[0] };
  bertc_blocking blockings[3 * NTILES];
  int nblk = 0;
  for (int t = 0; t < NTILES; t++) {
    const int mr = tiles[t][0], nr = tiles[t][1];
    blockings[nblk++] = (bertc_blocking){.mc = (128 + mr - 1) / mr * mr, .nc = (1536 + nr - 1) / nr * nr, .kc = 384, .mr = mr, .nr = nr};
    blockings[nblk++] = (bertc_blocking){.mc = 2 * mr, .nc = 2 * nr, .kc = 7, .mr = mr, .nr = nr};
    blockings[nblk++] = (bertc_blocking){.mc = 2 * mr + 1, .nc = 3 * nr - 1, .kc = 16, .mr = mr, .nr = nr};
  }
  static const int shapes[][3] = {
      {1, 1, 1},    {7, 13, 5},  {130, 70, 300}, {8, 32, 384}, {9, 33, 385}, {16, 64, 16},
      {17, 47, 33}, {1, 100, 3}, {100, 1, 50},   {2, 3, 769},  {48, 48, 48}, {11, 40, 20},
  };
  for (size_t s = 0; s < sizeof shapes / sizeof shapes[0]; s++) check_gemm_shape(shapes[s][0], shapes[s][1], shapes[s][2], blockings, nblk);

  /* K = 0 is an empty sum: C becomes zero. M = 0 or N = 0 touches nothing. */
  float c[6];
  for (int i = 0; i < 6; i++) c[i] = sentinel();
  const bertc_blocking blk = BERTC_BLOCKING_DEFAULT;
  bertc_sgemm(2, 3, 0, NULL, 0, 1, NULL, 3, 1, c, 3, &blk, NULL);
  for (int i = 0; i < 6; i++) CHECK(c[i] == 0.0f && !signbit(c[i]), "K = 0 left C[%d] = %g", i, c[i]);
  for (int i = 0; i < 6; i++) c[i] = sentinel();
  bertc_sgemm(0, 3, 4, NULL, 4, 1, NULL, 3, 1, c, 3, &blk, NULL);
  bertc_sgemm(2, 0, 4, NULL, 4, 1, NULL, 3, 1, c, 3, &blk, NULL);
  for (int i = 0; i < 6; i++) CHECK(is_sentinel(c[i]), "an empty product wrote C[%d]", i);

  check_gemm_split();
  check_gemm_packed(blockings, nblk);
  for (int i = 0; i < nblk; i++) check_pack_parallel(&blockings[i], 300, 130);
  check_pack_parallel(&blockings[0], 768, 3072);
  printf("gemm: %d products checked\n", gemm_cases);
  return failures == 0;
}

/* ---------------------------------------------------------------------------------------------- */
/* Allocator, threads, messages                                                                   */

/* A job that counts how often each task runs, and checks the thread index it is given. */
typedef struct {
  int *runs;
  int threads;
  int bad_thread;
} pool_job;

static void count_tasks(const void *ctx, ptrdiff_t begin, ptrdiff_t end, int thread) {
  const pool_job *j = (const pool_job *)ctx;
  if (thread < 0 || thread >= j->threads) ((pool_job *)j)->bad_thread = 1;
  for (ptrdiff_t t = begin; t < end; t++) j->runs[t]++;
}

/* Pools of 1 to 5 threads (more than this machine may have cores) run thousands of jobs back to
 * back, of 0 to 1000 tasks (fewer tasks than threads included), some after a pause long enough for
 * the workers to fall asleep: every task runs exactly once per job, on a thread of the pool. */
static int test_pool(void) {
  enum { MAX_TASKS = 1000 };
  static int runs[MAX_TASKS];
  CHECK(bertc_available_cores() >= 1, "bertc_available_cores() = %d", bertc_available_cores());
  for (int threads = 1; threads <= 5; threads++) {
    bertc_pool pool;
    CHECK(bertc_pool_start(&pool, threads) == BERTC_OK, "bertc_pool_start(%d) failed", threads);
    CHECK(pool.threads == threads || (pool.threads == 1 && threads > 1 && pool.workers == NULL), "a pool of %d has %d threads", threads, pool.threads);
    pool_job job = {runs, pool.threads, 0};
    for (int j = 0; j < 3000; j++) {
      const int tasks = (j * 37) % (MAX_TASKS + 1);
      memset(runs, 0, sizeof runs);
      if (j % 500 == 499) {
        /* Long enough for every worker's spin to run out. */
        volatile double x = 0;
        for (long i = 0; i < 20000000; i++) x += 1e-9;
      }
      bertc_parallel(&pool, tasks, count_tasks, &job);
      for (int t = 0; t < MAX_TASKS; t++) {
        if (runs[t] != (t < tasks)) {
          CHECK(0, "pool of %d, job %d of %d tasks: task %d ran %d times", threads, j, tasks, t, runs[t]);
          break;
        }
      }
    }
    CHECK(!job.bad_thread, "pool of %d: a task was given a thread index outside [0, %d)", threads, pool.threads);
    bertc_pool_stop(&pool);
    bertc_pool_stop(&pool); /* stopping twice is harmless */
  }
  ptrdiff_t b, e;
  CHECK(bertc_clip(5, 20, 10, 30, &b, &e) && b == 0 && e == 10, "bertc_clip(5, 20, 10, 30) = [%td, %td)", b, e);
  CHECK(bertc_clip(12, 40, 10, 30, &b, &e) && b == 2 && e == 20, "bertc_clip(12, 40, 10, 30) = [%td, %td)", b, e);
  CHECK(!bertc_clip(0, 10, 10, 30, &b, &e), "bertc_clip(0, 10, 10, 30) is not empty");
  printf("pool: ok\n");
  return failures == 0;
}

static int test_misc(void) {
  unsigned char *p = (unsigned char *)bertc_alloc(0);
  CHECK(p != NULL && (uintptr_t)p % 64 == 0, "bertc_alloc(0) gave %p", (void *)p);
  bertc_free_aligned(p);
  for (size_t n = 1; n < 3000; n += 37) {
    p = (unsigned char *)bertc_alloc(n);
    CHECK(p != NULL && (uintptr_t)p % 64 == 0, "bertc_alloc(%zu) gave %p", n, (void *)p);
    for (size_t i = 0; p != NULL && i < n; i++)
      if (p[i] != 0) {
        CHECK(0, "bertc_alloc(%zu) is not zeroed at %zu", n, i);
        break;
      }
    bertc_free_aligned(p);
  }
  CHECK(bertc_alloc(SIZE_MAX) == NULL, "bertc_alloc(SIZE_MAX) did not fail");
  CHECK(bertc_alloc(SIZE_MAX - 10) == NULL, "bertc_alloc(SIZE_MAX - 10) did not fail");

  static const int ns[] = {0, 1, 31, 32, 33, 100, 1000, 3072};
  for (size_t t = 0; t < sizeof ns / sizeof ns[0]; t++) {
    for (int parts = 1; parts <= 5; parts++) {
      for (int grain = 1; grain <= 32; grain *= 4) {
        int next = 0;
        for (int part = 0; part < parts; part++) {
          int b, e;
          bertc_split(ns[t], parts, part, grain, &b, &e);
          CHECK(b == next && e >= b && (b % grain == 0 || b == ns[t]), "bertc_split(%d, %d, %d, %d) = [%d, %d)", ns[t], parts, part, grain, b, e);
          next = e;
        }
        CHECK(next == ns[t], "bertc_split(%d, %d, *, %d) ends at %d", ns[t], parts, grain, next);
      }
    }
  }

  char err[8];
  CHECK(bertc_error(err, sizeof err, BERTC_ERR_SHAPE, "shape %d", 123456) == BERTC_ERR_SHAPE && strcmp(err, "shape 1") == 0,
        "bertc_error truncation gave '%s'", err);
  CHECK(bertc_error(NULL, 0, BERTC_ERR_IO, "ignored") == BERTC_ERR_IO, "bertc_error without a buffer");
  CHECK(bertc_max_threads() >= 1 && bertc_thread_num() == 0, "thread queries outside a parallel region");
  printf("misc: ok\n");
  return failures == 0;
}

/* ---------------------------------------------------------------------------------------------- */
/* Dropout generator                                                                              */

static int test_rng(void) {
  unsigned long seed, id, i;
  while (scanf("%lu %lu %lu", &seed, &id, &i) == 3) {
    const uint32_t key = bertc_dropout_key((uint32_t)seed, (uint32_t)id);
    printf("%" PRIu32 " %" PRIu32 "\n", key, bertc_dropout_bits(key, (uint32_t)i));
  }
  return 1;
}

/* ---------------------------------------------------------------------------------------------- */
/* Safetensors                                                                                    */

static int test_st_list(const char *path) {
  bertc_safetensors f;
  char err[1024];
  const int rc = bertc_st_open(&f, path, err, sizeof err);
  if (rc != BERTC_OK) {
    printf("error %d %s\n", rc, err);
    bertc_st_close(&f);
    return 1;
  }
  for (size_t t = 0; t < f.count; t++) {
    const bertc_st_entry *e = &f.entries[t];
    char shape[256];
    printf("tensor\t%s\t%s\t%s\t%zu\t%d\t", e->name, e->dtype, bertc_st_format_shape(shape, sizeof shape, e->shape, e->rank), e->nbytes,
           (uintptr_t)e->data % 64 == 0);
    /* The first bytes as hex, so that the comparison with TypeScript is bit-exact. */
    for (size_t b = 0; b < e->nbytes && b < 16; b++) printf("%02x", ((const unsigned char *)e->data)[b]);
    printf("\n");
    CHECK(bertc_st_find(&f, e->name) == e, "bertc_st_find('%s') does not find its own entry", e->name);
  }
  bertc_st_close(&f);
  bertc_st_close(&f); /* closing twice is harmless */
  return failures == 0;
}

static int test_st_get(const char *path, const char *name, const char *dtype, const char *dims) {
  bertc_safetensors f;
  char err[1024];
  int rc = bertc_st_open(&f, path, err, sizeof err);
  if (rc == BERTC_OK) {
    int64_t shape[16];
    int rank = 0;
    for (const char *p = dims; strcmp(dims, "-") != 0 && rank < 16;) {
      char *end;
      shape[rank++] = strtoll(p, &end, 10);
      if (*end != ',') break;
      p = end + 1;
    }
    const void *data;
    rc = bertc_st_get(&f, name, dtype, shape, rank, &data, err, sizeof err);
    CHECK((rc == BERTC_OK) == (bertc_st_tensor(&f, name, dtype, shape, rank, NULL, 0) != NULL), "bertc_st_tensor disagrees with bertc_st_get");
  }
  if (rc == BERTC_OK) printf("ok\n");
  else printf("error %d %s\n", rc, err);
  bertc_st_close(&f);
  return failures == 0;
}

int main(int argc, char **argv) {
  int ok;
  if (argc == 2 && strcmp(argv[1], "gemm") == 0) ok = test_gemm();
  else if (argc == 2 && strcmp(argv[1], "misc") == 0) ok = test_misc();
  else if (argc == 2 && strcmp(argv[1], "pool") == 0) ok = test_pool();
  else if (argc == 2 && strcmp(argv[1], "rng") == 0) ok = test_rng();
  else if (argc == 3 && strcmp(argv[1], "st-list") == 0) ok = test_st_list(argv[2]);
  else if (argc == 6 && strcmp(argv[1], "st-get") == 0) ok = test_st_get(argv[2], argv[3], argv[4], argv[5]);
  else {
    fprintf(stderr, "usage: runtime_test gemm | misc | rng | st-list FILE | st-get FILE NAME DTYPE DIMS\n");
    return 2;
  }
  return ok ? 0 : 1;
}
