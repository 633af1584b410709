// SPDX-License-Identifier: GPL-2.0-only
/*
 * monitor/checks/ on synthetic guest memory: page tables with every page
 * size, NX, U/S, loops and GPAs outside RAM built in a host buffer; an IDT;
 * SHA-256 against OpenSSL. Every report is recorded and checked.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <stdlib.h>
#include <cmocka.h>
#include <openssl/evp.h>

#include <checks/checks.h>
#include <checks/sha256.h>
#include <checks/pt_walk.h>
#include <checks/ktext.h>
#include <checks/idt.h>
#include <checks/linux.h>
#include <checks/files.h>

#define RAM_SIZE	(16u << 20)	/* guest RAM: GPA 0 .. 16 MiB */
#define TABLES_GPA	0x100000ull	/* page tables bump-allocated from here */
#define MAX_REPORTS	4096

#define P		BIT(0)
#define RW		BIT(1)
#define US		BIT(2)
#define PS		BIT(7)
#define XD		BIT(63)

struct guest {
	u8 *ram;
	u64 next_table;
	u64 fail_gpa;			/* reads of this 4 KiB page fail (0: none) */
	u32 reads;
	struct chk_report rep[MAX_REPORTS];
	u32 nrep;
};

static struct guest g;

static int g_read(void *ctx, u64 gpa, void *buf, u32 len)
{
	struct guest *gg = ctx;

	gg->reads++;
	assert_true(len <= 4096);
	assert_true((gpa & 4095) + len <= 4096);	/* never across a page */
	if (gpa >= RAM_SIZE || gpa + len > RAM_SIZE)
		return -EFAULT;
	if (gg->fail_gpa && (gpa & ~4095ull) == gg->fail_gpa)
		return -EIO;
	memcpy(buf, gg->ram + gpa, len);
	return 0;
}

static void g_report(void *ctx, const struct chk_report *r)
{
	struct guest *gg = ctx;

	assert_true(gg->nrep < MAX_REPORTS);
	gg->rep[gg->nrep++] = *r;
}

static const struct chk_env env = { .read_phys = g_read, .report = g_report, .ctx = &g };

static int setup(void **state)
{
	g.ram = calloc(1, RAM_SIZE);
	g.next_table = TABLES_GPA;
	g.fail_gpa = 0;
	g.nrep = 0;
	return g.ram ? 0 : -1;
}

static int teardown(void **state)
{
	free(g.ram);
	return 0;
}

static u64 *pte_at(u64 table, u32 idx)
{
	return (u64 *)(g.ram + table + idx * 8);
}

static u64 new_table(void)
{
	u64 t = g.next_table;

	g.next_table += 4096;
	assert_true(g.next_table <= 0x400000);
	memset(g.ram + t, 0, 4096);
	return t;
}

/*
 * Map @va -> @gpa with a leaf at @leaf_level (0: 4K, 1: 2M, 2: 1G) carrying
 * @flags; tables above get P|RW|@upper.
 */
static void map(u64 root, u32 levels, u64 va, u64 gpa, u32 leaf_level, u64 flags, u64 upper)
{
	u64 table = root;

	for (int l = levels - 1; l > (int)leaf_level; l--) {
		u64 *e = pte_at(table, (va >> (12 + 9 * l)) & 511);

		if (!(*e & P))
			*e = new_table() | P | RW | upper;
		table = *e & 0x000ffffffffff000ull;
	}
	*pte_at(table, (va >> (12 + 9 * leaf_level)) & 511) =
		gpa | flags | P | (leaf_level ? PS : 0);
}

static struct chk_vcpu cpu_for(u64 root, bool la57, bool nxe)
{
	struct chk_vcpu c = {
		.cr0 = CHK_CR0_PG | 1, .cr3 = root,
		.cr4 = la57 ? CHK_CR4_LA57 : 0,
		.efer = CHK_EFER_LMA | (nxe ? CHK_EFER_NXE : 0),
	};
	return c;
}

static u32 count_kind(enum chk_kind k, enum chk_severity sev)
{
	u32 n = 0;

	for (u32 i = 0; i < g.nrep; i++)
		n += g.rep[i].kind == k && g.rep[i].severity == sev;
	return n;
}

static u32 count_alerts(void)
{
	u32 n = 0;

	for (u32 i = 0; i < g.nrep; i++)
		n += g.rep[i].severity == CHK_ALERT;
	return n;
}

static const struct chk_report *find_rep(enum chk_kind k)
{
	for (u32 i = 0; i < g.nrep; i++)
		if (g.rep[i].kind == k)
			return &g.rep[i];
	return NULL;
}

/* ---- SHA-256 ---- */

static void test_sha256_vs_openssl(void **state)
{
	static const u32 lens[] = { 0, 1, 3, 55, 56, 57, 63, 64, 65, 127, 128, 1000, 4096, 100003 };
	u8 *data = malloc(100003), a[32], b[32];
	unsigned int blen;

	for (u32 i = 0; i < 100003; i++)
		data[i] = (u8)(i * 131 + (i >> 7));
	for (u32 i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		struct chk_sha256 s;

		chk_sha256(data, lens[i], a);
		assert_int_equal(EVP_Digest(data, lens[i], b, &blen, EVP_sha256(), NULL), 1);
		assert_memory_equal(a, b, 32);
		/* the same in uneven pieces */
		chk_sha256_init(&s);
		for (u32 off = 0, step = 1; off < lens[i]; off += step, step = step * 3 % 97 + 1)
			chk_sha256_update(&s, data + off, MIN(step, lens[i] - off));
		chk_sha256_final(&s, a);
		assert_memory_equal(a, b, 32);
	}
	free(data);
}

/* ---- page-table walk ---- */

#define KTEXT_VA	0xffffffff81000000ull
#define MOD_VA		0xffffffffc0100000ull

struct seen {
	struct chk_map m[64];
	u32 n;
};

static int collect(void *arg, struct chk_walk *w, const struct chk_map *m)
{
	struct seen *s = arg;

	assert_true(s->n < 64);
	s->m[s->n++] = *m;
	return 0;
}

static void walk_all(const struct chk_vcpu *c, u32 filter, struct seen *s)
{
	struct chk_walk w;
	u32 budget = 1u << 20;

	memset(s, 0, sizeof(*s));
	assert_int_equal(chk_walk_init(&w, c, filter), 0);
	assert_int_equal(chk_walk_run(&w, &env, &budget, collect, s), 0);
	assert_int_equal(w.cursor, w.end);
}

