/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * One MACsec-protected NIC port: a SecY and its MKA actor behind the three
 * calls the NIC layer makes (the shape of vmm/include/mamori/net.h's struct
 * net_secy_ops on the e1000 branch: priv = struct macsec_port *):
 *
 *   macsec_port_protect()   guest frame -> wire frame (+32 bytes)
 *   macsec_port_validate()  wire frame  -> guest frame, or a negative errno
 *                           to drop; EAPOL-MKA (0x888E) goes to MKA and is
 *                           consumed (-EPERM), never shown to the guest
 *   macsec_port_tick()      MKA timers from a VMM timer (no guest help)
 *
 * MKPDUs leave through cfg's ops->send, which the NIC layer provides (an
 * unprotected transmit of a VMM-built frame). Drops are counted in the SecY
 * (secy.drops[], by reason) and logged rate-limited with the reason.
 */
#ifndef NET_MACSEC_PORT_H
#define NET_MACSEC_PORT_H

#include <net/macsec.h>
#include <net/mka.h>

struct macsec_port {
	struct macsec_secy secy;
	struct mka mka;
	u64 now_ms;		/* of the last tick: MKPDUs received get this time */
	u64 mkpdus;		/* EAPOL frames consumed */
	u64 summary_ms;		/* next drop summary due */
	u64 summary_sum;	/* drops counted at the last summary */
	u32 nlog;
};

/*
 * macsec_port_init - SecY with @cfg's SCI and cipher and @replay_window,
 * then MKA from @cfg (see mka_init()). Returns 0 or the failing step's code.
 */
int macsec_port_init(struct macsec_port *p, const struct mka_config *cfg, u32 replay_window,
		     const struct mka_ops *ops, u64 now_ms);
/* macsec_port_stop - MKA stopped, every key zeroed. */
void macsec_port_stop(struct macsec_port *p);

int macsec_port_protect(void *priv, const u8 *in, u32 len, u8 *out, u32 cap, u32 *out_len);
int macsec_port_validate(void *priv, const u8 *in, u32 len, u8 *out, u32 cap, u32 *out_len);
/*
 * macsec_port_tick - MKA's timers; every MACSEC_PORT_SUMMARY_MS, when a drop
 * counter moved, one log line with every counter ("macsec: drops: ...").
 */
void macsec_port_tick(void *priv, u64 now_ms);
#define MACSEC_PORT_SUMMARY_MS	5000

#endif
