/**
 * Where a fleet station's memory goes (issue 9): reads two V8 heap snapshots of the fleet load
 * (bench/fleet/load-process.ts --heap-snapshot PREFIX: before any station, and N stations booted
 * and idle) and prints, per station:
 * - by constructor: self size and count added between the snapshots, divided by N;
 * - by owner: the dominator tree of the idle snapshot below every instance of `--root` (default
 *   ChargePoint), retained sizes aggregated by path of field names (`runtime.store…`), to --depth;
 * - what is not below a root: self sizes added outside the roots, by nearest owning class.
 *
 * Run: `node --import tsx --max-old-space-size=8192 bench/fleet/heap-attribution.ts --base
 * P-base.heapsnapshot --idle P-idle.heapsnapshot --stations 1000 [--root ChargePoint] [--depth 4]
 * [--top 15]`.
 */
import { parseArgs } from 'node:util';
import { readHeapSnapshot, type HeapSnapshotFile } from './heap-snapshot-file.js';
import { dominators } from './heap-dominators.js';

const { values } = parseArgs({
  options: {
    base: { type: 'string' },
    idle: { type: 'string' },
    stations: { type: 'string', default: '1000' },
    root: { type: 'string', default: 'ChargePoint' },
    depth: { type: 'string', default: '4' },
    top: { type: 'string', default: '15' },
  },
});
if (values.base === undefined || values.idle === undefined)
  throw new Error('heap-attribution: --base FILE and --idle FILE are required');
const stations = Number(values.stations);
const depthLimit = Number(values.depth);
const top = Number(values.top);

/** A label grouping a node: its constructor for objects, its kind otherwise. */
function labeler(s: HeapSnapshotFile): (node: number) => string {
  const { nodes, nodeFieldCount: F, nodeField, nodeTypes, strings } = s;
  return (node) => {
    const type = nodeTypes[nodes[node * F + nodeField.type]!]!;
    const name = strings[nodes[node * F + nodeField.name]!]!;
    if (type === 'object' || type === 'native') return name;
    if (type === 'closure') return `(closure ${name || 'anonymous'})`;
    if (type.includes('string')) return '(string)';
    if (type === 'hidden' || type === 'array' || type === 'code' || type === 'object shape')
      return `(${type}) ${name.slice(0, 50)}`;
    return `(${type})`;
  };
}