static void test_walk_sizes_nx_us(void **state)
{
	u64 root = new_table();
	struct chk_vcpu c = cpu_for(root, false, true);
	struct seen s;

	map(root, 4, KTEXT_VA, 0x800000, 0, 0, 0);			/* 4K X */
	map(root, 4, KTEXT_VA + 0x200000, 0x600000, 1, 0, 0);		/* 2M X */
	map(root, 4, 0xffffffffc0000000ull, 0x40000000, 2, 0, 0);	/* 1G X */
	map(root, 4, KTEXT_VA + 0x1000, 0x801000, 0, XD, 0);		/* NX */
	map(root, 4, KTEXT_VA + 0x2000, 0x802000, 0, US, US);		/* user */
	map(root, 4, 0x400000, 0x900000, 0, US, US);			/* user, low half */
	map(root, 4, 0x401000, 0x902000, 0, US | XD, US);		/* user, NX */
	map(root, 4, 0x7f0000000000ull, 0x901000, 0, RW, 0);		/* supervisor, low half */
	walk_all(&c, CHK_WALK_SUPER_EXEC, &s);
	assert_int_equal(s.n, 5);
	assert_int_equal(s.m[0].va, 0x7f0000000000ull);
	assert_int_equal(s.m[0].flags, CHK_MAP_EXEC | CHK_MAP_WRITE);
	assert_int_equal(s.m[1].va, KTEXT_VA);
	assert_int_equal(s.m[1].gpa, 0x800000);
	assert_int_equal(s.m[1].size, 4096);
	assert_int_equal(s.m[1].flags, CHK_MAP_EXEC);
	/* U/S = 1 in the PTE only: the tables above say supervisor */
	assert_int_equal(s.m[2].va, KTEXT_VA + 0x2000);
	assert_int_equal(s.m[2].flags, CHK_MAP_EXEC);
	assert_int_equal(s.m[3].va, KTEXT_VA + 0x200000);
	assert_int_equal(s.m[3].gpa, 0x600000);
	assert_int_equal(s.m[3].page_size, 2u << 20);
	assert_int_equal(s.m[4].va, 0xffffffffc0000000ull);
	assert_int_equal(s.m[4].gpa, 0x40000000);
	assert_int_equal(s.m[4].size, 1u << 30);

	/* upper half only; and everything present without the filter */
	walk_all(&c, CHK_WALK_SUPER_EXEC | CHK_WALK_UPPER_HALF, &s);
	assert_int_equal(s.n, 4);
	walk_all(&c, 0, &s);
	assert_int_equal(s.n, 8);
	assert_int_equal(s.m[0].va, 0x400000);
	assert_int_equal(s.m[0].flags, CHK_MAP_EXEC | CHK_MAP_USER);
	assert_int_equal(s.m[1].flags, CHK_MAP_USER);
	assert_int_equal(count_alerts(), 0);
	assert_int_equal(g.nrep, 0);
}

static void test_walk_nxe_off(void **state)
{
	u64 root = new_table();
	struct chk_vcpu c = cpu_for(root, false, false);
	struct seen s;

	map(root, 4, KTEXT_VA, 0x800000, 0, 0, 0);
	map(root, 4, KTEXT_VA + 0x1000, 0x801000, 0, XD, 0);	/* reserved bit: not present */
	walk_all(&c, 0, &s);
	assert_int_equal(s.n, 1);
	assert_int_equal(s.m[0].flags, CHK_MAP_EXEC);
}

static void test_walk_la57(void **state)
{
	u64 root = new_table();
	struct chk_vcpu c = cpu_for(root, true, true);
	u64 va = 0xff11000000000000ull, gpa;
	u32 flags;
	struct seen s;
	struct chk_walk w;

	map(root, 5, va, 0x800000, 0, 0, 0);
	walk_all(&c, CHK_WALK_SUPER_EXEC | CHK_WALK_UPPER_HALF, &s);
	assert_int_equal(s.n, 1);
	assert_int_equal(s.m[0].va, va);
	assert_int_equal(chk_walk_init(&w, &c, 0), 0);
	assert_int_equal(w.levels, 5);
	assert_int_equal(chk_walk_translate(&w, &env, va + 0x123, &gpa, &flags), 0);
	assert_int_equal(gpa, 0x800123);
	assert_int_equal(chk_walk_translate(&w, &env, 0x0100000000000000ull, &gpa, &flags),
			 -EFAULT);
}

static void test_walk_not_long_mode(void **state)
{
	struct chk_vcpu c = cpu_for(new_table(), false, true);
	struct chk_walk w;

	c.efer = 0;
	assert_int_equal(chk_walk_init(&w, &c, 0), -EINVAL);
	c = cpu_for(0x1000, false, true);
	c.cr0 = 1;
	assert_int_equal(chk_walk_init(&w, &c, 0), -EINVAL);
}

static void test_walk_translate(void **state)
{
	u64 root = new_table(), gpa;
	struct chk_vcpu c = cpu_for(root, false, true);
	struct chk_walk w;
	u32 flags;

	map(root, 4, KTEXT_VA + 0x200000, 0x600000, 1, RW, 0);
	map(root, 4, KTEXT_VA, 0x800000, 0, XD, 0);
	assert_int_equal(chk_walk_init(&w, &c, 0), 0);
	assert_int_equal(chk_walk_translate(&w, &env, KTEXT_VA + 0x212345, &gpa, &flags), 0);
	assert_int_equal(gpa, 0x612345);
	assert_int_equal(flags, CHK_MAP_EXEC | CHK_MAP_WRITE);
	assert_int_equal(chk_walk_translate(&w, &env, KTEXT_VA + 8, &gpa, &flags), 0);
	assert_int_equal(flags, 0);
	assert_int_equal(chk_walk_translate(&w, &env, KTEXT_VA + 0x1000, &gpa, &flags), -ENOENT);
	/* a PDE pointing outside RAM */
	map(root, 4, 0xffffffff90000000ull, 0, 0, 0, 0);
	*pte_at(*pte_at(*pte_at(root, 511) & ~0xfffull & 0x000ffffffffff000ull, 510) &
		0x000ffffffffff000ull, (0xffffffff90000000ull >> 21) & 511) = 0x7000000000ull | P | RW;
	assert_int_equal(chk_walk_translate(&w, &env, 0xffffffff90000000ull, &gpa, &flags), -EIO);
}

/*
 * Tables that point back at themselves (every PML4E -> the PML4, so the PML4
 * is also each PDPT, PD and PT): 2^35 mappings. Each run reads exactly its
 * budget and moves on; the walk never recurses and never repeats.
 */
static int count_maps(void *arg, struct chk_walk *w, const struct chk_map *m)
{
	(*(u64 *)arg)++;
	return 0;
}

static void test_walk_loop_bounded(void **state)
{
	u64 root = new_table(), n = 0, last = 0;
	struct chk_vcpu c = cpu_for(root, false, true);
	struct chk_walk w;

	for (u32 i = 0; i < 512; i++)
		*pte_at(root, i) = root | P | RW;
	assert_int_equal(chk_walk_init(&w, &c, CHK_WALK_SUPER_EXEC | CHK_WALK_UPPER_HALF), 0);
	for (int call = 0; call < 20; call++) {
		u32 budget = 50000;

		g.reads = 0;
		assert_int_equal(chk_walk_run(&w, &env, &budget, count_maps, &n), -EAGAIN);
		assert_int_equal(budget, 0);
		assert_int_equal(g.reads, 50000);
		assert_true(w.cursor > last);
		last = w.cursor;
	}
	assert_true(n > 20 * 40000);	/* the self-mapped pages are mappings too */
	assert_int_equal(g.nrep, 0);
}

/* A PD whose 512 entries share one PT of 512 X pages: 2^18 mappings, sliced. */
static void test_walk_huge_count(void **state)
{
	u64 root = new_table(), pt = new_table();
	struct chk_vcpu c = cpu_for(root, false, true);
	struct chk_walk w;
	u64 n = 0, pd;
	u32 calls = 0;
	int ret;

	map(root, 4, KTEXT_VA, 0x800000, 0, 0, 0);
	pd = *pte_at(*pte_at(root, 511) & 0x000ffffffffff000ull, 510) & 0x000ffffffffff000ull;
	for (u32 i = 0; i < 512; i++) {
		*pte_at(pt, i) = 0x800000 | P;
		*pte_at(pd, i) = pt | P | RW;
	}
	assert_int_equal(chk_walk_init(&w, &c, CHK_WALK_SUPER_EXEC | CHK_WALK_UPPER_HALF), 0);
	do {
		u32 budget = 4096;

		ret = chk_walk_run(&w, &env, &budget, count_maps, &n);
		calls++;
	} while (ret == -EAGAIN);
	assert_int_equal(ret, 0);
	assert_int_equal(n, 512 * 512);
	assert_true(calls > 60);	/* the budget did slice it */
}

