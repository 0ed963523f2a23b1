/**
 * RFC 6902 JSON Patch, restricted to what Partner Center supports: `add` and `replace` (§1.6). Used by
 * the sandbox to apply a PATCH body, and by tests to check that generated operations do what they say.
 */

export class JsonPatchError extends Error {
  constructor(
    readonly index: number,
    readonly path: string,
    message: string,
  ) {
    super(`Operation ${index} (${path}): ${message}`);
    this.name = 'JsonPatchError';
  }
}

/** RFC 6901: `~1` is `/`, `~0` is `~`, in that order. */
export function parsePointer(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) throw new Error('a JSON Pointer starts with "/"');
  return pointer
    .slice(1)
    .split('/')
    .map((token) => token.replace(/~1/g, '/').replace(/~0/g, '~'));
}

export function escapePointerToken(token: string | number): string {
  return String(token).replace(/~/g, '~0').replace(/\//g, '~1');
}

type Container = Record<string, unknown> | unknown[];
const isContainer = (v: unknown): v is Container => typeof v === 'object' && v !== null;

function arrayIndex(token: string, length: number, allowEnd: boolean): number {
  if (token === '-' && allowEnd) return length;
  if (!/^(0|[1-9][0-9]*)$/.test(token)) throw new Error(`"${token}" is not an array index`);
  const index = Number(token);
  if (index > length || (!allowEnd && index === length)) throw new Error(`index ${index} is out of range`);
  return index;
}

function applyOne(document: unknown, op: { op: string; path: string; value?: unknown }): unknown {
  if (op.op !== 'add' && op.op !== 'replace') throw new Error(`op "${op.op}" is not supported; Partner Center accepts only add and replace`);
  if (!('value' in op)) throw new Error('the operation has no value');
  const tokens = parsePointer(op.path);
  if (tokens.length === 0) return structuredClone(op.value);
  let parent: unknown = document;
  for (const token of tokens.slice(0, -1)) {
    if (!isContainer(parent)) throw new Error(`the parent of ${op.path} does not exist`);
    parent = Array.isArray(parent) ? parent[arrayIndex(token, parent.length, false)] : parent[token];
  }
  if (!isContainer(parent)) throw new Error(`the parent of ${op.path} does not exist`);
  const last = tokens[tokens.length - 1] as string;
  const value = structuredClone(op.value);
  if (Array.isArray(parent)) {
    const index = arrayIndex(last, parent.length, op.op === 'add');
    if (op.op === 'add') parent.splice(index, 0, value);
    else parent[index] = value;
  } else {
    if (op.op === 'replace' && !(last in parent)) throw new Error(`${op.path} does not exist, so it cannot be replaced (use add)`);
    parent[last] = value;
  }
  return document;
}

/** Applies `ops` to a copy of `document`, all or nothing. */
export function applyPatch<T>(document: T, ops: readonly { op: string; path: string; value?: unknown }[]): T {
  let working: unknown = structuredClone(document);
  ops.forEach((op, index) => {
    try {
      working = applyOne(working, op);
    } catch (error) {
      throw new JsonPatchError(index, op.path, (error as Error).message);
    }
  });
  return working as T;
}
