/**
 * The dominator tree and retained sizes of a heap snapshot (as a heap profiler computes them):
 * node d dominates n when every path from the GC root to n passes through d; n's retained size is
 * what freeing it would free, the self sizes of the nodes it dominates. Weak edges do not retain.
 * Iterative algorithm of Cooper, Harvey and Kennedy ("A Simple, Fast Dominance Algorithm") on a
 * post-order numbering. Used by bench/fleet/heap-attribution.ts.
 */
import type { HeapSnapshotFile } from './heap-snapshot-file.js';

export interface Dominators {
  /** Immediate dominator of each node (node index, not field offset); the root's is itself. */
  idom: Uint32Array;
  retained: Float64Array;
  /** Dominator-tree children of node n: children[childStart[n] .. childStart[n+1]). */
  children: Uint32Array;
  childStart: Uint32Array;
  reachable: Uint8Array;
}

/**
 * Computes dominators of the snapshot's graph from node 0 (the synthetic root).
 *
 * @example
 * const { retained } = dominators(readHeapSnapshot(file));
 */
export function dominators(s: HeapSnapshotFile): Dominators {
  const { nodes, edges, nodeCount } = s;
  const F = s.nodeFieldCount;
  const E = s.edgeFieldCount;
  const weak = s.edgeTypes.indexOf('weak');
  const firstEdge = new Uint32Array(nodeCount + 1);
  for (let n = 0; n < nodeCount; n++)
    firstEdge[n + 1] = firstEdge[n]! + nodes[n * F + s.nodeField.edgeCount]!;
  const target = (e: number) => edges[e * E + s.edgeField.toNode]! / F;
  const strong = (e: number) => edges[e * E + s.edgeField.type] !== weak;

  // Post-order from the root (iterative DFS).
  const postIndex = new Uint32Array(nodeCount).fill(0xffffffff);
  const order = new Uint32Array(nodeCount);
  const reachable = new Uint8Array(nodeCount);
  const stackNode = new Uint32Array(nodeCount);
  const stackEdge = new Uint32Array(nodeCount);
  let sp = 0;
  let count = 0;
  stackNode[0] = 0;
  stackEdge[0] = firstEdge[0]!;
  reachable[0] = 1;
  sp = 1;
  while (sp > 0) {
    const n = stackNode[sp - 1]!;
    const e = stackEdge[sp - 1]!;
    if (e < firstEdge[n + 1]!) {
      stackEdge[sp - 1] = e + 1;
      if (!strong(e)) continue;
      const t = target(e);
      if (reachable[t]) continue;
      reachable[t] = 1;
      stackNode[sp] = t;
      stackEdge[sp] = firstEdge[t]!;
      sp++;
    } else {
      postIndex[n] = count;
      order[count++] = n;
      sp--;
    }
  }

  // Predecessors (strong edges between reachable nodes), by post-order index.
  const predCount = new Uint32Array(count + 1);
  for (let n = 0; n < nodeCount; n++) {
    if (!reachable[n]) continue;
    for (let e = firstEdge[n]!; e < firstEdge[n + 1]!; e++)
      if (strong(e)) predCount[postIndex[target(e)]! + 1]!++;
  }
  for (let i = 0; i < count; i++) predCount[i + 1]! += predCount[i]!;
  const preds = new Uint32Array(predCount[count]!);
  const fill = predCount.slice(0, count);
  for (let n = 0; n < nodeCount; n++) {
    if (!reachable[n]) continue;
    const p = postIndex[n]!;
    for (let e = firstEdge[n]!; e < firstEdge[n + 1]!; e++)
      if (strong(e)) preds[fill[postIndex[target(e)]!]!++] = p;
  }

  const NONE = 0xffffffff;
  const dom = new Uint32Array(count).fill(NONE);
  const rootPost = count - 1;
  dom[rootPost] = rootPost;
  let changed = true;
  while (changed) {
    changed = false;
    for (let b = rootPost - 1; b >= 0; b--) {
      let next = NONE;
      for (let i = predCount[b]!; i < predCount[b + 1]!; i++) {
        const p = preds[i]!;
        if (dom[p] === NONE) continue;
        if (next === NONE) {
          next = p;
          continue;
        }
        let x = p;
        let y = next;
        while (x !== y) {
          while (x < y) x = dom[x]!;
          while (y < x) y = dom[y]!;
        }
        next = x;
      }
      if (next !== NONE && dom[b] !== next) {
        dom[b] = next;
        changed = true;
      }
    }
  }

  const idom = new Uint32Array(nodeCount);
  const retained = new Float64Array(nodeCount);
  for (let i = 0; i < count; i++) {
    const n = order[i]!;
    idom[n] = order[dom[i]!]!;
    retained[n] = retained[n]! + nodes[n * F + s.nodeField.selfSize]!;
    if (i !== rootPost) retained[idom[n]!] = retained[idom[n]!]! + retained[n]!;
  }
  const childStart = new Uint32Array(nodeCount + 1);
  for (let i = 0; i < rootPost; i++) childStart[idom[order[i]!]! + 1]!++;
  for (let n = 0; n < nodeCount; n++) childStart[n + 1]! += childStart[n]!;
  const children = new Uint32Array(Math.max(0, rootPost));
  const at = childStart.slice(0, nodeCount);
  for (let i = 0; i < rootPost; i++) {
    const n = order[i]!;
    children[at[idom[n]!]!++] = n;
  }
  return { idom, retained, children, childStart, reachable };
}
