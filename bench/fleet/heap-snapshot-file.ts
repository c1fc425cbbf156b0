/**
 * Reads a V8 `.heapsnapshot` file (the JSON of `v8.writeHeapSnapshot`) into typed arrays without
 * JSON.parse of the whole text: a fleet's snapshot is hundreds of MB, beyond what one string or one
 * parsed array of numbers holds comfortably. Only the strings section is parsed as JSON.
 * Used by bench/fleet/heap-attribution.ts (issue 9: where a station's memory goes).
 */
import { readFileSync } from 'node:fs';

export interface HeapSnapshotFile {
  nodeFieldCount: number;
  edgeFieldCount: number;
  nodeTypes: string[];
  edgeTypes: string[];
  /** Offsets of type, name, self_size, edge_count in a node's fields. */
  nodeField: { type: number; name: number; selfSize: number; edgeCount: number };
  edgeField: { type: number; nameOrIndex: number; toNode: number };
  nodes: Uint32Array;
  edges: Uint32Array;
  strings: string[];
  nodeCount: number;
}

/** Parses the comma-separated unsigned integers of `buffer[from, to)` into `out`. */
function readNumbers(buffer: Buffer, from: number, to: number, out: Uint32Array): number {
  let n = 0;
  let value = 0;
  let inNumber = false;
  for (let i = from; i < to; i++) {
    const c = buffer[i]!;
    if (c >= 48 && c <= 57) {
      value = value * 10 + (c - 48);
      inNumber = true;
    } else if (inNumber) {
      out[n++] = value;
      value = 0;
      inNumber = false;
    }
  }
  if (inNumber) out[n++] = value;
  return n;
}

/**
 * Loads a heap snapshot file.
 *
 * @example
 * const snap = readHeapSnapshot('/tmp/fleet-idle.heapsnapshot');
 * console.log(snap.nodeCount);
 */
export function readHeapSnapshot(file: string): HeapSnapshotFile {
  const buffer = readFileSync(file);
  const find = (text: string, from = 0) => {
    const at = buffer.indexOf(text, from, 'latin1');
    if (at < 0) throw new Error(`${file}: no ${text} section (not a V8 heap snapshot?)`);
    return at;
  };
  const nodesAt = find('"nodes":[');
  const header = JSON.parse(`${buffer.toString('utf8', 0, buffer.lastIndexOf(',', nodesAt))}}`) as {
    snapshot: {
      meta: { node_fields: string[]; edge_fields: string[]; node_types: [string[]]; edge_types: [string[]] };
      node_count: number;
      edge_count: number;
    };
  };
  const { meta, node_count: nodeCount, edge_count: edgeCount } = header.snapshot;
  const edgesAt = find('"edges":[', nodesAt);
  const afterEdges = find(']', edgesAt);
  const stringsAt = find('"strings":[', afterEdges);
  const nodes = new Uint32Array(nodeCount * meta.node_fields.length);
  const edges = new Uint32Array(edgeCount * meta.edge_fields.length);
  readNumbers(buffer, nodesAt + 9, edgesAt, nodes);
  readNumbers(buffer, edgesAt + 9, afterEdges, edges);
  const end = buffer.lastIndexOf(']');
  const strings = JSON.parse(buffer.toString('utf8', stringsAt + 10, end + 1)) as string[];
  const nf = (name: string) => meta.node_fields.indexOf(name);
  const ef = (name: string) => meta.edge_fields.indexOf(name);
  return {
    nodeFieldCount: meta.node_fields.length,
    edgeFieldCount: meta.edge_fields.length,
    nodeTypes: meta.node_types[0],
    edgeTypes: meta.edge_types[0],
    nodeField: { type: nf('type'), name: nf('name'), selfSize: nf('self_size'), edgeCount: nf('edge_count') },
    edgeField: { type: ef('type'), nameOrIndex: ef('name_or_index'), toNode: ef('to_node') },
    nodes,
    edges,
    strings,
    nodeCount,
  };
}