static void test_walk_read_error(void **state)
{
	u64 root = new_table();
	struct chk_vcpu c = cpu_for(root, false, true);
	struct seen s;

	map(root, 4, KTEXT_VA, 0x800000, 0, 0, 0);
	map(root, 4, 0xffffffffa0000000ull, 0x801000, 0, 0, 0);
	/* a PDPTE of another region -> a PD outside RAM */
	*pte_at(*pte_at(root, 511) & 0x000ffffffffff000ull, 0) = 0x7000000000ull | P | RW;
	walk_all(&c, CHK_WALK_SUPER_EXEC, &s);
	assert_int_equal(s.n, 2);
	assert_int_equal(count_kind(CHK_WALK_READ, CHK_EVENT), 1);
	assert_int_equal(find_rep(CHK_WALK_READ)->va, 0xffffff8000000000ull);
	assert_int_equal(find_rep(CHK_WALK_READ)->old, 0x7000000000ull);
}

/* The callback stops in the middle of a 2 MiB page; the next run resumes there. */
static int stop_mid(void *arg, struct chk_walk *w, const struct chk_map *m)
{
	struct seen *s = arg;

	s->m[s->n++] = *m;
	if (m->size > 4096) {
		w->cursor = chk_walk_lin(w, m->va + 4096);
		return 7;
	}
	return 0;
}

static void test_walk_resume(void **state)
{
	u64 root = new_table();
	struct chk_vcpu c = cpu_for(root, false, true);
	struct chk_walk w;
	struct seen s = { 0 };
	u32 budget = 1000;

	map(root, 4, KTEXT_VA + 0x200000, 0x600000, 1, 0, 0);
	assert_int_equal(chk_walk_init(&w, &c, CHK_WALK_SUPER_EXEC | CHK_WALK_UPPER_HALF), 0);
	assert_int_equal(chk_walk_run(&w, &env, &budget, stop_mid, &s), 7);
	assert_int_equal(chk_walk_run(&w, &env, &budget, stop_mid, &s), 7);
	assert_int_equal(s.m[1].va, KTEXT_VA + 0x201000);
	assert_int_equal(s.m[1].gpa, 0x601000);
	assert_int_equal(s.m[1].size, 0x1ff000);
}

/* ---- kernel text ---- */

#define NPAGES_CAP	2048
static struct chk_kpage kpages[NPAGES_CAP];
static struct chk_ktext kt;

/* A kernel: 8 x 4K text at KTEXT_VA (GPA 8 MiB), a 2M page at +2M (GPA 6 MiB),
 * a module page at MOD_VA (GPA 9 MiB), NX data, a user page. */
static u64 build_kernel(u32 levels)
{
	u64 root = new_table();

	for (u32 i = 0; i < 8; i++)
		map(root, levels, KTEXT_VA + i * 4096, 0x800000 + i * 4096, 0, 0, 0);
	map(root, levels, KTEXT_VA + 0x200000, 0x600000, 1, 0, 0);
	map(root, levels, MOD_VA, 0x900000, 0, 0, 0);
	map(root, levels, KTEXT_VA + 0x400000, 0xa00000, 0, RW | XD, 0);
	map(root, levels, 0x400000, 0xa01000, 0, US, US);
	for (u32 i = 0; i < 0x200000; i++)
		g.ram[0x600000 + i] = (u8)(i * 7 + 1);
	for (u32 i = 0; i < 9 * 4096; i++)
		g.ram[0x800000 + i] = (u8)(i * 13 + 5);
	return root;
}

static int run_pass(const struct chk_vcpu *c, u32 page_budget)
{
	int ret;
	u32 steps = 0;

	do {
		ret = chk_ktext_step(&kt, &env, c, page_budget, 64);
		assert_true(++steps < 100000);
	} while (ret == -EAGAIN);
	return ret;
}

static void kt_setup(u32 cap)
{
	struct chk_ktext_cfg cfg = {
		.core_lo = CHK_LINUX_KIMAGE_LO, .core_hi = CHK_LINUX_KIMAGE_HI,
	};

	chk_ktext_init(&kt, kpages, cap, &cfg);
}

#define KT_PAGES	(8 + 512 + 1)

static void test_ktext_baseline_quiet(void **state)
{
	struct chk_vcpu c = cpu_for(build_kernel(4), false, true);

	kt_setup(NPAGES_CAP);
	assert_false(chk_ktext_baselined(&kt));
	assert_int_equal(run_pass(&c, 7), 0);
	assert_true(chk_ktext_baselined(&kt));
	assert_int_equal(kt.n, KT_PAGES);
	assert_int_equal(g.nrep, 0);
	assert_true(chk_ktext_in_base(&kt, KTEXT_VA + 0x123));
	assert_true(chk_ktext_in_base(&kt, KTEXT_VA + 0x3fffff));
	assert_false(chk_ktext_in_base(&kt, KTEXT_VA + 0x400000));	/* NX */
	assert_false(chk_ktext_in_base(&kt, 0x400000));
	/* quiet passes: zero reports */
	for (int i = 0; i < 3; i++)
		assert_int_equal(run_pass(&c, 100), 0);
	assert_int_equal(g.nrep, 0);
	assert_int_equal(kt.pass, 4);
}

static void test_ktext_int3_alert(void **state)
{
	struct chk_vcpu c = cpu_for(build_kernel(4), false, true);
	u8 saved;

	kt_setup(NPAGES_CAP);
	assert_int_equal(run_pass(&c, 1000), 0);
	saved = g.ram[0x803010];
	g.ram[0x803010] = 0xcc;				/* a kprobe's int3 */
	assert_int_equal(run_pass(&c, 5), 0);
	assert_int_equal(count_alerts(), 1);
	assert_int_equal(find_rep(CHK_KTEXT_CHANGED)->severity, CHK_ALERT);
	assert_int_equal(find_rep(CHK_KTEXT_CHANGED)->va, KTEXT_VA + 0x3000);
	assert_int_equal(run_pass(&c, 5), 0);		/* once, not every pass */
	assert_int_equal(count_alerts(), 1);
	g.ram[0x803010] = saved;			/* restored: quiet */
	assert_int_equal(run_pass(&c, 5), 0);
	assert_int_equal(count_alerts(), 1);
	g.ram[0x6abcde] ^= 1;				/* in the 2 MiB page */
	assert_int_equal(run_pass(&c, 5), 0);
	assert_int_equal(count_alerts(), 2);
	assert_int_equal(g.rep[g.nrep - 1].va, KTEXT_VA + 0x200000 + 0xab000);
}

