// SPDX-License-Identifier: GPL-2.0-only
/*
 * smp-stress: keep every CPU of the test guest busy with IPIs and scheduling
 * for a bounded time (static, no libc; see tests/e2e/scenarios/smp-stress.sh).
 *
 *   smp-stress MILLISECONDS
 *
 * The time is the guest's CLOCK_MONOTONIC: under Bochs a guest second of busy
 * CPUs costs a minute or more of wall time, so tests ask for a few hundred ms.
 * For each CPU i it runs, at once:
 *  - a pair of processes ping-ponging a byte through pipes, one pinned to CPU i
 *    and one to CPU i+1 (cross-CPU wakeups: reschedule IPIs); every 16 round
 *    trips the pinger moves itself to the next CPU (migrations);
 *  - a thread of one shared address space, pinned to CPU i, that maps, touches
 *    and unmaps memory (TLB shootdown IPIs to the CPUs running its siblings)
 *    and checks with getcpu that it runs where it was pinned.
 * It prints one line per worker and `SMP-STRESS-OK` when every worker made
 * progress and finished; exits 1 (after saying which) otherwise, including
 * when a worker is still running one more duration after the deadline.
 */
#define SYS_read		0
#define SYS_write		1
#define SYS_close		3
#define SYS_mmap		9
#define SYS_munmap		11
#define SYS_pipe		22
#define SYS_sched_yield		24
#define SYS_nanosleep		35
#define SYS_clone		56
#define SYS_fork		57
#define SYS_exit		60
#define SYS_wait4		61
#define SYS_kill		62
#define SYS_sched_setaffinity	203
#define SYS_sched_getaffinity	204
#define SYS_clock_gettime	228
#define SYS_exit_group		231
#define SYS_getcpu		309

#define CPUS_MAX	64
#define MAP_BYTES	(64 * 1024)
#define THREAD_STACK	(16 * 1024)
#define WNOHANG		1
#define SIGKILL		9
/* CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD | CLONE_SYSVSEM */
#define CLONE_THREAD_FLAGS	0x50f00UL

typedef unsigned long u64;

static long sys6(long nr, long a, long b, long c, long d, long e, long f)
{
	register long r10 asm("r10") = d;
	register long r8 asm("r8") = e;
	register long r9 asm("r9") = f;
	long ret;

	asm volatile("syscall"
		     : "=a"(ret)
		     : "a"(nr), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8), "r"(r9)
		     : "rcx", "r11", "memory");
	return ret;
}

#define sys3(nr, a, b, c)	sys6(nr, (long)(a), (long)(b), (long)(c), 0, 0, 0)

/* thread_spawn(stack_top, fn, arg): clone a thread that runs fn(arg), then exits. */
long thread_spawn(void *stack_top, void (*fn)(void *), void *arg);
asm(".globl thread_spawn\n"
    "thread_spawn:\n"
    "	mov %rsi, -8(%rdi)\n"
    "	mov %rdx, -16(%rdi)\n"
    "	lea -16(%rdi), %rsi\n"
    "	mov $0x50f00, %edi\n"
    "	xor %edx, %edx\n"
    "	xor %r10d, %r10d\n"
    "	xor %r8d, %r8d\n"
    "	mov $56, %eax\n"
    "	syscall\n"
    "	test %rax, %rax\n"
    "	jnz 1f\n"
    "	pop %rdi\n"
    "	pop %rax\n"
    "	call *%rax\n"
    "	mov $60, %eax\n"
    "	xor %edi, %edi\n"
    "	syscall\n"
    "	hlt\n"
    "1:	ret\n");

static unsigned long str_len(const char *s)
{
	unsigned long n = 0;

	while (s[n])
		n++;
	return n;
}

static void put(const char *s)
{
	sys3(SYS_write, 1, s, str_len(s));
}

