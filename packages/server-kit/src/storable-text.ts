/**
 * A NUL (PostgreSQL text cannot hold one: the query fails) or a UTF-16
 * surrogate without its pair (not a character at all: it would be stored as
 * U+FFFD, silently changed).
 */
// eslint-disable-next-line no-control-regex -- finding the NUL is the point
const unstorable = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

interface Node {
  value: unknown;
  key: string;
  parent: Node | undefined;
}

const pathOf = (node: Node | undefined): string[] => {
  const path: string[] = [];
  for (let n = node; n?.parent; n = n.parent) path.push(n.key);
  return path.reverse();
};

/**
 * The path to the first string in `value` (a parsed body, query or route
 * parameters; object keys included) that the database cannot store
 * unchanged, or undefined. Walks with its own stack, so a body nested 10,000
 * levels deep costs time linear in its size and no call stack.
 */
export function findUnstorableText(value: unknown): string[] | undefined {
  const stack: Node[] = [{ value, key: '', parent: undefined }];
  for (let node = stack.pop(); node; node = stack.pop()) {
    const v = node.value;
    if (typeof v === 'string') {
      if (unstorable.test(v)) return pathOf(node);
    } else if (typeof v === 'object' && v !== null) {
      for (const [key, item] of Object.entries(v)) {
        if (unstorable.test(key)) return pathOf(node);
        stack.push({ value: item, key, parent: node });
      }
    }
  }
  return undefined;
}
