// SPDX-License-Identifier: GPL-2.0-only
/*
 * Host stand-in for vmm/filecheck.c in the driver tests: filecheck_attach()
 * hands out one struct fc_disk per call (inactive: rules 0); a test makes a
 * unit active by setting stub_fc_refuse (a range every command touching it
 * is refused in) and reads back what filecheck_io() was asked.
 */
#include <mamori/filecheck.h>

struct stub_fc {
	u64 refuse_lba, refuse_n;	/* refused range; n = 0: none */
	u32 calls;
	u64 last_lba, last_n;
	bool last_write;
};

struct stub_fc stub_fc_state;
struct fc_disk stub_disks[FC_DISK_MAX];
u32 stub_n;			/* attach calls so far */

struct fc_disk *filecheck_attach(u8 kind, u8 bus, u8 dev, u8 fn, u16 port, u32 unit,
				 const char *name, fc_read_fn read, void *ctx)
{
	struct fc_disk *d;

	d = &stub_disks[stub_n++ % FC_DISK_MAX];
	d->kind = kind;
	d->port = port;
	d->unit = unit;
	d->read = read;
	d->read_ctx = ctx;
	d->rules = stub_fc_state.refuse_n ? 1 : 0;
	return d;
}

int filecheck_io(struct fc_disk *d, u64 lba, u64 nsect, bool write, const char **why)
{
	struct stub_fc *s = &stub_fc_state;

	s->calls++;
	s->last_lba = lba;
	s->last_n = nsect;
	s->last_write = write;
	if (s->refuse_n && lba < s->refuse_lba + s->refuse_n && s->refuse_lba < lba + nsect) {
		*why = "file check (stub)";
		return -13;
	}
	return 0;
}
