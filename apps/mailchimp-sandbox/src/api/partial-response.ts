/**
 * `fields` and `exclude_fields`: partial responses by dotted paths, applied through arrays
 * (`members.email_address` keeps that field of every member) ([SPEC] every operation, §1).
 */
type TNode = unknown;

export function applyFieldSelection(body: TNode, fields?: string, excludeFields?: string): TNode {
  let result = body;
  if (fields !== undefined && fields.trim() !== "") result = pick(result, parsePaths(fields));
  if (excludeFields !== undefined && excludeFields.trim() !== "") {
    for (const path of parsePaths(excludeFields)) result = omit(result, path);
  }

  return result;
}

function parsePaths(list: string): string[][] {
  return list
    .split(",")
    .map((path) => path.trim())
    .filter((path) => path !== "")
    .map((path) => path.split("."));
}

function pick(node: TNode, paths: string[][]): TNode {
  if (Array.isArray(node)) return node.map((item) => pick(item, paths));
  if (typeof node !== "object" || node === null) return node;

  const source = node as Record<string, TNode>;
  const out: Record<string, TNode> = {};
  const byHead = new Map<string, string[][]>();
  for (const [head, ...rest] of paths) {
    if (head === undefined || !(head in source)) continue;
    const tails = byHead.get(head) ?? [];
    tails.push(rest);
    byHead.set(head, tails);
  }
  for (const [head, tails] of byHead) {
    const whole = tails.some((tail) => tail.length === 0);
    out[head] = whole ? source[head] : pick(source[head], tails);
  }

  return out;
}

function omit(node: TNode, path: string[]): TNode {
  if (Array.isArray(node)) return node.map((item) => omit(item, path));
  if (typeof node !== "object" || node === null) return node;

  const [head, ...rest] = path;
  if (head === undefined) return node;
  const source = node as Record<string, TNode>;
  if (!(head in source)) return node;

  const out: Record<string, TNode> = { ...source };
  if (rest.length === 0) delete out[head];
  else out[head] = omit(source[head], rest);

  return out;
}