static void test_ktext_module_events(void **state)
{
	u64 root = build_kernel(4);
	struct chk_vcpu c = cpu_for(root, false, true);

	kt_setup(NPAGES_CAP);
	assert_int_equal(run_pass(&c, 1000), 0);
	/* module load: a new executable page, then its text changes (relocation) */
	map(root, 4, MOD_VA + 0x5000, 0xb00000, 0, 0, 0);
	assert_int_equal(run_pass(&c, 1000), 0);
	assert_int_equal(count_kind(CHK_KTEXT_NEW, CHK_EVENT), 1);
	assert_int_equal(find_rep(CHK_KTEXT_NEW)->va, MOD_VA + 0x5000);
	assert_int_equal(find_rep(CHK_KTEXT_NEW)->new, 0xb00000);
	g.ram[0xb00010] = 0x90;
	assert_int_equal(run_pass(&c, 1000), 0);
	assert_int_equal(count_kind(CHK_KTEXT_LATE_CHANGED, CHK_EVENT), 1);
	/* module unload */
	*pte_at(*pte_at(*pte_at(*pte_at(root, 511) & 0x000ffffffffff000ull, 511) &
			0x000ffffffffff000ull, (MOD_VA >> 21) & 511) & 0x000ffffffffff000ull,
		((MOD_VA + 0x5000) >> 12) & 511) = 0;
	assert_int_equal(run_pass(&c, 1000), 0);
	assert_int_equal(count_kind(CHK_KTEXT_REMOVED, CHK_EVENT), 1);
	assert_int_equal(find_rep(CHK_KTEXT_REMOVED)->va, MOD_VA + 0x5000);
	assert_int_equal(kt.n, KT_PAGES);
	/* a baseline module page reloaded elsewhere: events, not an alert */
	map(root, 4, MOD_VA, 0xb01000, 0, 0, 0);
	assert_int_equal(run_pass(&c, 1000), 0);
	assert_int_equal(count_kind(CHK_KTEXT_REMOVED, CHK_EVENT), 2);
	assert_int_equal(count_kind(CHK_KTEXT_NEW, CHK_EVENT), 2);
	/* a W+X supervisor page is news too */
	map(root, 4, MOD_VA + 0x7000, 0xb02000, 0, RW, 0);
	assert_int_equal(run_pass(&c, 1000), 0);
	assert_int_equal(count_kind(CHK_KTEXT_WX, CHK_EVENT), 1);
	assert_int_equal(count_alerts(), 0);
}

static void test_ktext_core_remap_and_unmap(void **state)
{
	u64 root = build_kernel(4);
	struct chk_vcpu c = cpu_for(root, false, true);
	u64 pt;

	kt_setup(NPAGES_CAP);
	assert_int_equal(run_pass(&c, 1000), 0);
	pt = *pte_at(*pte_at(*pte_at(root, 511) & 0x000ffffffffff000ull, 510) &
		     0x000ffffffffff000ull, (KTEXT_VA >> 21) & 511) & 0x000ffffffffff000ull;
	/* a patched copy of page 2 mapped in its place (CR0.WP never touched) */
	memcpy(g.ram + 0xc00000, g.ram + 0x802000, 4096);
	g.ram[0xc00000] ^= 0xff;
	*pte_at(pt, 2) = 0xc00000 | P;
	assert_int_equal(run_pass(&c, 1000), 0);
	assert_int_equal(count_kind(CHK_KTEXT_REMAPPED, CHK_ALERT), 1);
	assert_int_equal(find_rep(CHK_KTEXT_REMAPPED)->va, KTEXT_VA + 0x2000);
	assert_int_equal(find_rep(CHK_KTEXT_REMAPPED)->new, 0xc00000);
	*pte_at(pt, 2) = 0x802000 | P;
	assert_int_equal(run_pass(&c, 1000), 0);
	/* unmap, then map the patched copy: still an alert */
	*pte_at(pt, 3) = 0;
	assert_int_equal(run_pass(&c, 1000), 0);
	assert_int_equal(count_kind(CHK_KTEXT_REMOVED, CHK_EVENT), 1);
	assert_int_equal(count_alerts(), 1);
	*pte_at(pt, 3) = 0xc00000 | P;
	assert_int_equal(run_pass(&c, 1000), 0);
	assert_int_equal(count_kind(CHK_KTEXT_REMAPPED, CHK_ALERT), 2);
	assert_int_equal(count_kind(CHK_KTEXT_NEW, CHK_EVENT), 0);
}

static void test_ktext_read_failure(void **state)
{
	struct chk_vcpu c = cpu_for(build_kernel(4), false, true);

	kt_setup(NPAGES_CAP);
	g.fail_gpa = 0x804000;		/* unreadable at baseline: event, untracked */
	assert_int_equal(run_pass(&c, 1000), 0);
	assert_int_equal(count_kind(CHK_PAGE_READ, CHK_EVENT), 1);
	assert_int_equal(kt.n, KT_PAGES - 1);
	g.fail_gpa = 0x805000;		/* a baseline core page unreadable later: alert */
	assert_int_equal(run_pass(&c, 1000), 0);
	assert_int_equal(count_kind(CHK_PAGE_READ, CHK_ALERT), 1);
	assert_int_equal(find_rep(CHK_PAGE_READ)->va, KTEXT_VA + 0x4000);
	assert_int_equal(g.rep[g.nrep - 1].va, KTEXT_VA + 0x5000);
}

/* A new 1 GiB executable page outside RAM: one report, not 2^18. */
static void test_ktext_unreadable_huge(void **state)
{
	u64 root = build_kernel(4);
	struct chk_vcpu c = cpu_for(root, false, true);

	kt_setup(NPAGES_CAP);
	assert_int_equal(run_pass(&c, 1000), 0);
	map(root, 4, 0xffffff0000000000ull, 0x4000000000ull, 2, 0, 0);
	assert_int_equal(run_pass(&c, 1u << 30), 0);
	assert_int_equal(count_kind(CHK_PAGE_READ, CHK_EVENT), 1);
	assert_int_equal(find_rep(CHK_PAGE_READ)->va, 0xffffff0000000000ull);
	assert_int_equal(count_alerts(), 0);
	assert_int_equal(kt.n, KT_PAGES);
}

static void test_ktext_overflow(void **state)
{
	struct chk_vcpu c = cpu_for(build_kernel(4), false, true);

	kt_setup(100);
	assert_int_equal(run_pass(&c, 50), 0);
	assert_int_equal(kt.n, 100);
	assert_int_equal(count_kind(CHK_KTEXT_OVERFLOW, CHK_EVENT), 1);
	assert_int_equal(find_rep(CHK_KTEXT_OVERFLOW)->index, 100);
	assert_int_equal(run_pass(&c, 50), 0);	/* once a pass, tracked pages still checked */
	assert_int_equal(count_kind(CHK_KTEXT_OVERFLOW, CHK_EVENT), 2);
	g.ram[0x800000] ^= 1;
	assert_int_equal(run_pass(&c, 50), 0);
	assert_int_equal(count_kind(CHK_KTEXT_CHANGED, CHK_ALERT), 1);
	assert_int_equal(count_alerts(), 1);
}

/* Self-referencing tables full of 1 GiB X pages: the pass ends on its budget. */
static void test_ktext_hostile_budget(void **state)
{
	u64 root = build_kernel(4), pdpt = new_table();
	struct chk_vcpu c = cpu_for(root, false, true);
	struct chk_ktext_cfg cfg = {
		.core_lo = CHK_LINUX_KIMAGE_LO, .core_hi = CHK_LINUX_KIMAGE_HI,
		.pass_read_budget = 20000,
	};

	chk_ktext_init(&kt, kpages, 600, &cfg);
	assert_int_equal(run_pass(&c, 1000), 0);
	assert_int_equal(g.nrep, 0);
	for (u32 i = 0; i < 512; i++)
		*pte_at(pdpt, i) = ((u64)i << 30) | P | PS;	/* 1 GiB X pages */
	for (u32 i = 256; i < 511; i++)
		*pte_at(root, i) = root | P | RW;		/* loops */
	*pte_at(root, 300) = pdpt | P | RW;
	assert_int_equal(run_pass(&c, 1000), 0);
	assert_true(count_kind(CHK_KTEXT_OVERFLOW, CHK_EVENT) >= 1);
	assert_int_equal(count_kind(CHK_WALK_BUDGET, CHK_EVENT), 1);
	assert_int_equal(count_alerts(), 0);
	assert_true(kt.pass_reads <= 20000);
}

