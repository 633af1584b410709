/* SPDX-License-Identifier: GPL-2.0-only */
/* Ticket spinlock for VMX-root code (interrupts are always off in the VMM). */
#ifndef MAMORI_ASM_SPINLOCK_H
#define MAMORI_ASM_SPINLOCK_H

#include <mamori/types.h>

typedef struct {
	volatile u16 next;
	volatile u16 owner;
} spinlock_t;

#define SPINLOCK_INIT	{ 0, 0 }

static inline void spin_lock(spinlock_t *l)
{
	u16 me = __atomic_fetch_add(&l->next, 1, __ATOMIC_ACQUIRE);

	while (__atomic_load_n(&l->owner, __ATOMIC_ACQUIRE) != me)
		__asm__ volatile("pause" ::: "memory");
}

/* spin_trylock - take @l if nobody holds or waits for it; true when taken. */
static inline bool spin_trylock(spinlock_t *l)
{
	u16 owner = __atomic_load_n(&l->owner, __ATOMIC_ACQUIRE);
	u16 next = owner;

	return __atomic_compare_exchange_n(&l->next, &next, (u16)(owner + 1), false,
					   __ATOMIC_ACQUIRE, __ATOMIC_RELAXED);
}

static inline void spin_unlock(spinlock_t *l)
{
	__atomic_store_n(&l->owner, l->owner + 1, __ATOMIC_RELEASE);
}

#endif
