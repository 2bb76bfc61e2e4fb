/* fp.c - double-precision work: the classic 5-body simulation (sqrt and
 * division in the inner loop) and a dense matrix multiply. The same source
 * built for the host (-DHOST, -ffp-contract=off on both sides) prints the
 * expected energy and matrix checksum as bit patterns; the guest checks
 * both to a relative tolerance of 1e-9 (the bits should agree exactly,
 * since IEEE arithmetic without fused operations is deterministic, but the
 * check does not depend on it). */
#include "bare.h"

#ifndef ITERS
#ifdef QUICK
#define ITERS 2
#else
#define ITERS 36
#endif
#endif

#define STEPS 20000
#define N 48

#define PI 3.141592653589793
#define SOLAR_MASS (4 * PI * PI)
#define DAYS_PER_YEAR 365.24

struct body {
	double x, y, z, vx, vy, vz, mass;
};

static const struct body initial[5] = {
	{0, 0, 0, 0, 0, 0, SOLAR_MASS},
	{4.84143144246472090e+00, -1.16032004402742839e+00, -1.03622044471123109e-01,
	 1.66007664274403694e-03 * DAYS_PER_YEAR, 7.69901118419740425e-03 * DAYS_PER_YEAR,
	 -6.90460016972063023e-05 * DAYS_PER_YEAR, 9.54791938424326609e-04 * SOLAR_MASS},
	{8.34336671824457987e+00, 4.12479856412430479e+00, -4.03523417114321381e-01,
	 -2.76742510726862411e-03 * DAYS_PER_YEAR, 4.99852801234917238e-03 * DAYS_PER_YEAR,
	 2.30417297573763929e-05 * DAYS_PER_YEAR, 2.85885980666130812e-04 * SOLAR_MASS},
	{1.28943695621391310e+01, -1.51111514016986312e+01, -2.23307578892655734e-01,
	 2.96460137564761618e-03 * DAYS_PER_YEAR, 2.37847173959480950e-03 * DAYS_PER_YEAR,
	 -2.96589568540237556e-05 * DAYS_PER_YEAR, 4.36624404335156298e-05 * SOLAR_MASS},
	{1.53796971148509165e+01, -2.59193146099879641e+01, 1.79258772950371181e-01,
	 2.68067772490389322e-03 * DAYS_PER_YEAR, 1.62824170038242295e-03 * DAYS_PER_YEAR,
	 -9.51592254519715870e-05 * DAYS_PER_YEAR, 5.15138902046611451e-05 * SOLAR_MASS},
};

static struct body bodies[5];
static double ma[N][N], mb[N][N], mc[N][N];

static double fsqrt(double x)
{
	return __builtin_sqrt(x); /* fsqrt.d / sqrtsd with -fno-math-errno */
}

static void advance(double dt)
{
	for (int i = 0; i < 5; i++) {
		struct body *b = &bodies[i];
		for (int j = i + 1; j < 5; j++) {
			struct body *c = &bodies[j];
			double dx = b->x - c->x, dy = b->y - c->y, dz = b->z - c->z;
			double d2 = dx * dx + dy * dy + dz * dz;
			double mag = dt / (d2 * fsqrt(d2));
			b->vx -= dx * c->mass * mag;
			b->vy -= dy * c->mass * mag;
			b->vz -= dz * c->mass * mag;
			c->vx += dx * b->mass * mag;
			c->vy += dy * b->mass * mag;
			c->vz += dz * b->mass * mag;
		}
	}
	for (int i = 0; i < 5; i++) {
		bodies[i].x += dt * bodies[i].vx;
		bodies[i].y += dt * bodies[i].vy;
		bodies[i].z += dt * bodies[i].vz;
	}
}

static double energy(void)
{
	double e = 0;

	for (int i = 0; i < 5; i++) {
		struct body *b = &bodies[i];
		e += 0.5 * b->mass * (b->vx * b->vx + b->vy * b->vy + b->vz * b->vz);
		for (int j = i + 1; j < 5; j++) {
			struct body *c = &bodies[j];
			double dx = b->x - c->x, dy = b->y - c->y, dz = b->z - c->z;
			e -= b->mass * c->mass / fsqrt(dx * dx + dy * dy + dz * dz);
		}
	}
	return e;
}

static double nbody(void)
{
	double px = 0, py = 0, pz = 0;

	for (int i = 0; i < 5; i++)
		bodies[i] = initial[i];
	for (int i = 0; i < 5; i++) { /* offset momentum */
		px += bodies[i].vx * bodies[i].mass;
		py += bodies[i].vy * bodies[i].mass;
		pz += bodies[i].vz * bodies[i].mass;
	}
	bodies[0].vx = -px / SOLAR_MASS;
	bodies[0].vy = -py / SOLAR_MASS;
	bodies[0].vz = -pz / SOLAR_MASS;
	for (int s = 0; s < STEPS; s++)
		advance(0.01);
	return energy();
}

static double matmul(int it)
{
	double sum = 0;

	for (int i = 0; i < N; i++)
		for (int j = 0; j < N; j++) {
			ma[i][j] = (double)((i * 7 + j * 3 + it) % 17) / 16.0 - 0.5;
			mb[i][j] = (double)((i * 5 + j * 11 + it) % 13) / 8.0 + 0.25;
		}
	for (int i = 0; i < N; i++)
		for (int j = 0; j < N; j++) {
			double s = 0;
			for (int k = 0; k < N; k++)
				s += ma[i][k] * mb[k][j];
			mc[i][j] = s;
		}
	for (int i = 0; i < N; i++)
		for (int j = 0; j < N; j++)
			sum += mc[i][j] * (double)(1 + ((i + j) & 3));
	return sum;
}

static double result_e, result_m;

static void work(void)
{
	result_e = 0;
	result_m = 0;
	for (int it = 0; it < ITERS; it++) {
		result_e += nbody();
		result_m += matmul(it);
	}
}

static uint64_t bits(double d)
{
	union {
		double d;
		uint64_t u;
	} v = {d};
	return v.u;
}

#ifdef HOST
#include <stdio.h>
int main(void)
{
	work();
	printf("-DEXPECT_E=0x%llxull -DEXPECT_M=0x%llxull\n", (unsigned long long)bits(result_e),
	       (unsigned long long)bits(result_m));
	return 0;
}
#else
static double from_bits(uint64_t u)
{
	union {
		uint64_t u;
		double d;
	} v = {u};
	return v.d;
}

static int close_to(double got, double want)
{
	double d = got - want;

	if (d < 0)
		d = -d;
	return d <= 1e-9 * (want < 0 ? -want : want);
}

int main(void);
int main(void)
{
	uint64_t i0 = rd_instret(), n;
	double want_e = from_bits(EXPECT_E), want_m = from_bits(EXPECT_M);
	int ok;

	work();
	n = rd_instret() - i0;
	ok = close_to(result_e, want_e) && close_to(result_m, want_m);
	return report("fp", n, ok, close_to(result_e, want_e) ? bits(result_m) : bits(result_e),
		      close_to(result_e, want_e) ? EXPECT_M : EXPECT_E);
}
#endif