function byConstructor(s: HeapSnapshotFile): Map<string, { size: number; count: number }> {
  const label = labeler(s);
  const out = new Map<string, { size: number; count: number }>();
  for (let n = 0; n < s.nodeCount; n++) {
    const key = label(n);
    const entry = out.get(key) ?? { size: 0, count: 0 };
    entry.size += s.nodes[n * s.nodeFieldCount + s.nodeField.selfSize]!;
    entry.count++;
    out.set(key, entry);
  }
  return out;
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(2)} KB`.padStart(10);
const per = (bytes: number) => `${Math.round(bytes / stations)} B`.padStart(9);

const base = readHeapSnapshot(values.base);
const baseTypes = byConstructor(base);
const idle = readHeapSnapshot(values.idle);
const idleTypes = byConstructor(idle);
const rows = [...idleTypes].map(([key, v]) => {
  const b = baseTypes.get(key) ?? { size: 0, count: 0 };
  return { key, size: v.size - b.size, count: v.count - b.count };
});
rows.sort((a, b) => b.size - a.size);
const total = rows.reduce((sum, r) => sum + r.size, 0);
console.log(`heap added by ${stations} stations (snapshot self sizes): ${kb(total / stations)} per station`);
console.log(`\nby constructor, per station (top ${top}):`);
for (const r of rows.slice(0, top))
  console.log(`  ${per(r.size)}  ${(r.count / stations).toFixed(1).padStart(7)} objects  ${r.key}`);

// By owner: the dominator tree of the idle snapshot.
const { idom, retained, children, childStart, reachable } = dominators(idle);
const label = labeler(idle);
const F = idle.nodeFieldCount;
const E = idle.edgeFieldCount;
const firstEdge = new Uint32Array(idle.nodeCount + 1);
for (let n = 0; n < idle.nodeCount; n++)
  firstEdge[n + 1] = firstEdge[n]! + idle.nodes[n * F + idle.nodeField.edgeCount]!;
const edgeName = (from: number, to: number): string => {
  for (let e = firstEdge[from]!; e < firstEdge[from + 1]!; e++) {
    if (idle.edges[e * E + idle.edgeField.toNode]! / F !== to) continue;
    const type = idle.edgeTypes[idle.edges[e * E + idle.edgeField.type]!]!;
    const name = idle.edges[e * E + idle.edgeField.nameOrIndex]!;
    return type === 'element' || type === 'hidden' ? `[]` : idle.strings[name]!;
  }
  return '~';
};
const roots: number[] = [];
for (let n = 0; n < idle.nodeCount; n++) if (reachable[n] && label(n) === values.root) roots.push(n);
const paths = new Map<string, { size: number; count: number; depth: number }>();
const underRoot = new Uint8Array(idle.nodeCount);
let rootsRetained = 0;
for (const root of roots) {
  rootsRetained += retained[root]!;
  const stack: [number, string, number][] = [[root, values.root, 0]];
  while (stack.length > 0) {
    const [node, path, depth] = stack.pop()!;
    underRoot[node] = 1;
    if (depth <= depthLimit) {
      const entry = paths.get(path) ?? { size: 0, count: 0, depth };
      entry.size += retained[node]!;
      entry.count++;
      paths.set(path, entry);
    }
    for (let c = childStart[node]!; c < childStart[node + 1]!; c++) {
      const child = children[c]!;
      const step = depth < depthLimit ? `${path}.${edgeName(node, child)}:${label(child)}` : path;
      stack.push([child, step, depth + 1]);
    }
  }
}
console.log(
  `\n${roots.length} ${values.root} instances retain ${kb(rootsRetained / Math.max(1, roots.length))} each (dominator tree)`,
);
const pathRows = [...paths].filter(([, v]) => v.depth > 0).sort((a, b) => b[1].size - a[1].size);
console.log(`by owner, retained per station, largest paths to depth ${depthLimit} (top ${top * 2}):`);
for (const [path, v] of pathRows.slice(0, top * 2))
  console.log(`  ${per(v.size)}  ×${(v.count / stations).toFixed(1).padStart(5)}  ${path}`);

// Who holds the largest kinds: each node's immediate dominator (class and field), idle minus base.
const ownerKey = (snap: HeapSnapshotFile, dom: Uint32Array, lab: (n: number) => string) => {
  const sF = snap.nodeFieldCount;
  const sE = snap.edgeFieldCount;
  const first = new Uint32Array(snap.nodeCount + 1);
  for (let n = 0; n < snap.nodeCount; n++)
    first[n + 1] = first[n]! + snap.nodes[n * sF + snap.nodeField.edgeCount]!;
  return (n: number): string => {
    // Through generic holders (property/element arrays, contexts) up to an object with a class.
    let owner = dom[n]!;
    let child = n;
    let path = '';
    for (
      let hops = 0;
      hops < 4 && owner !== 0 && /^\((array|hidden|object shape)\)|^system \/ Context/.test(lab(owner));
      hops++
    ) {
      child = owner;
      owner = dom[owner]!;
    }
    for (let e = first[owner]!; e < first[owner + 1]!; e++) {
      if (snap.edges[e * sE + snap.edgeField.toNode]! / sF !== child) continue;
      const type = snap.edgeTypes[snap.edges[e * sE + snap.edgeField.type]!]!;
      path =
        type === 'element' || type === 'hidden'
          ? '[]'
          : snap.strings[snap.edges[e * sE + snap.edgeField.nameOrIndex]!]!;
      break;
    }
    return `${lab(owner)}.${path || '~'}`;
  };
};
const holders = (snap: HeapSnapshotFile, dom: Uint32Array, kinds: Set<string>) => {
  const lab = labeler(snap);
  const key = ownerKey(snap, dom, lab);
  const out = new Map<string, Map<string, number>>();
  for (let n = 0; n < snap.nodeCount; n++) {
    const kind = lab(n);
    if (!kinds.has(kind)) continue;
    const m = out.get(kind) ?? new Map<string, number>();
    const k = key(n);
    m.set(k, (m.get(k) ?? 0) + snap.nodes[n * snap.nodeFieldCount + snap.nodeField.selfSize]!);
    out.set(kind, m);
  }
  return out;
};
const kinds = new Set(rows.slice(0, 8).map((r) => r.key));
const idleHolders = holders(idle, idom, kinds);
const baseHolders = holders(base, dominators(base).idom, kinds);
for (const kind of kinds) {
  const diff = [...(idleHolders.get(kind) ?? new Map<string, number>())].map(
    ([k, v]) => [k, v - (baseHolders.get(kind)?.get(k) ?? 0)] as const,
  );
  diff.sort((a, b) => b[1] - a[1]);
  console.log(`\n${kind}: held by (immediate dominator's class.field), per station:`);
  for (const [k, v] of diff.slice(0, 10)) console.log(`  ${per(v)}  ${k}`);
}