static void test_ktext_la57_pti(void **state)
{
	struct chk_vcpu c = cpu_for(build_kernel(5), true, true);
	struct chk_ktext_cfg cfg = {
		.core_lo = CHK_LINUX_KIMAGE_LO, .core_hi = CHK_LINUX_KIMAGE_HI,
		.flags = CHK_KTEXT_LINUX_PTI,
	};

	/* the user PGD (kernel PGD + 4 KiB) maps nothing of the kernel */
	assert_int_equal(c.cr3 & 0x1fff, 0);
	c.cr3 |= CHK_LINUX_PTI_USER_BIT | 0x5;		/* and a PCID */
	chk_ktext_init(&kt, kpages, NPAGES_CAP, &cfg);
	assert_int_equal(run_pass(&c, 1000), 0);
	assert_int_equal(kt.n, KT_PAGES);
	assert_int_equal(g.nrep, 0);
}

static void test_ktext_not_long_mode(void **state)
{
	struct chk_vcpu c = cpu_for(build_kernel(4), false, true);

	kt_setup(NPAGES_CAP);
	c.cr0 = 1;
	assert_int_equal(chk_ktext_step(&kt, &env, &c, 10, 10), -EINVAL);
	assert_int_equal(chk_ktext_step(&kt, &env, &c, 10, 10), -EINVAL);
	assert_int_equal(count_kind(CHK_PAGING_UNSUPPORTED, CHK_EVENT), 1);	/* once */
	assert_false(chk_ktext_baselined(&kt));
	c.cr0 |= CHK_CR0_PG;
	assert_int_equal(run_pass(&c, 1000), 0);
	c.cr0 = 1;
	assert_int_equal(chk_ktext_step(&kt, &env, &c, 10, 10), -EINVAL);
	assert_int_equal(count_kind(CHK_PAGING_UNSUPPORTED, CHK_EVENT), 2);	/* again */
}

/* Jump-label sites: NOP <-> JMP to its target is quiet; int3 or another JMP alerts. */
static void test_ktext_sites(void **state)
{
	struct chk_vcpu c = cpu_for(build_kernel(4), false, true);
	static const u8 nop5[5] = { 0x0f, 0x1f, 0x44, 0x00, 0x00 };
	struct chk_site sites[3] = {
		{ .va = KTEXT_VA + 0x100, .target_off = 0x80, .len = 5 },
		{ .va = KTEXT_VA + 0x1ffe, .target_off = 0x12, .len = 5 },	/* across pages */
		{ .va = KTEXT_VA + 0x3000, .target_off = 0x10, .len = 2 },
	};
	u8 *s0 = g.ram + 0x800100, *s1 = g.ram + 0x801ffe, *s2 = g.ram + 0x803000;

	memcpy(s0, nop5, 5);
	memcpy(s1, nop5, 5);
	s2[0] = 0x66, s2[1] = 0x90;
	kt_setup(NPAGES_CAP);
	assert_int_equal(chk_ktext_set_sites(&kt, sites, 3), 0);
	assert_int_equal(run_pass(&c, 1000), 0);
	assert_int_equal(g.nrep, 0);
	/* enable all three keys */
	s0[0] = 0xe9; s0[1] = 0x7b; s0[2] = s0[3] = s0[4] = 0;		/* +0x105 + 0x7b = 0x180 */
	s1[0] = 0xe9; s1[1] = 0x0d; s1[2] = s1[3] = s1[4] = 0;		/* 0x2003 + 0x0d = 0x2010 */
	s2[0] = 0xeb; s2[1] = 0x0e;
	assert_int_equal(run_pass(&c, 1000), 0);
	assert_int_equal(g.nrep, 0);
	/* a JMP elsewhere */
	s0[1] = 0x40;
	assert_int_equal(run_pass(&c, 1000), 0);
	assert_int_equal(count_kind(CHK_KTEXT_SITE, CHK_ALERT), 1);
	assert_int_equal(find_rep(CHK_KTEXT_SITE)->va, KTEXT_VA + 0x100);
	/* an int3 on a site's first byte: text_poke_bp in flight, one pass of grace */
	s1[0] = 0xcc;
	assert_int_equal(run_pass(&c, 1000), 0);
	assert_int_equal(count_kind(CHK_KTEXT_SITE, CHK_ALERT), 1);
	s1[0] = 0x0f, s1[1] = 0x1f, s1[2] = 0x44, s1[3] = 0, s1[4] = 0;	/* patch done */
	assert_int_equal(run_pass(&c, 1000), 0);
	assert_int_equal(count_kind(CHK_KTEXT_SITE, CHK_ALERT), 1);
	/* ... but an int3 that stays (a kprobe) alerts on the next pass */
	s1[0] = 0xcc;
	assert_int_equal(run_pass(&c, 1000), 0);
	assert_int_equal(count_kind(CHK_KTEXT_SITE, CHK_ALERT), 1);
	assert_int_equal(run_pass(&c, 1000), 0);
	assert_int_equal(count_kind(CHK_KTEXT_SITE, CHK_ALERT), 2);
	assert_int_equal(g.rep[g.nrep - 1].va, KTEXT_VA + 0x1ffe);
	assert_int_equal(g.rep[g.nrep - 1].old, 0xcc);
	/* int3 with a foreign tail: at once */
	s2[0] = 0xcc; s2[1] = 0x33;
	assert_int_equal(run_pass(&c, 1000), 0);
	assert_int_equal(count_kind(CHK_KTEXT_SITE, CHK_ALERT), 3);
	s2[0] = 0xeb; s2[1] = 0x0e;
	assert_int_equal(run_pass(&c, 1000), 0);	/* back in form: quiet again */
	assert_int_equal(count_alerts(), 3);
	/* bytes next to a site are still hashed */
	s2[2] ^= 1;
	assert_int_equal(run_pass(&c, 1000), 0);
	assert_int_equal(count_kind(CHK_KTEXT_CHANGED, CHK_ALERT), 1);
	/* unsorted or bad lengths refused */
	sites[2].len = 3;
	assert_int_equal(chk_ktext_set_sites(&kt, sites, 3), -EINVAL);
	sites[2].len = 2;
	assert_int_equal(chk_ktext_set_sites(&kt, sites + 1, 1), 0);
	assert_int_equal(chk_ktext_set_sites(&kt, (struct chk_site[]){ sites[1], sites[0] }, 2),
			 -EINVAL);
}

/* ---- IDT and syscall MSRs ---- */

#define IDT_VA		0xfffffe0000000000ull
#define IDT_GPA		0xa02000ull

static void set_gate(u32 v, u64 h)
{
	u8 *e = g.ram + IDT_GPA + v * 16;

	memset(e, 0, 16);
	e[0] = (u8)h; e[1] = (u8)(h >> 8);
	e[2] = 0x10;
	e[5] = 0x8e;
	e[6] = (u8)(h >> 16); e[7] = (u8)(h >> 24);
	for (int i = 0; i < 4; i++)
		e[8 + i] = (u8)(h >> (32 + 8 * i));
}

