#!/usr/bin/env python3
"""Import cycles between files of each workspace crate: edges from `use crate::X`,
`crate::X::` paths and `super::X` references, over every .rs file. Prints the strongly
connected components with more than one file."""
import os, re, sys
root = sys.argv[1] if len(sys.argv) > 1 else '.'
crates = {'cli': 'cli', 'analyzer': 'analyzer/src', 'report': 'report/src', 'policy': 'policy/src', 'testkit': 'testkit/src'}
total = 0
for name, src in crates.items():
    base = os.path.join(root, src)
    files = {}
    for d, _, fs in os.walk(base):
        for f in fs:
            if f.endswith('.rs'):
                p = os.path.join(d, f)
                rel = os.path.relpath(p, base)[:-3]
                parts = rel.split(os.sep)
                if parts[-1] in ('mod', 'lib', 'main'):
                    parts = parts[:-1]
                files[tuple(parts)] = p
    def resolve(path):
        # longest prefix that is a file module
        for i in range(len(path), 0, -1):
            if tuple(path[:i]) in files:
                return tuple(path[:i])
        return None
    edges = {m: set() for m in files}
    for m, p in files.items():
        text = open(p).read()
        # drop #[cfg(test)] mod tests { ... } bodies crudely: cut at '#[cfg(test)]\nmod tests'
        cut = re.search(r'#\[cfg\(test\)\]\s*mod tests\s*\{', text)
        if cut:
            text = text[:cut.start()]
        # comments (doc links name modules without importing them)
        text = re.sub(r'//[^\n]*', '', text)
        # the file's own module path: `self` (a/b.rs and a/b/mod.rs are both a::b)
        here = list(m)
        # expand `use crate::{a, b::c}` groups roughly
        for u in re.finditer(r'\buse\s+(crate|super|self)::([^;]+);', text):
            head, rest = u.group(1), u.group(2)
            names = []
            if rest.startswith('{'):
                inner = rest[1:rest.rfind('}')]
                depth = 0; cur = ''
                for ch in inner:
                    if ch == '{': depth += 1
                    if ch == '}': depth -= 1
                    if ch == ',' and depth == 0:
                        names.append(cur.strip()); cur = ''
                    else:
                        cur += ch
                names.append(cur.strip())
            else:
                names = [rest]
            for n in names:
                n = re.split(r'[\s{]', n.strip())[0]
                segs = [s for s in n.split('::') if s and s != 'self']
                if head == 'crate':
                    tgt = segs
                elif head == 'super':
                    tgt = here[:-1] + segs
                else:
                    tgt = here + segs
                r = resolve(tgt)
                if r is not None and r != m and r != ():
                    edges[m].add(r)
        for u in re.finditer(r'\bcrate::((?:\w+::)+)', text):
            r = resolve(u.group(1).strip(':').split('::'))
            if r is not None and r != m and r != ():
                edges[m].add(r)
        for u in re.finditer(r'(?<![\w:])super::((?:\w+::)*\w+)', text):
            r = resolve(here[:-1] + u.group(1).split('::'))
            if r is not None and r != m and r != ():
                edges[m].add(r)
    # Tarjan
    index = {}; low = {}; stack = []; on = set(); sccs = []; i = [0]
    sys.setrecursionlimit(10000)
    def strong(v):
        index[v] = low[v] = i[0]; i[0] += 1; stack.append(v); on.add(v)
        for w in edges[v]:
            if w not in index:
                strong(w); low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop(); on.discard(w); comp.append(w)
                if w == v: break
            if len(comp) > 1: sccs.append(comp)
    for v in sorted(edges):
        if v not in index: strong(v)
    for c in sccs:
        total += 1
        print(f'{name}: cycle: ' + ' <-> '.join(sorted('/'.join(x) for x in c)))
        for a in sorted(c):
            print('    ' + '/'.join(a) + ' -> ' + ', '.join(sorted('/'.join(b) for b in edges[a] if b in c)))
    if name == 'cli':
        # plumbing must not import commands (upward)
        for m, outs in edges.items():
            if m and m[0] == 'plumbing':
                for o in outs:
                    if o[0] != 'plumbing':
                        print(f'cli: upward import: {"/".join(m)} -> {"/".join(o)}')
print(f'{total} cycle(s)')