static void put_num(u64 v)
{
	char buf[24];
	int i = 23;

	buf[i] = 0;
	do {
		buf[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	put(buf + i);
}

static u64 now_ms(void)
{
	long ts[2];

	sys3(SYS_clock_gettime, 1, ts, 0);	/* CLOCK_MONOTONIC */
	return (u64)ts[0] * 1000 + (u64)ts[1] / 1000000;
}

static void sleep_ms(long ms)
{
	long ts[2] = { ms / 1000, (ms % 1000) * 1000000 };

	sys3(SYS_nanosleep, ts, 0, 0);
}

static int pin(int cpu)
{
	u64 mask[CPUS_MAX / 64] = { 0 };

	mask[cpu / 64] = 1UL << (cpu % 64);
	return (int)sys3(SYS_sched_setaffinity, 0, sizeof(mask), mask);
}

static int cur_cpu(void)
{
	unsigned int cpu = ~0u;

	sys3(SYS_getcpu, &cpu, 0, 0);
	return (int)cpu;
}

static int ncpu;
static u64 deadline, grace_end;

/* Shared by the threads (same address space). */
struct thread_slot {
	volatile u64 maps;
	volatile int wrong_cpu;
	volatile int done;
};
static struct thread_slot slots[CPUS_MAX];
static char stacks[CPUS_MAX][THREAD_STACK] __attribute__((aligned(16)));

static void mapper(void *arg)
{
	struct thread_slot *s = arg;
	int cpu = (int)(s - slots);

	if (pin(cpu))
		s->wrong_cpu = 1;
	while (now_ms() < deadline) {
		volatile char *p = (volatile char *)sys6(SYS_mmap, 0, MAP_BYTES, 3, 0x22, -1, 0);
		long i;

		if ((long)p < 0 && (long)p > -4096)
			break;
		for (i = 0; i < MAP_BYTES; i += 4096)
			p[i] = (char)i;
		sys3(SYS_munmap, p, MAP_BYTES, 0);
		if (cur_cpu() != cpu)
			s->wrong_cpu = 1;
		s->maps++;
		sys3(SYS_sched_yield, 0, 0, 0);
	}
	s->done = 1;
}

/* The ponger of pair @cpu: echo each byte back until the pipe closes. */
static void ponger(int cpu, int in, int out)
{
	char c;

	pin((cpu + 1) % ncpu);
	while (sys3(SYS_read, in, &c, 1) == 1)
		sys3(SYS_write, out, &c, 1);
	sys3(SYS_exit, 0, 0, 0);
}

/* The pinger: round trips until the deadline; its count goes to @report. */
static void pinger(int cpu, int out, int in, int report)
{
	u64 trips = 0;
	int where = cpu;
	char c = 'x';

	pin(where);
	while (now_ms() < deadline) {
		if (sys3(SYS_write, out, &c, 1) != 1 || sys3(SYS_read, in, &c, 1) != 1)
			break;
		if (++trips % 16 == 0) {
			where = (where + 1) % ncpu;
			pin(where);
		}
	}
	sys3(SYS_write, report, &trips, sizeof(trips));
	sys3(SYS_exit, 0, 0, 0);
}

static long parse_num(const char *s)
{
	long v = 0;

	if (!*s)
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9' || v > 10000000)
			return -1;
		v = v * 10 + (*s - '0');
	}
	return v;
}

static int count_cpus(void)
{
	u64 mask[CPUS_MAX / 64] = { 0 };
	int n = 0, i;

	if (sys3(SYS_sched_getaffinity, 0, sizeof(mask), mask) < 0)
		return 1;
	for (i = 0; i < CPUS_MAX; i++)
		n += (mask[i / 64] >> (i % 64)) & 1;
	return n;
}

static int run(int argc, char **argv)
{
	int pids[2 * CPUS_MAX], reports[CPUS_MAX], i, bad = 0, alive;
	long ms;

	ms = argc == 2 ? parse_num(argv[1]) : -1;
	if (ms <= 0) {
		put("usage: smp-stress MILLISECONDS\n");
		return 2;
	}
	ncpu = count_cpus();
	deadline = now_ms() + (u64)ms;
	grace_end = deadline + (u64)ms + 100;
	put("SMP-STRESS: ");
	put_num((u64)ncpu);
	put(" CPUs, ");
	put_num((u64)ms);
	put(" ms\n");

	for (i = 0; i < ncpu; i++) {
		int ab[2], ba[2], rep[2];

		if (sys3(SYS_pipe, ab, 0, 0) || sys3(SYS_pipe, ba, 0, 0) ||
		    sys3(SYS_pipe, rep, 0, 0)) {
			put("SMP-STRESS-FAIL: pipe\n");
			return 1;
		}
		pids[2 * i] = (int)sys3(SYS_fork, 0, 0, 0);
		if (pids[2 * i] == 0) {
			sys3(SYS_close, ab[1], 0, 0);
			sys3(SYS_close, ba[0], 0, 0);
			sys3(SYS_close, rep[0], 0, 0);
			sys3(SYS_close, rep[1], 0, 0);
			ponger(i, ab[0], ba[1]);
		}
		pids[2 * i + 1] = (int)sys3(SYS_fork, 0, 0, 0);
		if (pids[2 * i + 1] == 0) {
			sys3(SYS_close, ab[0], 0, 0);
			sys3(SYS_close, ba[1], 0, 0);
			sys3(SYS_close, rep[0], 0, 0);
			pinger(i, ab[1], ba[0], rep[1]);
		}
		if (pids[2 * i] < 0 || pids[2 * i + 1] < 0) {
			put("SMP-STRESS-FAIL: fork\n");
			return 1;
		}
		/* The parent keeps only the report's read end; the ponger sees
		 * EOF once the pinger (the last writer) exits. */
		sys3(SYS_close, ab[0], 0, 0);
		sys3(SYS_close, ab[1], 0, 0);
		sys3(SYS_close, ba[0], 0, 0);
		sys3(SYS_close, ba[1], 0, 0);
		sys3(SYS_close, rep[1], 0, 0);
		reports[i] = rep[0];
	}
	for (i = 0; i < ncpu; i++)
		if (thread_spawn(stacks[i] + THREAD_STACK, mapper, &slots[i]) < 0) {
			put("SMP-STRESS-FAIL: clone\n");
			return 1;
		}

	/* Reap until all are gone or the grace time after the deadline ends. */
	alive = 2 * ncpu;
	while (alive) {
		int st, pid = (int)sys6(SYS_wait4, -1, (long)&st, WNOHANG, 0, 0, 0);

		if (pid > 0) {
			alive--;
			continue;
		}
		if (now_ms() > grace_end)
			break;
		sleep_ms(20);
	}
	for (i = 0; i < ncpu; i++)
		while (!slots[i].done && now_ms() <= grace_end)
			sleep_ms(20);

	for (i = 0; i < ncpu; i++) {
		u64 trips = 0;

		if (alive)
			sys3(SYS_kill, pids[2 * i + 1], SIGKILL, 0);
		if (sys3(SYS_read, reports[i], &trips, sizeof(trips)) != sizeof(trips))
			trips = 0;
		put("SMP-STRESS: pair cpu");
		put_num((u64)i);
		put("<->cpu");
		put_num((u64)((i + 1) % ncpu));
		put(" round trips ");
		put_num(trips);
		put(", thread cpu");
		put_num((u64)i);
		put(" maps ");
		put_num(slots[i].maps);
		put(slots[i].wrong_cpu ? " WRONG-CPU" : "");
		put(slots[i].done ? "\n" : " STUCK\n");
		if (!trips || !slots[i].maps || slots[i].wrong_cpu || !slots[i].done)
			bad = 1;
	}
	if (alive) {
		put("SMP-STRESS-FAIL: ");
		put_num((u64)alive);
		put(" processes still running after the deadline\n");
		return 1;
	}
	if (bad) {
		put("SMP-STRESS-FAIL: a worker made no progress, ran elsewhere or hung\n");
		return 1;
	}
	put("SMP-STRESS-OK\n");
	return 0;
}

void smp_stress_main(long *sp);

void smp_stress_main(long *sp)
{
	sys3(SYS_exit_group, run((int)sp[0], (char **)(sp + 1)), 0, 0);
	for (;;)
		;
}

asm(".globl _start\n"
    "_start:\n"
    "	mov %rsp, %rdi\n"
    "	and $-16, %rsp\n"
    "	call smp_stress_main\n"
    "	hlt\n");
