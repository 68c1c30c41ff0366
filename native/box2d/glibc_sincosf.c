/*
 * sinf, cosf and sincosf as glibc 2.36 computes them on x86-64 with FMA.
 *
 * Box2D rotates every body through b2Rot::Set, that is sinf and cosf of its angle, in each
 * position iteration. Under Gymnasium those calls reach glibc, whose single-precision
 * sine and cosine evaluate a polynomial in double precision after a range reduction by
 * pi/2 (Szabolcs Nagy's algorithm, as in glibc's sysdeps/ieee754/flt-32), and the x86-64
 * build picks its FMA variant on any processor that has FMA. Emscripten's libc computes
 * these functions another way, and differs in the last bit for some inputs; these
 * definitions replace its own at link time. Every `a + b * c` that gcc fuses in glibc's
 * FMA build is an explicit fma() here (MADD), and the file is compiled with contraction off, so
 * native and WebAssembly builds give the same floats. scripts/box2d/check-sincosf.sh
 * compares them with the machine's glibc for every float.
 */
#include <math.h>
#include <stdint.h>
#include <string.h>

/* glibc picks its FMA build where the processor has FMA; SINCOSF_FMA=0 gives the other
 * build, which rounds each product and each sum. */
#ifndef SINCOSF_FMA
#define SINCOSF_FMA 1
#endif
#if SINCOSF_FMA
#define MADD(a, b, c) fma(a, b, c)
#else
#define MADD(a, b, c) ((a) * (b) + (c))
#endif

/* Coefficients of the polynomials, the quadrant signs and 2/pi, pi/2, as glibc's data. */
typedef struct {
  double sign[4];
  double hpi_inv; /* 2/pi scaled by 2^24 */
  double hpi;
  double c0, c1, c2, c3, c4;
  double s1, s2, s3;
} poly_t;

static const poly_t TABLE[2] = {
  {{1.0, -1.0, -1.0, 1.0}, 0x1.45F306DC9C883p+23, 0x1.921FB54442D18p0,
   0x1p0, -0x1.ffffffd0c621cp-2, 0x1.55553e1068f19p-5, -0x1.6c087e89a359dp-10, 0x1.99343027bf8c3p-16,
   -0x1.555545995a603p-3, 0x1.1107605230bc4p-7, -0x1.994eb3774cf24p-13},
  /* The cosine polynomial negated, for quadrants 2 and 3. */
  {{1.0, -1.0, -1.0, 1.0}, 0x1.45F306DC9C883p+23, 0x1.921FB54442D18p0,
   -0x1p0, 0x1.ffffffd0c621cp-2, -0x1.55553e1068f19p-5, 0x1.6c087e89a359dp-10, -0x1.99343027bf8c3p-16,
   -0x1.555545995a603p-3, 0x1.1107605230bc4p-7, -0x1.994eb3774cf24p-13},
};

/* 4/pi in 192 bits, 8 new bits per word. */
static const uint32_t INV_PIO4[24] = {
  0xa2,       0xa2f9,     0xa2f983,   0xa2f9836e, 0xf9836e4e, 0x836e4e44, 0x6e4e4415, 0x4e441529,
  0x441529fc, 0x1529fc27, 0x29fc2757, 0xfc2757d1, 0x2757d1f5, 0x57d1f534, 0xd1f534dd, 0xf534ddc0,
  0x34ddc0db, 0xddc0db62, 0xc0db6295, 0xdb629599, 0x6295993c, 0x95993c43, 0x993c4390, 0x3c439041,
};

static const double PI63 = 0x1.921FB54442D18p-62; /* 2 pi / 2^64 */
static const double PIO4 = 0x1.921FB54442D18p-1;

static uint32_t bits(float x) {
  uint32_t u;
  memcpy(&u, &x, 4);
  return u;
}

/* Exponent and top mantissa bits of |x|, for range tests. */
static uint32_t top12(float x) { return (bits(x) >> 20) & 0x7ff; }

/* sin(x) for even n, cos(x) for odd n, on |x| <= pi/4, x2 = x * x. */
static float poly(double x, double x2, const poly_t *p, int n) {
  if ((n & 1) == 0) {
    double x3 = x * x2;
    double s1 = MADD(x2, p->s3, p->s2);
    double x7 = x3 * x2;
    double s = MADD(x3, p->s1, x);
    return (float)MADD(x7, s1, s);
  }
  double x4 = x2 * x2;
  double c2 = MADD(x2, p->c4, p->c3);
  double c1 = MADD(x2, p->c1, p->c0);
  double x6 = x4 * x2;
  double c = MADD(x4, p->c2, c1);
  return (float)MADD(x6, c2, c);
}

/* x minus the nearest multiple of pi/2, for |x| < 120; the multiple in *np. */
static double reduce_fast(double x, const poly_t *p, int *np) {
  double r = x * p->hpi_inv;
  int n = ((int32_t)r + 0x800000) >> 24;
  *np = n;
  return MADD(-(double)n, p->hpi, x);
}

/* The same for larger |x|, with integer arithmetic on 4/pi; xi is the float's bits. */
static double reduce_large(uint32_t xi, int *np) {
  const uint32_t *arr = &INV_PIO4[(xi >> 26) & 15];
  int shift = (xi >> 23) & 7;
  uint64_t n, r0, r1, r2;
  xi = (xi & 0xffffff) | 0x800000;
  xi <<= shift;
  r0 = xi * arr[0];
  r1 = (uint64_t)xi * arr[4];
  r2 = (uint64_t)xi * arr[8];
  r0 = (r2 >> 32) | (r0 << 32);
  r0 += r1;
  n = (r0 + (1ULL << 61)) >> 62;
  r0 -= n << 62;
  *np = (int)n;
  return (double)(int64_t)r0 * PI63;
}

float sinf(float y) {
  double x = y;
  int n;
  const poly_t *p = &TABLE[0];
  if (top12(y) < top12((float)PIO4)) {
    if (top12(y) < top12(0x1p-12f)) return y;
    return poly(x, x * x, p, 0);
  }
  if (top12(y) < top12(120.0f)) {
    x = reduce_fast(x, p, &n);
    double s = p->sign[n & 3];
    if (n & 2) p = &TABLE[1];
    return poly(x * s, x * x, p, n);
  }
  if (top12(y) < top12(INFINITY)) {
    uint32_t xi = bits(y);
    int sign = xi >> 31;
    x = reduce_large(xi, &n);
    double s = p->sign[(n + sign) & 3];
    if ((n + sign) & 2) p = &TABLE[1];
    return poly(x * s, x * x, p, n);
  }
  return (y - y) / (y - y);
}

float cosf(float y) {
  double x = y;
  int n;
  const poly_t *p = &TABLE[0];
  if (top12(y) < top12((float)PIO4)) {
    if (top12(y) < top12(0x1p-12f)) return 1.0f;
    return poly(x, x * x, p, 1);
  }
  if (top12(y) < top12(120.0f)) {
    x = reduce_fast(x, p, &n);
    double s = p->sign[n & 3];
    if (n & 2) p = &TABLE[1];
    return poly(x * s, x * x, p, n ^ 1);
  }
  if (top12(y) < top12(INFINITY)) {
    uint32_t xi = bits(y);
    int sign = xi >> 31;
    x = reduce_large(xi, &n);
    double s = p->sign[(n + sign) & 3];
    if ((n + sign) & 2) p = &TABLE[1];
    return poly(x * s, x * x, p, n ^ 1);
  }
  return (y - y) / (y - y);
}

void sincosf(float y, float *s, float *c) {
  *s = sinf(y);
  *c = cosf(y);
}