// By owner along the shortest retaining paths (breadth-first from the GC roots): each node goes to
// the nearest two objects of a named class above it, with the fields the path took.
const ownersByPath = (snap: HeapSnapshotFile) => {
  const lab = labeler(snap);
  const sF = snap.nodeFieldCount;
  const sE = snap.edgeFieldCount;
  const first = new Uint32Array(snap.nodeCount + 1);
  for (let n = 0; n < snap.nodeCount; n++)
    first[n + 1] = first[n]! + snap.nodes[n * sF + snap.nodeField.edgeCount]!;
  const weak = snap.edgeTypes.indexOf('weak');
  const parent = new Int32Array(snap.nodeCount).fill(-1);
  const parentEdge = new Uint32Array(snap.nodeCount);
  const queue = new Uint32Array(snap.nodeCount);
  let head = 0;
  let tail = 0;
  queue[tail++] = 0;
  parent[0] = 0;
  while (head < tail) {
    const n = queue[head++]!;
    for (let e = first[n]!; e < first[n + 1]!; e++) {
      if (snap.edges[e * sE + snap.edgeField.type] === weak) continue;
      const t = snap.edges[e * sE + snap.edgeField.toNode]! / sF;
      if (parent[t] !== -1) continue;
      parent[t] = n;
      parentEdge[t] = e;
      queue[tail++] = t;
    }
  }
  const edgeLabel = (e: number) => {
    const type = snap.edgeTypes[snap.edges[e * sE + snap.edgeField.type]!]!;
    return type === 'element' || type === 'hidden'
      ? '[]'
      : snap.strings[snap.edges[e * sE + snap.edgeField.nameOrIndex]!]!;
  };
  const generic =
    /^(Object$|Array$|Map$|Set$|WeakMap$|Promise$|\(array|\(hidden|\(object shape|\(closure|\(code|\(string|system \/)/;
  const out = new Map<string, number>();
  for (let n = 0; n < snap.nodeCount; n++) {
    if (parent[n] === -1) continue;
    const steps: string[] = [];
    let field = '';
    let at = n;
    let hops = 0;
    while (at !== 0 && steps.length < 2 && hops < 40) {
      const name = lab(at);
      if (at !== n && !generic.test(name)) steps.unshift(`${name}.${field}`);
      field = edgeLabel(parentEdge[at]!);
      at = parent[at]!;
      hops++;
    }
    const key = `${steps.join(' > ')} : ${lab(n)}`;
    out.set(key, (out.get(key) ?? 0) + snap.nodes[n * sF + snap.nodeField.selfSize]!);
  }
  return out;
};
const idleOwners = ownersByPath(idle);
const baseOwners = ownersByPath(base);
const ownerRows = [...idleOwners].map(([k, v]) => [k, v - (baseOwners.get(k) ?? 0)] as const);
ownerRows.sort((a, b) => b[1] - a[1]);
console.log(
  `\nby owner (nearest two named classes on the shortest retaining path : kind), per station (top ${top * 3}):`,
);
for (const [k, v] of ownerRows.slice(0, top * 3)) console.log(`  ${per(v)}  ${k}`);
const byClass = new Map<string, number>();
for (const [k, v] of ownerRows) {
  const owner = k.split(' : ')[0]!.split(' > ').at(-1)!.split('.')[0]!;
  byClass.set(owner, (byClass.get(owner) ?? 0) + v);
}
console.log(`\nby nearest named owner class, per station (top ${top * 2}):`);
for (const [k, v] of [...byClass].sort((a, b) => b[1] - a[1]).slice(0, top * 2))
  console.log(`  ${per(v)}  ${k || '(none)'}`);
