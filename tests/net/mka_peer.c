// SPDX-License-Identifier: GPL-2.0-only
/*
 * mka_peer: Mamori's MKA + SecY (net/, the very sources the VMM links, called
 * through net/macsec_port.h as the NIC layer calls them) as one
 * end of a MACsec link, over a raw AF_PACKET socket on a Linux interface, for
 * the interop test tests/e2e/t-macsec-interop.sh (docs/network.md). It plays a
 * tiny IPv4 host behind the SecY: answers ARP for its address and ICMP echo,
 * and once MKA has a SAK sends echo requests of its own to --peer-ip.
 * Frames that are neither EAPOL-MKA nor valid MACsec are dropped and counted.
 *
 *   mka_peer --if IF --mac MAC --ip A.B.C.D --peer-ip A.B.C.D --cak HEX
 *            --ckn HEX [--prio N] [--gcm256] --seconds N [--until-replies N]
 *            [--peer-mac MAC]   (else learnt from the peer's ARP or ICMP)
 *
 * Prints state changes and ends with one "MKA-PEER ..." summary line
 * (key=value), also on SIGTERM. Exit status 0; the test script judges the
 * counters.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <net/macsec_port.h>
#include <net/random.h>
#include <mamori/errno.h>

int arch_random_bytes(void *buf, size_t len)
{
	return getrandom(buf, len, 0) == (ssize_t)len ? 0 : -EIO;
}

static int sock;
static int ifindex;
static struct macsec_port port;
#define secy port.secy
#define mka port.mka
static u8 my_mac[6], peer_mac[6];
static bool peer_known;
static u32 my_ip, peer_ip;
static u16 ping_seq;
static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	stop = 1;
}
static struct {
	u64 rx_plain_dropped, rx_macsec_ok, arp_answered, echo_answered;
	u64 echo_sent, echo_replies, tx_refused;
} cnt;

static u64 now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (u64)ts.tv_sec * 1000 + (u64)ts.tv_nsec / 1000000;
}

static int raw_send(const u8 *f, size_t len)
{
	struct sockaddr_ll sa = { .sll_family = AF_PACKET, .sll_ifindex = ifindex, .sll_halen = 6 };

	memcpy(sa.sll_addr, f, 6);
	return sendto(sock, f, len, 0, (struct sockaddr *)&sa, sizeof(sa)) == (ssize_t)len ? 0 : -EIO;
}

static int mka_send(void *ctx, const u8 *f, size_t len)
{
	return raw_send(f, len);
}

/* A plain frame from our "host" goes out only through the SecY. */
static void send_protected(const u8 *f, size_t len)
{
	u8 wire[1600];
	u32 wl;

	if (macsec_port_protect(&port, f, (u32)len, wire, sizeof(wire), &wl)) {
		cnt.tx_refused++;
		return;
	}
	raw_send(wire, wl);
}

static u16 csum(const u8 *p, size_t n)
{
	u32 s = 0;

	for (; n > 1; p += 2, n -= 2)
		s += (u32)(p[0] << 8 | p[1]);
	if (n)
		s += (u32)(p[0] << 8);
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (u16)~s;
}

static void answer_arp(const u8 *f, size_t len)
{
	u8 r[42];

	if (len < 42 || f[20] != 0 || f[21] != 1 || memcmp(f + 38, &my_ip, 4))
		return;
	memcpy(r, f + 6, 6);
	memcpy(r + 6, my_mac, 6);
	memcpy(r + 12, f + 12, 8);	/* EtherType, htype, ptype, hlen, plen */
	r[20] = 0;
	r[21] = 2;			/* reply */
	memcpy(r + 22, my_mac, 6);
	memcpy(r + 28, &my_ip, 4);
	memcpy(r + 32, f + 22, 10);	/* sender MAC + IP become the target */
	memcpy(peer_mac, f + 22, 6);
	peer_known = true;
	send_protected(r, sizeof(r));
	cnt.arp_answered++;
}

static void handle_ipv4(const u8 *f, size_t len)
{
	u8 r[1600];
	size_t ihl, tot;

	if (len < 34 || (f[14] >> 4) != 4 || f[23] != 1 || memcmp(f + 30, &my_ip, 4))
		return;
	ihl = (size_t)(f[14] & 15) * 4;
	tot = (size_t)(f[16] << 8 | f[17]);
	if (ihl < 20 || tot < ihl + 8 || 14 + tot > len || tot > sizeof(r) - 14)
		return;
	memcpy(peer_mac, f + 6, 6);
	peer_known = true;
	if (f[14 + ihl] == 0) {		/* echo reply to one of ours */
		cnt.echo_replies++;
		return;
	}
	if (f[14 + ihl] != 8)
		return;
	memcpy(r, f, 14 + tot);
	memcpy(r, f + 6, 6);
	memcpy(r + 6, my_mac, 6);
	memcpy(r + 26, f + 30, 4);
	memcpy(r + 30, f + 26, 4);
	r[22] = 64;
	r[24] = r[25] = 0;
	r[14 + ihl] = 0;		/* echo reply */
	r[14 + ihl + 2] = r[14 + ihl + 3] = 0;
	{
		u16 c = csum(r + 14 + ihl, tot - ihl);

		r[14 + ihl + 2] = (u8)(c >> 8);
		r[14 + ihl + 3] = (u8)c;
		c = csum(r + 14, ihl);
		r[24] = (u8)(c >> 8);
		r[25] = (u8)c;
	}
	send_protected(r, 14 + tot);
	cnt.echo_answered++;
}