static struct chk_idt_base idtb;

static struct chk_vcpu idt_setup(void)
{
	u64 root = build_kernel(4);
	struct chk_vcpu c = cpu_for(root, false, true);

	map(root, 4, IDT_VA, IDT_GPA, 0, XD, 0);
	for (u32 v = 0; v < 256; v++)
		set_gate(v, KTEXT_VA + 0x100 + v * 8);
	memset(g.ram + IDT_GPA + 40 * 16, 0, 16);	/* one not-present gate */
	c.idtr_base = IDT_VA;
	c.idtr_limit = 4095;
	c.lstar = KTEXT_VA + 0x1040;
	c.cstar = KTEXT_VA + 0x1080;
	c.sysenter_eip = 0;
	kt_setup(NPAGES_CAP);
	assert_int_equal(chk_idt_baseline(&idtb, &env, &c, &kt), -EAGAIN);
	assert_int_equal(run_pass(&c, 1000), 0);
	assert_int_equal(chk_idt_baseline(&idtb, &env, &c, &kt), 0);
	assert_int_equal(idtb.ngates, 256);
	assert_int_equal(chk_idt_handler(idtb.idt + 3 * 16), KTEXT_VA + 0x100 + 24);
	assert_int_equal(g.nrep, 0);
	return c;
}

static void test_idt_quiet_and_gate(void **state)
{
	struct chk_vcpu c = idt_setup();

	assert_int_equal(chk_idt_check(&idtb, &env, &c, &kt), 0);
	assert_int_equal(g.nrep, 0);
	set_gate(14, 0xffffffffa0000000ull);		/* #PF hooked outside text */
	assert_int_equal(chk_idt_check(&idtb, &env, &c, &kt), 0);
	assert_int_equal(count_kind(CHK_IDT_GATE_CHANGED, CHK_ALERT), 1);
	assert_int_equal(count_kind(CHK_IDT_GATE_OUTSIDE, CHK_ALERT), 1);
	assert_int_equal(find_rep(CHK_IDT_GATE_CHANGED)->index, 14);
	assert_int_equal(find_rep(CHK_IDT_GATE_CHANGED)->new, 0xffffffffa0000000ull);
	assert_int_equal(chk_idt_check(&idtb, &env, &c, &kt), 0);	/* once */
	assert_int_equal(count_alerts(), 2);
	set_gate(14, KTEXT_VA + 0x100 + 14 * 8);
	assert_int_equal(chk_idt_check(&idtb, &env, &c, &kt), 0);
	assert_int_equal(count_alerts(), 2);
	set_gate(3, KTEXT_VA + 0x2000);		/* changed, but inside text */
	assert_int_equal(chk_idt_check(&idtb, &env, &c, &kt), 0);
	assert_int_equal(count_kind(CHK_IDT_GATE_CHANGED, CHK_ALERT), 2);
	assert_int_equal(count_kind(CHK_IDT_GATE_OUTSIDE, CHK_ALERT), 1);
}

static void test_idt_idtr_and_read(void **state)
{
	struct chk_vcpu c = idt_setup();

	c.idtr_base = IDT_VA + 0x1000;		/* LIDT to an unmapped page */
	assert_int_equal(chk_idt_check(&idtb, &env, &c, &kt), 0);
	assert_int_equal(count_kind(CHK_IDTR_CHANGED, CHK_ALERT), 1);
	assert_int_equal(count_kind(CHK_IDT_READ, CHK_ALERT), 1);
	assert_int_equal(find_rep(CHK_IDTR_CHANGED)->new, IDT_VA + 0x1000);
	c.idtr_base = IDT_VA;
	c.idtr_limit = 255;			/* shorter: the gates past it changed */
	assert_int_equal(chk_idt_check(&idtb, &env, &c, &kt), 0);
	assert_int_equal(count_kind(CHK_IDTR_CHANGED, CHK_ALERT), 1);	/* still changed */
	assert_int_equal(count_kind(CHK_IDT_GATE_CHANGED, CHK_ALERT), 256 - 16);
}

static void test_syscall_msrs(void **state)
{
	struct chk_vcpu c = idt_setup();

	c.lstar = 0xffffffffa0001000ull;
	assert_int_equal(chk_idt_check(&idtb, &env, &c, &kt), 0);
	assert_int_equal(count_kind(CHK_MSR_CHANGED, CHK_ALERT), 1);
	assert_int_equal(count_kind(CHK_MSR_OUTSIDE, CHK_ALERT), 1);
	assert_int_equal(find_rep(CHK_MSR_CHANGED)->index, CHK_MSR_LSTAR);
	assert_int_equal(find_rep(CHK_MSR_CHANGED)->old, KTEXT_VA + 0x1040);
	assert_int_equal(chk_idt_check(&idtb, &env, &c, &kt), 0);
	assert_int_equal(count_alerts(), 2);
	c.lstar = KTEXT_VA + 0x1040;
	c.sysenter_eip = KTEXT_VA + 0x10;	/* was 0: changed, inside text */
	assert_int_equal(chk_idt_check(&idtb, &env, &c, &kt), 0);
	assert_int_equal(count_kind(CHK_MSR_CHANGED, CHK_ALERT), 2);
	assert_int_equal(find_rep(CHK_MSR_CHANGED + 0)->index, CHK_MSR_LSTAR);
	assert_int_equal(g.rep[g.nrep - 1].index, CHK_MSR_SYSENTER_EIP);
	assert_int_equal(count_kind(CHK_MSR_OUTSIDE, CHK_ALERT), 1);
}

/* ---- Linux: _text and the jump table ---- */

#define JT_VA		0xffffffff82000000ull
#define JT_GPA		0xa03000ull

static void put_entry(u32 i, u64 code, u64 target)
{
	u8 *e = g.ram + JT_GPA + i * 16;
	s32 c = (s32)(code - (JT_VA + i * 16));
	s32 t = (s32)(target - (JT_VA + i * 16 + 4));

	memcpy(e, &c, 4);
	memcpy(e + 4, &t, 4);
	memset(e + 8, 0x11, 8);		/* key: not used */
}

static void test_linux_text_base(void **state)
{
	struct chk_vcpu c = cpu_for(build_kernel(4), false, true);
	u64 text = 0;

	assert_int_equal(chk_linux_text_base(&env, &c, 0, 10000, &text), 0);
	assert_int_equal(text, KTEXT_VA);
	assert_int_equal(text - CHK_LINUX_TEXT_LINK, 0);
	assert_int_equal(chk_linux_text_base(&env, &c, 0, 2, &text), -EAGAIN);
	c = cpu_for(new_table(), false, true);
	assert_int_equal(chk_linux_text_base(&env, &c, 0, 10000, &text), -ENOENT);
}

static struct chk_site jsites[16];

