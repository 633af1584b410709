/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The NIC layer's frame side (docs/network.md): every NIC the VMM intercepts
 * is a struct net_port, and its driver hands each whole guest frame to
 * net_tx() before anything reaches the wire and each whole wire frame to
 * net_rx() before anything reaches the guest. The port's policy mode decides:
 * block drops every frame, pass copies it unchanged (explicitly unprotected),
 * encrypt goes through the port's SecY (struct net_secy_ops, the MACsec
 * layer's hook; without one, encrypt drops). Drivers never look at the mode
 * for frames, only for the link (net_link_allowed()).
 *
 * NICs the VMM cannot intercept are reported with net_uncovered(); the
 * coverage phase (net_check_coverage()) stops the boot when one of them is
 * to be blocked or encrypted.
 */
#ifndef MAMORI_NET_H
#define MAMORI_NET_H

#include <mamori/types.h>

struct policy;
struct policy_secrets;

/* Largest frame either way, FCS excluded: 1518 + VLAN tag + MACsec SecTAG/ICV. */
#define NET_FRAME_MAX		1600
/* What a SecY may add to a frame (SecTAG with SCI 16 + ICV 16). */
#define NET_SECY_OVERHEAD	32

/*
 * struct net_secy_ops - the MACsec layer as the NIC layer calls it.
 * @protect: guest frame @in (@len bytes) into wire frame @out (at most @cap,
 *	length in *@out_len); 0, or a negative errno to drop it.
 * @validate: wire frame into the plain guest frame; 0 to deliver, a negative
 *	errno to drop (not MACsec, bad ICV, replay, unknown SCI; EAPOL-MKA is
 *	consumed: -EPERM too).
 * @tick: timers (MKA hello, SAK rollover), called without the guest's help.
 */
struct net_secy_ops {
	int (*protect)(void *priv, const u8 *in, u32 len, u8 *out, u32 cap, u32 *out_len);
	int (*validate)(void *priv, const u8 *in, u32 len, u8 *out, u32 cap, u32 *out_len);
	void (*tick)(void *priv, u64 now_ms);
};

/*
 * struct net_port_ops - what the driver offers the NIC layer.
 * @xmit: put @len bytes made by the VMM (MKA's EAPOL frames) on the wire:
 *	0, or -EBUSY when the device has no room (dropped; MKA retransmits).
 *	Called only from within the SecY's hooks, which the driver calls with
 *	its own lock held: @xmit must not take it again.
 * @poll: from the VMM's periodic hook (net_poll()), on any CPU: take the
 *	driver's lock, net_port_tick(), move received frames on (MKA must
 *	progress while the guest idles and touches no register).
 */
struct net_port_ops {
	int (*xmit)(void *drv, const u8 *frame, u32 len);
	void (*poll)(void *drv, u64 now_ms);
};

struct net_stats {
	u64 tx_frames, tx_bytes, tx_dropped;
	u64 rx_frames, rx_bytes, rx_dropped;
};

/*
 * struct net_port - one intercepted NIC.
 * @bdf: its PCI function; @model: the driver's name for log lines.
 * @mode: enum policy_net_mode, from the policy (fixed once opened).
 * @secy, @secy_priv: the SecY of an encrypt port (NULL: none wired in).
 * @ops, @drv: the driver's side, set when it attaches.
 */
struct net_port {
	u16 bdf;
	const char *model;
	u8 mode;
	const struct net_secy_ops *secy;
	void *secy_priv;
	const struct net_port_ops *ops;
	void *drv;
	struct net_stats stats;
	u32 nlog;
};

/*
 * net_init - the "net" boot phase: remember @pol (NULL: no policy, every NIC
 * blocked) and copy the CAK/CKN of each encrypt rule from @s (the network
 * key secret: CAK, 16 bytes, then CKN, 16 bytes). An encrypt rule whose key
 * is missing: -EINVAL (logged), the boot stops.
 */