static void send_echo(void)
{
	u8 f[14 + 20 + 8 + 32];
	u16 c;

	if (!peer_known)
		return;
	memset(f, 0, sizeof(f));
	memcpy(f, peer_mac, 6);
	memcpy(f + 6, my_mac, 6);
	f[12] = 0x08;
	f[14] = 0x45;
	f[17] = sizeof(f) - 14;
	f[22] = 64;
	f[23] = 1;
	memcpy(f + 26, &my_ip, 4);
	memcpy(f + 30, &peer_ip, 4);
	c = csum(f + 14, 20);
	f[24] = (u8)(c >> 8);
	f[25] = (u8)c;
	f[34] = 8;
	f[38] = 0x4d;	/* identifier 'M' 'M' */
	f[39] = 0x4d;
	f[40] = (u8)(++ping_seq >> 8);
	f[41] = (u8)ping_seq;
	memcpy(f + 42, "mamori-macsec-interop-payload-01", 32);
	c = csum(f + 34, 8 + 32);
	f[36] = (u8)(c >> 8);
	f[37] = (u8)c;
	send_protected(f, sizeof(f));
	cnt.echo_sent++;
}

static void handle_frame(const u8 *f, size_t len)
{
	u8 plain[1600];
	u32 pl;
	u16 et;

	if (len < 14 || !memcmp(f + 6, my_mac, 6))
		return;
	et = (u16)(f[12] << 8 | f[13]);
	/* What the NIC layer does with a received frame: all through the port. */
	if (macsec_port_validate(&port, f, (u32)len, plain, sizeof(plain), &pl)) {
		if (et != MACSEC_ETHERTYPE && et != MKA_ETHERTYPE)
			cnt.rx_plain_dropped++;
		return;
	}
	cnt.rx_macsec_ok++;
	et = (u16)(plain[12] << 8 | plain[13]);
	if (et == 0x0806)
		answer_arp(plain, pl);
	else if (et == 0x0800)
		handle_ipv4(plain, pl);
}

static size_t unhex(const char *h, u8 *out, size_t max)
{
	size_t n = 0;
	unsigned int b;

	while (h[0] && h[1] && n < max && sscanf(h, "%2x", &b) == 1) {
		out[n++] = (u8)b;
		h += 2;
	}
	return n;
}

static int open_socket(const char *ifname)
{
	struct sockaddr_ll sa = { .sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_ALL) };
	struct packet_mreq mr = { .mr_type = PACKET_MR_PROMISC };

	sock = socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL));
	ifindex = (int)if_nametoindex(ifname);
	if (sock < 0 || !ifindex)
		return -1;
	sa.sll_ifindex = ifindex;
	mr.mr_ifindex = ifindex;
	if (bind(sock, (struct sockaddr *)&sa, sizeof(sa)))
		return -1;
	return setsockopt(sock, SOL_PACKET, PACKET_ADD_MEMBERSHIP, &mr, sizeof(mr));
}