static void test_linux_jump_table(void **state)
{
	u64 root = build_kernel(4);
	struct chk_vcpu c = cpu_for(root, false, true);
	static const u8 nop5[5] = { 0x0f, 0x1f, 0x44, 0x00, 0x00 };
	struct chk_jump_load j;
	u8 *t = g.ram + 0x800000;
	int ret, calls = 0;

	map(root, 4, JT_VA, JT_GPA, 0, XD, 0);
	memcpy(t + 0x500, nop5, 5);				/* disabled key */
	t[0x300] = 0xe9; t[0x301] = 0x10; t[0x302] = t[0x303] = t[0x304] = 0;	/* enabled: -> 0x315 */
	t[0x200] = 0x66; t[0x201] = 0x90;			/* 2-byte, disabled */
	t[0x1000] = 0xeb; t[0x1001] = 0x20;			/* 2-byte, enabled: -> 0x1022 */
	t[0x700] = 0x55;					/* not a jump-label form */
	put_entry(0, KTEXT_VA + 0x500, KTEXT_VA + 0x540);
	put_entry(1, KTEXT_VA + 0x300, KTEXT_VA + 0x315);
	put_entry(2, KTEXT_VA + 0x200, KTEXT_VA + 0x230);
	put_entry(3, KTEXT_VA + 0x1000, KTEXT_VA + 0x1022);
	put_entry(4, KTEXT_VA + 0x700, KTEXT_VA + 0x740);	/* skipped */
	put_entry(5, 0xffffffff90000000ull, KTEXT_VA);		/* unmapped: skipped */
	put_entry(6, KTEXT_VA + 0x302, KTEXT_VA + 0x340);	/* overlaps: skipped */
	put_entry(7, KTEXT_VA + 0x300, KTEXT_VA + 0x315);	/* duplicate: skipped */

	assert_int_equal(chk_jump_load_init(&j, JT_VA, JT_VA + 8, jsites, 16, 0), -EINVAL);
	assert_int_equal(chk_jump_load_init(&j, JT_VA + 16, JT_VA, jsites, 16, 0), -EINVAL);
	assert_int_equal(chk_jump_load_init(&j, JT_VA, JT_VA + 17 * 16, jsites, 16, 0), -ENOSPC);
	assert_int_equal(chk_jump_load_init(&j, JT_VA, JT_VA + 8 * 16, jsites, 16, 0), 0);
	do {
		ret = chk_jump_load_step(&j, &env, &c, 3);
		assert_true(++calls < 100);
	} while (ret == -EAGAIN);
	assert_int_equal(ret, 0);
	assert_true(calls > 3);
	assert_int_equal(j.n, 4);
	assert_int_equal(j.skipped, 4);
	assert_int_equal(jsites[0].va, KTEXT_VA + 0x200);
	assert_int_equal(jsites[0].len, 2);
	assert_int_equal(jsites[0].target_off, 0x30);
	assert_int_equal(jsites[1].va, KTEXT_VA + 0x300);
	assert_int_equal(jsites[1].len, 5);
	assert_int_equal(jsites[2].va, KTEXT_VA + 0x500);
	assert_int_equal(jsites[3].va, KTEXT_VA + 0x1000);
	assert_int_equal(jsites[3].len, 2);

	/* the sites in use: flipping every key is quiet, a foreign JMP alerts */
	kt_setup(NPAGES_CAP);
	assert_int_equal(chk_ktext_set_sites(&kt, jsites, j.n), 0);
	assert_int_equal(run_pass(&c, 1000), 0);
	t[0x500] = 0xe9; t[0x501] = 0x3b; t[0x502] = t[0x503] = t[0x504] = 0;	/* -> 0x540 */
	memcpy(t + 0x300, nop5, 5);
	t[0x200] = 0xeb; t[0x201] = 0x2e;					/* -> 0x230 */
	t[0x1000] = 0x66; t[0x1001] = 0x90;
	assert_int_equal(run_pass(&c, 1000), 0);
	assert_int_equal(g.nrep, 0);
	t[0x1001] = 0x91;
	assert_int_equal(run_pass(&c, 1000), 0);
	assert_int_equal(count_kind(CHK_KTEXT_SITE, CHK_ALERT), 1);

	/* an unreadable table voids the load */
	map(root, 4, JT_VA, 0x7000000000ull & 0xfffff000, 0, XD, 0);
	*pte_at(*pte_at(*pte_at(*pte_at(root, 511) & 0x000ffffffffff000ull, 510) &
			0x000ffffffffff000ull, (JT_VA >> 21) & 511) & 0x000ffffffffff000ull,
		(JT_VA >> 12) & 511) = 0x7000000000ull | P | XD;
	assert_int_equal(chk_jump_load_init(&j, JT_VA, JT_VA + 16, jsites, 16, 0), 0);
	assert_int_equal(chk_jump_load_step(&j, &env, &c, 10), -EIO);
}

/* The jump table found in RO data without its bounds, then loaded and used. */
static struct chk_jump_find jfind;
static struct chk_site fsites[128];

static void test_linux_jump_find(void **state)
{
	u64 root = build_kernel(4), start = 0, end = 0, base = JT_VA + 0x108;
	struct chk_vcpu c = cpu_for(root, false, true);
	static const u8 nop5[5] = { 0x0f, 0x1f, 0x44, 0x00, 0x00 };
	struct chk_jump_load j;
	int ret, calls = 0;
	u32 i;

	map(root, 4, JT_VA, JT_GPA, 0, XD, 0);
	map(root, 4, JT_VA + 0x1000, JT_GPA + 0x1000, 0, XD, 0);
	memset(g.ram + JT_GPA, 0x5a, 0x2000);			/* not entries */
	for (i = 0; i < 100; i++) {
		u64 code = KTEXT_VA + 0x40 * i;
		u8 *e = g.ram + JT_GPA + (base - JT_VA) + i * 16;
		s32 cv = (s32)(code - (base + i * 16)), tv = (s32)(code + 0x20 - (base + i * 16 + 4));

		memcpy(g.ram + 0x800000 + 0x40 * i, nop5, 5);
		if (i % 3 == 0) {			/* an enabled key: JMP to the target */
			g.ram[0x800000 + 0x40 * i] = 0xe9;
			g.ram[0x800000 + 0x40 * i + 1] = 0x1b;
			memset(g.ram + 0x800000 + 0x40 * i + 2, 0, 3);
		}
		memcpy(e, &cv, 4);
		memcpy(e + 4, &tv, 4);
		memset(e + 8, 0, 8);
		if (i == 50 || i == 51)			/* freed init text: code not executable */
			memset(e, 0xff, 4);
	}
	g.ram[0x800000 + 0x40 * 99 + 1] = 0x1c;	/* 99 % 3 == 0: a JMP elsewhere: ends the table */
	assert_int_equal(chk_jump_find_init(&jfind, JT_VA + 1, JT_VA + 0x2000, 0), -EINVAL);
	assert_int_equal(chk_jump_find_init(&jfind, KTEXT_VA, JT_VA + 0x2000, 0), 0);
	do {
		ret = chk_jump_find_step(&jfind, &env, &c, 1, &start, &end);
		assert_true(++calls < 100000);
	} while (ret == -EAGAIN);
	assert_int_equal(ret, 0);
	assert_int_equal(start, base);
	assert_int_equal(end, base + 99 * 16);

	assert_int_equal(chk_jump_load_init(&j, start, end, fsites, 128, 0), 0);
	while ((ret = chk_jump_load_step(&j, &env, &c, 64)) == -EAGAIN)
		;
	assert_int_equal(ret, 0);
	assert_int_equal(j.n, 97);
	assert_int_equal(j.skipped, 2);
	kt_setup(NPAGES_CAP);
	assert_int_equal(chk_ktext_set_sites(&kt, fsites, j.n), 0);
	assert_int_equal(run_pass(&c, 1000), 0);
	g.ram[0x800000 + 0x40 * 3] = 0x0f;			/* key 3 off */
	memcpy(g.ram + 0x800000 + 0x40 * 3, nop5, 5);
	g.ram[0x800000 + 0x40 * 4] = 0xe9;			/* key 4 on */
	g.ram[0x800000 + 0x40 * 4 + 1] = 0x1b;
	memset(g.ram + 0x800000 + 0x40 * 4 + 2, 0, 3);
	assert_int_equal(run_pass(&c, 1000), 0);
	assert_int_equal(g.nrep, 0);

	/* the same table in writable data is not taken (the kernel's is read-only) */
	*pte_at(*pte_at(*pte_at(*pte_at(root, 511) & 0x000ffffffffff000ull, 510) &
			0x000ffffffffff000ull, (JT_VA >> 21) & 511) & 0x000ffffffffff000ull,
		(JT_VA >> 12) & 511) |= RW;
	assert_int_equal(chk_jump_find_init(&jfind, KTEXT_VA, JT_VA + 0x2000, 0), 0);
	assert_int_equal(chk_jump_find_step(&jfind, &env, &c, 1u << 20, &start, &end), -ENOENT);

	/* nothing like a table */
	assert_int_equal(chk_jump_find_init(&jfind, JT_VA + 0x1000, JT_VA + 0x2000, 0), 0);
	assert_int_equal(chk_jump_find_step(&jfind, &env, &c, 100, &start, &end), -ENOENT);
}

