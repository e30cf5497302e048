// RFC 9420 Appendix C tree arithmetic; null where a node has no such relative.
import { left, nodeWidth, parent, right, root, sibling, toNodeIndex } from 'ts-mls/treemath.js';

const orNull = (f: () => number): number | null => {
  try {
    return f();
  } catch {
    return null;
  }
};

export const treeMath = {
  nodeCount: (leaves: number): number => nodeWidth(leaves),
  root: (leaves: number): number => root(leaves),
  left: (node: number): number | null => orNull(() => left(toNodeIndex(node))),
  right: (node: number): number | null => orNull(() => right(toNodeIndex(node))),
  parent: (node: number, leaves: number): number | null =>
    orNull(() => parent(toNodeIndex(node), leaves)),
  sibling: (node: number, leaves: number): number | null =>
    orNull(() => sibling(toNodeIndex(node), leaves)),
};
