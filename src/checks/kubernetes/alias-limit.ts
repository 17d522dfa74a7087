import { isAlias, isCollection, isPair, isScalar, visit, type Document, type Node } from 'yaml';

/**
 * The offset of the alias at which `doc.toJS({ maxAliasCount })` refuses to expand further, so an
 * alias bomb is reported where the aliases are rather than at the top of the document. It repeats
 * the arithmetic of yaml's own check (each use of an anchor counts its uses times the largest
 * alias fan-out inside it), in the same document order; `undefined` when no alias passes `max`.
 */
export function aliasLimitOffset(doc: Document, max: number): number | undefined {
  const lastAnchor = new Map<string, Node>();
  const sourceOf = new Map<Node, Node>();
  const data = new Map<Node, { count: number; fanOut: number }>();
  const fanOut = (n: unknown): number => {
    if (isAlias(n)) {
      const src = sourceOf.get(n);
      const d = src && data.get(src);
      return d ? d.count * d.fanOut : 0;
    }
    if (isCollection(n)) return Math.max(0, ...n.items.map(fanOut));
    if (isPair(n)) return Math.max(fanOut(n.key), fanOut(n.value));
    return 1;
  };
  let hit: number | undefined;
  visit(doc, {
    Node(_key, node) {
      if (isAlias(node)) {
        const src = lastAnchor.get(node.source);
        const d = src && data.get(src);
        if (!src || !d) return;
        sourceOf.set(node, src);
        d.count += 1;
        if (d.fanOut === 0) d.fanOut = fanOut(src);
        if (d.count * d.fanOut > max) {
          hit = node.range?.[0];
          return visit.BREAK;
        }
      } else if ((isScalar(node) || isCollection(node)) && node.anchor) {
        lastAnchor.set(node.anchor, node);
        data.set(node, { count: 1, fanOut: 0 });
      }
      return undefined;
    },
  });
  return hit;
}