int net_init(const struct policy *pol, const struct policy_secrets *s);

/* net_mode_of - the mode the policy gives the NIC at @bdf (block by default). */
u8 net_mode_of(u16 bdf);

/* net_mode_name - "encrypt", "block", "pass" or "?". */
const char *net_mode_name(u8 mode);

/*
 * net_port_open - a driver intercepts the NIC at @bdf: fill @p with its
 * mode. Return 0, -ENOSYS for encrypt without a CAK (the driver must not
 * attach; the coverage phase then refuses), -E2BIG when too many ports.
 * An encrypt port passes nothing until net_port_secure() started its SecY.
 */
int net_port_open(struct net_port *p, u16 bdf, const char *model);

/*
 * net_port_secure - after the driver attached (@p->ops set): for an encrypt
 * port, start its MACsec port (SecY + MKA with the rule's CAK/CKN, SCI from
 * the NIC's address @mac, GCM-AES-128, key server priority 16) with MKA
 * sending through net_port_xmit(). 0 (also for other modes), or a negative
 * errno (no entropy, bad key, no memory: logged; the driver must refuse).
 */
int net_port_secure(struct net_port *p, const u8 mac[6]);

/*
 * net_port_tick - @p's SecY timers at @now_ms; the driver calls it from its
 * @poll with its lock held.
 */
void net_port_tick(struct net_port *p, u64 now_ms);

/*
 * net_poll - the periodic hook (platform_poll_periodic(), the VMX preemption
 * timer): every NET_POLL_MS at most, each secured port's driver @poll.
 */
void net_poll(void);

/*
 * net_wants_tick - true when a NIC is in mode encrypt: its MKA timers and
 * receive ring need the periodic tick while the guest idles (the VMX
 * preemption timer is armed only then: it costs exits on every boot).
 */
bool net_wants_tick(void);
#define NET_POLL_MS		50

/*
 * net_secy_start - the MACsec layer (vmm/net_secy.c, over net/macsec_port.h)
 * for @p under rule @r (its cipher; MKA accepts only @r->peer_mac's SCI as a
 * peer): @key is the rule's CAK||CKN. Sets @p->secy and @p->secy_priv.
 */
struct policy_net_rule;
int net_secy_start(struct net_port *p, const struct policy_net_rule *r, const u8 *key,
		   const u8 mac[6], u64 now_ms);
/* net_cipher_name - "GCM-AES-128" or "GCM-AES-256" for a rule's cipher. */
const char *net_cipher_name(u8 cipher);

/*
 * net_uncovered - the NIC at @bdf (@vendor:@device, for the log) is not
 * intercepted; its mode decides at the coverage phase: pass is allowed
 * (logged as unprotected), block and encrypt stop the boot.
 */
void net_uncovered(u16 bdf, u16 vendor, u16 device);

/* net_check_coverage - the coverage phase: 0, or -EPERM (logged) when a NIC escapes its mode. */
int net_check_coverage(void);

/* net_link_allowed - whether the guest may see @p's link up (not in block mode). */
bool net_link_allowed(const struct net_port *p);

/*
 * net_tx - the guest frame @in (@len bytes, FCS excluded) as it may leave:
 * 0 with the wire frame in @out (*@out_len bytes, @cap at most), or a
 * negative errno: drop it (counted, never sent).
 */
int net_tx(struct net_port *p, const u8 *in, u32 len, u8 *out, u32 cap, u32 *out_len);

/* net_rx - the wire frame @in as the guest may see it; same contract as net_tx(). */
int net_rx(struct net_port *p, const u8 *in, u32 len, u8 *out, u32 cap, u32 *out_len);

/*
 * net_port_xmit - for the SecY: send a frame the VMM made (EAPOL-MKA). Only
 * an encrypt port with a SecY sends VMM frames; 0 or a negative errno.
 */
int net_port_xmit(struct net_port *p, const u8 *frame, u32 len);

#endif
