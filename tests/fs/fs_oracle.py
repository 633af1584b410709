#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Build ext4 and FAT images with Debian's tools and write, for each file and
directory, the sector sets fs/ must find; tests/unit/test_fs.c compares.
ext4: mkfs.ext4 -d, e2fsck -D, debugfs write; the answers only from debugfs
(stat, imap, dirsearch). FAT: mkfs.vfat and mtools (mcopy, mdel); geometry from
fsck.fat -v, cluster chains from mshowfat, and the directory entry's slots
found by the small parser here (Python's own UTF-16 decoding of the long name).

Usage: fs_oracle.py OUTDIR   (writes OUTDIR/*.img and OUTDIR/cases.txt)
Case format (tab-separated): "case KIND IMG PATH TYPE", then "D|M|P START
COUNT" sector intervals (D data, M metadata, P path), then "end";
"err KIND IMG PATH ERRNO" for refusals. KIND is ext4 or fat.
"""
import os, random, re, subprocess, sys

SECT = 512
os.environ['PATH'] += ':/usr/sbin:/sbin'
out = sys.argv[1]
rnd = random.Random(13)


def run(*cmd, **kw):
    return subprocess.run(cmd, check=True, capture_output=True, text=True, **kw).stdout


def debugfs(img, cmds, write=False):
    """Run debugfs commands in one process; the output split per command."""
    args = ['debugfs'] + (['-w'] if write else []) + ['-f', '-', img]
    r = subprocess.run(args, input='\n'.join(cmds) + '\n', capture_output=True,
                       text=True, check=True)
    parts = re.split(r'^debugfs: ', r.stdout, flags=re.M)[1:]
    assert len(parts) == len(cmds), (img, len(parts), len(cmds))
    return parts


def populate(root, spec):
    for path, content in spec.items():
        p = os.path.join(root, path.lstrip('/'))
        os.makedirs(os.path.dirname(p), exist_ok=True)
        if isinstance(content, tuple):
            os.symlink(content[1], p)
        elif content is None:
            os.makedirs(p, exist_ok=True)
        else:
            open(p, 'wb').write(content)


def data(n):
    return bytes(rnd.getrandbits(8) for _ in range(n))


def make_images():
    imgs = []
    common = {
        '/small.txt': b'hello\n',
        '/empty': b'',
        '/etc/passwd': data(700),
        '/etc/deep/er/still/file.bin': data(9000),
        '/big/blob': data(300_000),
        '/link': ('l', 'etc/passwd'),
        '/longlink': ('l', 'x' * 100),
        '/emptydir': None,
    }
    variants = [
        ('e4-default', ['-b', '4096'], '32M'),
        ('e4-1k-32bit', ['-b', '1024', '-O', '^64bit'], '16M'),
        ('e4-noextents', ['-b', '1024', '-O', '^extents,^64bit,^metadata_csum'], '16M'),
        ('e4-inline', ['-b', '4096', '-I', '256', '-O', 'inline_data'], '16M'),
        ('e4-nodirindex', ['-b', '2048', '-O', '^dir_index', '-I', '128'], '16M'),
        ('e4-64k', ['-b', '65536'], '64M'),
        ('e4-bigalloc', ['-b', '1024', '-O', 'bigalloc', '-C', '16384'], '32M'),
    ]
    for name, opts, size in variants:
        src = os.path.join(out, name + '-src')
        run('rm', '-rf', src)
        populate(src, common)
        img = os.path.join(out, name + '.img')
        run('mkfs.ext4', '-q', '-F', '-E', 'root_owner=0:0', *opts, '-d', src, img, size)
        imgs.append((img, sorted(common)))
    # htree: thousands of entries, indexed by e2fsck -D.
    src = os.path.join(out, 'e4-htree-src')
    run('rm', '-rf', src)
    spec = {'/many/entry-with-a-longish-name-%05d' % i: b'%d\n' % i for i in range(3000)}
    spec['/many/target'] = data(5000)
    populate(src, spec)
    img = os.path.join(out, 'e4-htree.img')
    run('mkfs.ext4', '-q', '-F', '-b', '1024', '-d', src, img, '32M')
    subprocess.run(['e2fsck', '-fyD', img], capture_output=True)
    names = ['/many', '/many/target'] + sorted(spec)[::97]
    imgs.append((img, names))
    # extent tree of depth 2: a file written into hundreds of holes (1 KiB blocks).
    src = os.path.join(out, 'e4-frag-src')
    run('rm', '-rf', src)
    populate(src, {'/h/%04d' % i: data(1000) for i in range(900)})
    img = os.path.join(out, 'e4-frag.img')
    run('mkfs.ext4', '-q', '-F', '-b', '1024', '-d', src, img, '16M')
    blob = os.path.join(out, 'frag.bin')
    open(blob, 'wb').write(data(460_000))
    sparse = os.path.join(out, 'sparse.bin')
    open(sparse, 'wb').write(data(5000) + bytes(60000) + data(5000))
    # /sparse: debugfs write leaves the zero blocks as holes; /prealloc: unwritten extents
    debugfs(img, ['rm /h/%04d' % i for i in range(0, 900, 2)] + ['write %s /frag' % blob,
                  'write %s /sparse' % sparse, 'write /dev/null /prealloc',
                  'fallocate /prealloc 0 9'], write=True)
    st = debugfs(img, ['stat /sparse', 'stat /prealloc'])
    assert re.search(r'\(0-\d+\):\d+-\d+, \(\d+-\d+\)', st[0]), 'no hole in /sparse'
    assert '[u]' in st[1], 'no unwritten extent in /prealloc'
    imgs.append((img, ['/frag', '/h', '/h/0001', '/sparse', '/prealloc']))
    return imgs


def parse_blocks(stat):
    """(data, meta) block intervals from debugfs stat's BLOCKS/EXTENTS list."""
    m = re.search(r'^(?:BLOCKS|EXTENTS):\n(.*?)(?:\nTOTAL|\Z)', stat, re.S | re.M)
    dat, meta = [], []
    if not m:
        return dat, meta
    for tok in m.group(1).replace('\n', ' ').split(', '):
        tok = tok.strip()
        if not tok:
            continue
        mm = re.match(r'\((ETB\d+|IND|DIND|TIND)\):(\d+)$', tok)
        if mm:
            meta.append((int(mm.group(2)), 1))
            continue
        mm = re.match(r'\((\d+)(?:-(\d+))?(?:\[u\])?\):(\d+)(?:-(\d+))?$', tok)
        assert mm, tok
        p0 = int(mm.group(3))
        p1 = int(mm.group(4) or p0)
        dat.append((p0, p1 - p0 + 1))
    return dat, meta


def norm(iv):
    out_ = []
    for s, c in sorted(iv):
        if out_ and s <= out_[-1][0] + out_[-1][1]:
            e = max(out_[-1][0] + out_[-1][1], s + c)
            out_[-1] = (out_[-1][0], e - out_[-1][0])
        else:
            out_.append((s, c))
    return out_


def oracle(img, paths, f):
    st = debugfs(img, ['stats'])[0]
    bs = int(re.search(r'Block size:\s+(\d+)', st).group(1))
    isz = int(re.search(r'Inode size:\s+(\d+)', st).group(1))
    spb = bs // SECT
    objs = set()
    for p in paths:
        comps = p.strip('/').split('/')
        for i in range(len(comps) + 1):
            objs.add('/' + '/'.join(comps[:i]))
    objs = sorted(objs)
    cmds = []
    for o in objs:
        cmds += ['stat "%s"' % o, 'imap "%s"' % o]
        if o != '/':
            d, n = o.rsplit('/', 1)
            cmds.append('dirsearch "%s" "%s"' % (d or '/', n))
    res = debugfs(img, cmds)
    info = {}
    k = 0
    for o in objs:
        stat, imap = res[k], res[k + 1]
        k += 2
        ent = None
        if o != '/':
            m = re.search(r'Entry found at logical block \d+, phys (\d+), offset', res[k])
            ent = int(m.group(1)) if m else None
            k += 1
        m = re.search(r'located at block (\d+), offset 0x([0-9a-f]+)', imap)
        isec = int(m.group(1)) * spb + int(m.group(2), 16) // SECT
        inode = [(isec, max(1, isz // SECT))]
        typ = re.search(r'Type: (\w+)', stat).group(1)
        dat, meta = parse_blocks(stat)
        inline = 'Size of inline data' in stat or 'Fast link dest' in stat
        ino = int(re.search(r'Inode: (\d+)', stat).group(1))
        info[o] = dict(inode=inode, typ=typ, dat=dat, meta=meta, ent=ent, inline=inline,
                       ino=ino)
    for p in paths:
        o = info[p]
        D = list(o['inode']) if o['inline'] else [(b * spb, n * spb) for b, n in o['dat']]
        M = list(o['inode']) + [(b * spb, n * spb) for b, n in o['meta']]
        P = []
        comps = p.strip('/').split('/') if p != '/' else []
        for i in range(len(comps)):
            anc = '/' + '/'.join(comps[:i])
            a = info[anc]
            P += a['inode'] + [(b * spb, n * spb) for b, n in a['dat'] + a['meta']]
            child = info['/' + '/'.join(comps[:i + 1])]
            if a['inline']:
                M += a['inode']
            else:
                assert child['ent'] is not None, (img, p)
                M.append((child['ent'] * spb, spb))
        typ = {'regular': 'reg', 'directory': 'dir', 'symlink': 'symlink'}[o['typ']]
        f.write('case\text4\t%s\t%s\t%s\n' % (img, p, typ))
        for tag, iv in (('D', D), ('M', M), ('P', P)):
            for s, c in norm(iv):
                f.write('%s %d %d\n' % (tag, s, c))
        f.write('end\n')
        # the same object by inode number: no entry blocks, no path
        f.write('case\text4\t%s\t<%d>\t%s\n' % (img, o['ino'], typ))
        M = list(o['inode']) + [(b * spb, n * spb) for b, n in o['meta']]
        for tag, iv in (('D', D), ('M', M)):
            for s, c in norm(iv):
                f.write('%s %d %d\n' % (tag, s, c))
        f.write('end\n')


def main():
    os.makedirs(out, exist_ok=True)
    imgs = make_images()
    with open(os.path.join(out, 'cases.txt.tmp'), 'w') as f:
        for img, paths in imgs:
            oracle(img, ['/'] + paths, f)
        img = imgs[0][0]
        for p, e in (('/nonexistent', 2), ('/small.txt/x', 20), ('/link/x', 40),
                     ('/etc/../small.txt', 22), ('relative', 22), ('/' + 'n' * 256, 36),
                     ('<0>', 74), ('<999999>', 74)):
            f.write('err\text4\t%s\t%s\t%d\n' % (img, p, e))
        # corruptions made by debugfs on copies: each refused, the rest still resolves
        for n, cmds, bad in (
                ('dup', ['ln /etc/passwd /', 'ln /etc/passwd /'], '/passwd'),
                ('badext', ['sif /big/blob block[0] 0'], '/big/blob'),
                ('deleted', ['sif /etc/deep links_count 0'], '/etc/deep/er/still/file.bin')):
            h = os.path.join(out, 'e4-hostile-%s.img' % n)
            run('cp', img, h)
            debugfs(h, cmds, write=True)
            f.write('err\text4\t%s\t%s\t%d\n' % (h, bad, 74))
            f.write('err\text4\t%s\t%s\t%d\n' % (h, '/small.txt', 0))
        for img, paths, extra in fat_images():
            fat_oracle(img, paths, extra, f)
    os.rename(os.path.join(out, 'cases.txt.tmp'), os.path.join(out, 'cases.txt'))


# ---- FAT -----------------------------------------------------------------
MT = dict(os.environ, MTOOLS_SKIP_CHECK='1', LC_ALL='C.UTF-8')


def mt(*cmd):
    return subprocess.run(cmd, check=True, capture_output=True, env=MT).stdout.decode()


def fat_images():
    out_ = []
    variants = [
        ('fat32-512', ['-F', '32', '-s', '1'], 40000),
        ('fat32-4k', ['-F', '32', '-S', '4096', '-s', '1'], 300000),
        ('fat16', ['-F', '16', '-s', '2'], 20000),
    ]
    for name, opts, kb in variants:
        img = os.path.join(out, name + '.img')
        run('rm', '-f', img)
        run('mkfs.vfat', *opts, '-C', img, str(kb))
        tmp = os.path.join(out, name + '.f')
        os.makedirs(tmp, exist_ok=True)

        def put(path, content):
            local = os.path.join(tmp, 'x')
            open(local, 'wb').write(content)
            mt('mcopy', '-o', '-i', img, local, '::' + path)

        mt('mmd', '-i', img, '::/EFI', '::/EFI/BOOT', '::/EFI/mamori', '::/many')
        put('/EFI/BOOT/BOOTX64.EFI', data(30000))
        # spacers, half deleted, so vmm.elf's chain is fragmented
        for i in range(24):
            put('/sp%02d' % i, data(3000))
        for i in range(0, 24, 2):
            mt('mdel', '-i', img, '::/sp%02d' % i)
        put('/EFI/mamori/vmm.elf', data(120000))
        put('/EFI/mamori/A Very Long File Name with spaces.bin', data(5000))
        put('/lower.txt', b'x\n')
        put('/\u00fc-\u00df-\u540d\u524d.txt', b'unicode\n')
        put('/empty.dat', b'')
        for i in range(150):
            put('/many/file-number-%03d.txt' % i, b'%d' % i)
        paths = ['/EFI', '/EFI/BOOT/BOOTX64.EFI', '/EFI/mamori/vmm.elf', '/sp01',
                 '/EFI/mamori/A Very Long File Name with spaces.bin', '/lower.txt',
                 '/\u00fc-\u00df-\u540d\u524d.txt', '/empty.dat', '/many'] + \
            ['/many/file-number-%03d.txt' % i for i in range(0, 150, 4)]  # some cross sectors
        # other spellings of the same objects: (query, canonical)
        extra = [('/efi/MAMORI/VMM.ELF', '/EFI/mamori/vmm.elf'),
                 ('/EFI/mamori/a very long FILE name with spaces.BIN',
                  '/EFI/mamori/A Very Long File Name with spaces.bin'),
                 ('/EFI/mamori/AVERYL~1.BIN',
                  '/EFI/mamori/A Very Long File Name with spaces.bin'),
                 ('/LOWER.TXT', '/lower.txt')]
        out_.append((img, paths, extra))
    return out_


def fat_geometry(img):
    v = run('fsck.fat', '-n', '-v', img)
    g = {}
    g['bps'] = int(re.search(r'(\d+) bytes per logical sector', v).group(1))
    g['cbytes'] = int(re.search(r'(\d+) bytes per cluster', v).group(1))
    g['fat'] = int(re.search(r'First FAT starts at byte (\d+)', v).group(1))
    m = re.search(r'(\d+) FATs, (\d+) bit entries', v)
    g['nfats'], g['bits'] = int(m.group(1)), int(m.group(2))
    g['fatbytes'] = int(re.search(r'(\d+) bytes per FAT', v).group(1))
    g['datab'] = int(re.search(r'Data area starts at byte (\d+)', v).group(1))
    m = re.search(r'Root directory starts at byte (\d+)', v)
    if m:
        g['rootb'] = int(m.group(1))
        g['rootn'] = int(re.search(r'(\d+) root directory entries', v).group(1))
    return g


def fat_chain(img, path):
    o = mt('mshowfat', '-i', img, '::' + path)
    ch = []
    for a, b in re.findall(r'<(\d+)(?:-(\d+))?>', o):
        ch += range(int(a), int(b or a) + 1)
    return ch


def fat_oracle(img, paths, extra, f):
    g = fat_geometry(img)
    bps, cb = g['bps'], g['cbytes']
    raw = open(img, 'rb')

    def clus_secs(c):
        return [((g['datab'] + (c - 2) * cb) // SECT, cb // SECT)]

    def fat_secs(c):
        r = []
        for k in range(g['nfats']):
            b = g['fat'] + k * g['fatbytes'] + c * g['bits'] // 8
            r.append((b // bps * bps // SECT, bps // SECT))
        return r

    def obj(path):
        """(data sectors, FAT sectors, [(byte offset of each 32-byte entry in the dir)])"""
        if path == '/' and 'rootb' in g:
            return [(g['rootb'] // SECT, g['rootn'] * 32 // SECT)], [], \
                [g['rootb'] + 32 * i for i in range(g['rootn'])]
        ch = fat_chain(img, path) if path != '/' else fat_chain(img, '/')
        d, m, offs = [], [], []
        for c in ch:
            d += clus_secs(c)
            m += fat_secs(c)
            base = g['datab'] + (c - 2) * cb
            offs += [base + 32 * i for i in range(cb // 32)]
        return d, m, offs

    def entry_secs(parent, name):
        """Sectors of the 8.3 entry and long-name slots naming @name in @parent."""
        _, _, offs = obj(parent)
        ents = []
        for o in offs:
            raw.seek(o)
            ents.append(raw.read(32))
        hits = []
        for i, e in enumerate(ents):
            if e[0] in (0, 0xe5) or e[11] & 0x3f == 0x0f or e[11] & 0x08:
                continue
            n, lfn = 0, b''
            while i - n - 1 >= 0 and ents[i - n - 1][11] & 0x3f == 0x0f and \
                    ents[i - n - 1][0] & 0x3f == n + 1:
                x = ents[i - n - 1]
                lfn += x[1:11] + x[14:26] + x[28:32]
                n += 1
                if x[0] & 0x40:
                    break
            long_ = lfn.decode('utf-16-le').split('\0')[0] if n else None
            short = e[0:8].decode('latin-1').rstrip() + \
                ('.' + e[8:11].decode('latin-1').rstrip() if e[8:11].strip() else '')
            if long_ == name or short.upper() == name.upper():
                hits.append(sorted(set((offs[j] // SECT, 1) for j in range(i - n, i + 1))))
        assert len(hits) == 1, (img, parent, name, hits)
        return hits[0]

    def expect(p):
        d, m, _ = obj(p)
        M, P = list(m), []
        comps = p.strip('/').split('/') if p != '/' else []
        for i in range(len(comps)):
            anc = '/' + '/'.join(comps[:i])
            ad, am, _ = obj(anc)
            P += ad + am
            M += entry_secs(anc, comps[i])
        return d, M, P

    def emit(q, canon):
        d, M, P = expect(canon)
        typ = 'dir' if canon == '/' or canon in ('/EFI', '/many') else 'reg'
        f.write('case\tfat\t%s\t%s\t%s\n' % (img, q, typ))
        for tag, iv in (('D', d), ('M', M), ('P', P)):
            for s_, c in norm(iv):
                f.write('%s %d %d\n' % (tag, s_, c))
        f.write('end\n')

    for p in ['/'] + paths:
        emit(p, p)
    for q, canon in extra:
        emit(q, canon)
    for p, e in (('/nonexistent', 2), ('/lower.txt/x', 20), ('/EFI/../lower.txt', 22)):
        f.write('err\tfat\t%s\t%s\t%d\n' % (img, p, e))


main()