/* ---- storage: ext4 files ---- */

static u8 *disk;
static long disk_size;
static bool disk_fail;

static int disk_read(void *ctx, u64 sector, u32 count, void *buf)
{
	if (disk_fail || sector * 512 + (u64)count * 512 > (u64)disk_size)
		return -EIO;
	memcpy(buf, disk + sector * 512, (size_t)count * 512);
	return 0;
}

static u64 image_ino(const char *path)
{
	FILE *f = fopen(CHECKS_FIXTURES "/files.img.ino", "r");
	char p[64];
	unsigned long long ino;
	u64 r = 0;

	assert_non_null(f);
	while (fscanf(f, "%63s %llu", p, &ino) == 2)
		if (!strcmp(p, path))
			r = ino;
	fclose(f);
	return r;
}

static int run_files(struct chk_files *f, u32 sectors)
{
	int ret, steps = 0;

	while ((ret = chk_files_step(f, &env, sectors)) == -EAGAIN)
		assert_true(++steps < 100000);
	return ret;
}

static void test_files(void **state)
{
	static u8 scratch[EXT4_SCRATCH_SIZE(4096)];
	static struct fs_iv iv[64];
	struct fs_blockdev dev = { .read = disk_read };
	struct chk_file files[3] = { { .path = "/etc/passwd" }, { .path = "/bin/tool" },
				     { .path = "/nope" } };
	struct chk_files fc;
	u8 content[20480] = { 0 }, expect[32], *at;
	unsigned int elen;
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	u64 hdr[3];
	FILE *img = fopen(CHECKS_FIXTURES "/files.img", "rb");

	assert_non_null(img);
	fseek(img, 0, SEEK_END);
	disk_size = ftell(img);
	rewind(img);
	disk = malloc(disk_size);
	assert_int_equal(fread(disk, 1, disk_size, img), disk_size);
	fclose(img);
	disk_fail = false;
	dev.nsectors = disk_size / 512;

	chk_files_init(&fc, files, 3, &dev, scratch, sizeof(scratch), iv, 64);
	assert_int_equal(run_files(&fc, 3), 0);
	assert_int_equal(g.nrep, 1);			/* /nope: an event, not watched */
	assert_int_equal(g.rep[0].kind, CHK_FILE_ERROR);
	assert_int_equal(g.rep[0].severity, CHK_EVENT);
	assert_int_equal(g.rep[0].index, 2);
	assert_int_equal((s64)g.rep[0].old, -ENOENT);

	/* the baseline is SHA-256(ino, type, size, data blocks), computed here by OpenSSL */
	for (u32 i = 0; i < 20000; i++)
		content[i] = (u8)(i * 7 + 3);
	hdr[0] = image_ino("/bin/tool");
	hdr[1] = FS_TYPE_REG;
	hdr[2] = 20000;
	assert_true(hdr[0] > 0);
	EVP_DigestInit_ex(md, EVP_sha256(), NULL);
	EVP_DigestUpdate(md, hdr, sizeof(hdr));
	EVP_DigestUpdate(md, content, sizeof(content));
	EVP_DigestFinal_ex(md, expect, &elen);
	EVP_MD_CTX_free(md);
	assert_memory_equal(files[1].hash, expect, 32);
	assert_int_equal(files[1].ino, hdr[0]);
	assert_int_equal(files[0].ino, image_ino("/etc/passwd"));

	assert_int_equal(run_files(&fc, 5), 0);	/* quiet */
	assert_int_equal(g.nrep, 1);

	at = memmem(disk, disk_size, content, 4096);	/* the file's first block */
	assert_non_null(at);
	at[1234] ^= 0x40;
	assert_int_equal(run_files(&fc, 1), 0);
	assert_int_equal(count_kind(CHK_FILE_CHANGED, CHK_ALERT), 1);
	assert_int_equal(g.rep[g.nrep - 1].index, 1);
	assert_int_equal(run_files(&fc, 100), 0);	/* once */
	assert_int_equal(count_alerts(), 1);
	at[1234] ^= 0x40;
	assert_int_equal(run_files(&fc, 100), 0);	/* restored: quiet */
	assert_int_equal(count_alerts(), 1);

	/* the disk unreadable: one pass of grace, then an alert per watched file */
	disk_fail = true;
	assert_int_equal(run_files(&fc, 100), 0);
	assert_int_equal(count_alerts(), 1);
	assert_int_equal(run_files(&fc, 100), 0);
	assert_int_equal(count_kind(CHK_FILE_ERROR, CHK_ALERT), 2);
	disk_fail = false;
	assert_int_equal(run_files(&fc, 100), 0);
	assert_int_equal(run_files(&fc, 100), 0);
	assert_int_equal(count_alerts(), 3);
	free(disk);
}

static void test_kind_names(void **state)
{
	assert_string_equal(chk_kind_name(CHK_KTEXT_CHANGED), "ktext-changed");
	assert_string_equal(chk_kind_name(CHK_MSR_CHANGED), "syscall-msr-changed");
	assert_string_equal(chk_kind_name(CHK_KIND_MAX), "unknown");
	for (int k = 1; k < CHK_KIND_MAX; k++)
		assert_string_not_equal(chk_kind_name(k), "unknown");
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_sha256_vs_openssl),
		T(test_walk_sizes_nx_us),
		T(test_walk_nxe_off),
		T(test_walk_la57),
		T(test_walk_not_long_mode),
		T(test_walk_translate),
		T(test_walk_loop_bounded),
		T(test_walk_huge_count),
		T(test_walk_read_error),
		T(test_walk_resume),
		T(test_ktext_baseline_quiet),
		T(test_ktext_int3_alert),
		T(test_ktext_module_events),
		T(test_ktext_core_remap_and_unmap),
		T(test_ktext_read_failure),
		T(test_ktext_unreadable_huge),
		T(test_ktext_overflow),
		T(test_ktext_hostile_budget),
		T(test_ktext_la57_pti),
		T(test_ktext_not_long_mode),
		T(test_ktext_sites),
		T(test_idt_quiet_and_gate),
		T(test_idt_idtr_and_read),
		T(test_syscall_msrs),
		T(test_linux_text_base),
		T(test_linux_jump_table),
		T(test_linux_jump_find),
		T(test_files),
		T(test_kind_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
