#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Build ext4 images with Debian's mkfs.ext4/debugfs/e2fsck and write, for each
file and directory, the sector sets fs/ must find, computed only from
debugfs's answers (stat, imap, dirsearch). tests/unit/test_fs.c compares.

Usage: fs_oracle.py OUTDIR   (writes OUTDIR/*.img and OUTDIR/cases.txt)
Case format: "case IMG PATH TYPE", then "D|M|P START COUNT" sector intervals
(D data, M metadata, P path), then "end"; "err IMG PATH ERRNO" for refusals.
"""
import os, random, re, subprocess, sys

SECT = 512
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
    ]
    for name, opts, size in variants:
        src = os.path.join(out, name + '.d')
        run('rm', '-rf', src)
        populate(src, common)
        img = os.path.join(out, name + '.img')
        run('mkfs.ext4', '-q', '-F', '-E', 'root_owner=0:0', *opts, '-d', src, img, size)
        imgs.append((img, sorted(common)))
    # htree: thousands of entries, indexed by e2fsck -D.
    src = os.path.join(out, 'e4-htree.d')
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
    src = os.path.join(out, 'e4-frag.d')
    run('rm', '-rf', src)
    populate(src, {'/h/%04d' % i: data(1000) for i in range(900)})
    img = os.path.join(out, 'e4-frag.img')
    run('mkfs.ext4', '-q', '-F', '-b', '1024', '-d', src, img, '16M')
    blob = os.path.join(out, 'frag.bin')
    open(blob, 'wb').write(data(460_000))
    debugfs(img, ['rm /h/%04d' % i for i in range(0, 900, 2)] + ['write %s /frag' % blob],
            write=True)
    imgs.append((img, ['/frag', '/h', '/h/0001']))
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
        mm = re.match(r'\((\d+)(?:-(\d+))?\):(\d+)(?:-(\d+))?(?: \[uninit\])?$', tok)
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
        info[o] = dict(inode=inode, typ=typ, dat=dat, meta=meta, ent=ent, inline=inline)
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
        f.write('case %s %s %s\n' % (img, p, typ))
        for tag, iv in (('D', D), ('M', M), ('P', P)):
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
                     ('/etc/../small.txt', 22), ('relative', 22), ('/' + 'n' * 256, 36)):
            f.write('err %s %s %d\n' % (img, p, e))
    os.rename(os.path.join(out, 'cases.txt.tmp'), os.path.join(out, 'cases.txt'))


main()