static void usage(void)
{
	fprintf(stderr, "usage: mka_peer --if IF --mac MAC --ip IP --peer-ip IP --cak HEX "
		"--ckn HEX [--prio N] [--gcm256] --seconds N [--until-replies N] [--peer-mac MAC]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "if", 1, 0, 'i' }, { "mac", 1, 0, 'm' }, { "ip", 1, 0, 'a' },
		{ "peer-ip", 1, 0, 'p' }, { "cak", 1, 0, 'k' }, { "ckn", 1, 0, 'n' },
		{ "prio", 1, 0, 'P' }, { "gcm256", 0, 0, 'G' }, { "seconds", 1, 0, 's' },
		{ "until-replies", 1, 0, 'u' }, { "peer-mac", 1, 0, 'M' },
		{ 0 }
	};
	struct mka_config cfg = { .port = 1, .priority = 0x10, .cipher = MACSEC_GCM_AES_128 };
	struct mka_ops ops = { .send = mka_send };
	const char *ifname = NULL;
	u64 end, next_ping = 0;
	bool was_secured = false;
	int live = 0, c, seconds = 20, i;
	u64 until_replies = 0;
	unsigned int mac[6];

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'i': ifname = optarg; break;
		case 'm':
			if (sscanf(optarg, "%x:%x:%x:%x:%x:%x", &mac[0], &mac[1], &mac[2],
				   &mac[3], &mac[4], &mac[5]) != 6)
				usage();
			for (i = 0; i < 6; i++)
				cfg.mac[i] = my_mac[i] = (u8)mac[i];
			break;
		case 'a': inet_pton(AF_INET, optarg, &my_ip); break;
		case 'p': inet_pton(AF_INET, optarg, &peer_ip); break;
		case 'k': cfg.cak_len = unhex(optarg, cfg.cak, sizeof(cfg.cak)); break;
		case 'n': cfg.ckn_len = unhex(optarg, cfg.ckn, sizeof(cfg.ckn)); break;
		case 'P': cfg.priority = (u8)strtoul(optarg, NULL, 0); break;
		case 'G': cfg.cipher = MACSEC_GCM_AES_256; break;
		case 's': seconds = atoi(optarg); break;
		case 'u': until_replies = strtoull(optarg, NULL, 0); break;
		case 'M':
			if (sscanf(optarg, "%x:%x:%x:%x:%x:%x", &mac[0], &mac[1], &mac[2],
				   &mac[3], &mac[4], &mac[5]) != 6)
				usage();
			for (i = 0; i < 6; i++)
				peer_mac[i] = (u8)mac[i];
			peer_known = true;
			break;
		default: usage();
		}
	}
	if (!ifname || !my_ip || !peer_ip)
		usage();
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (open_socket(ifname)) {
		perror("mka_peer: raw socket");
		return 1;
	}
	if (macsec_port_init(&port, &cfg, 0, &ops, now_ms())) {
		fprintf(stderr, "mka_peer: bad configuration (CAK 16/32 bytes, CKN 1..32)\n");
		return 2;
	}
	signal(SIGTERM, on_signal);
	signal(SIGINT, on_signal);
	end = now_ms() + (u64)seconds * 1000;
	while (now_ms() < end && !stop && (!until_replies || cnt.echo_replies < until_replies)) {
		struct pollfd pfd = { .fd = sock, .events = POLLIN };
		u8 f[2048];
		ssize_t n;

		if (poll(&pfd, 1, 50) > 0) {
			while ((n = recv(sock, f, sizeof(f), MSG_DONTWAIT)) > 0)
				handle_frame(f, (size_t)n);
		}
		macsec_port_tick(&port, now_ms());
		if (mka_live_peers(&mka) != live) {
			live = mka_live_peers(&mka);
			printf("mka_peer: live peers %d (key server: %s)\n", live,
			       mka.key_server ? "us" : mka.elected ? "peer" : "none");
		}
		if (mka_secured(&mka) != was_secured) {
			was_secured = mka_secured(&mka);
			printf("mka_peer: %s\n", was_secured ? "secured: transmitting with a SAK" :
			       "not secured");
		}
		if (was_secured && now_ms() >= next_ping) {
			send_echo();
			next_ping = now_ms() + 1000;
		}
	}
	printf("MKA-PEER secured=%d key_server=%d live=%d saks_made=%llu saks_installed=%llu "
	       "mkpdu_ok=%llu mkpdu_bad_icv=%llu mkpdu_unknown_ckn=%llu mkpdu_stale=%llu "
	       "macsec_ok=%llu plain_dropped=%llu bad_icv=%llu unknown_sci=%llu replay=%llu "
	       "no_sa=%llu arp_answered=%llu echo_answered=%llu echo_sent=%llu echo_replies=%llu "
	       "tx_protected=%llu tx_refused=%llu tx_an=%u\n",
	       mka_secured(&mka), mka.key_server, mka_live_peers(&mka),
	       (unsigned long long)mka.st.saks_made, (unsigned long long)mka.st.saks_installed,
	       (unsigned long long)mka.st.rx_ok, (unsigned long long)mka.st.rx_bad_icv,
	       (unsigned long long)mka.st.rx_unknown_ckn, (unsigned long long)mka.st.rx_stale_mn,
	       (unsigned long long)cnt.rx_macsec_ok, (unsigned long long)cnt.rx_plain_dropped,
	       (unsigned long long)secy.drops[MACSEC_DROP_BAD_ICV],
	       (unsigned long long)secy.drops[MACSEC_DROP_UNKNOWN_SCI],
	       (unsigned long long)secy.drops[MACSEC_DROP_REPLAY],
	       (unsigned long long)secy.drops[MACSEC_DROP_NO_SA],
	       (unsigned long long)cnt.arp_answered, (unsigned long long)cnt.echo_answered,
	       (unsigned long long)cnt.echo_sent, (unsigned long long)cnt.echo_replies,
	       (unsigned long long)secy.tx_protected, (unsigned long long)cnt.tx_refused,
	       secy.tx_an);
	macsec_port_stop(&port);
	return 0;
}
