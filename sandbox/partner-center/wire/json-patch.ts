/**
 * RFC 6902 JSON Patch as "Update a referral" (PATCH) documents it: an array of operations, of which the
 * service supports only `add` and `replace`. Pointers follow RFC 6901 (`~1` is `/`, `~0` is `~`); `-`
 * appends to an array (`/team/-` in the documented sample). All or nothing: an error in any operation
 * leaves the referral untouched.
 */
import type { WirePatchOp } from './types.js';

export class PatchError extends Error {
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(message);
    this.name = 'PatchError';
  }
}

/** The body must be an array of `{op, path, value}` objects with string `op` and `path`. */
export function readPatchBody(body: unknown): WirePatchOp[] | undefined {
  if (!Array.isArray(body)) return undefined;
  const ops: WirePatchOp[] = [];
  for (const item of body) {
    if (typeof item !== 'object' || item === null || Array.isArray(item)) return undefined;
    const { op, path } = item as Record<string, unknown>;
    if (typeof op !== 'string' || typeof path !== 'string') return undefined;
    ops.push(item as WirePatchOp);
  }
  return ops;
}

function tokens(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) throw new PatchError(pointer, `"${pointer}" is not a JSON Pointer (it must start with "/").`);
  return pointer.slice(1).split('/').map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function index(token: string, length: number, path: string, appending: boolean): number {
  if (appending && token === '-') return length;
  const n = /^(0|[1-9]\d*)$/.test(token) ? Number(token) : NaN;
  if (!(n <= (appending ? length : length - 1))) throw new PatchError(path, `${path}: "${token}" is not an index of the array.`);
  return n;
}

function apply(document: Record<string, unknown>, op: WirePatchOp): void {
  if (!('value' in op)) throw new PatchError(op.path, `${op.path}: the "${op.op}" operation needs a value.`);
  const parts = tokens(op.path);
  if (parts.length === 0) throw new PatchError(op.path, 'The whole referral cannot be replaced by PATCH; use a path.');
  let node: unknown = document;
  for (const part of parts.slice(0, -1)) {
    if (typeof node !== 'object' || node === null) throw new PatchError(op.path, `${op.path}: the parent does not exist.`);
    node = Array.isArray(node) ? node[index(part, node.length, op.path, false)] : (node as Record<string, unknown>)[part];
  }
  if (typeof node !== 'object' || node === null) throw new PatchError(op.path, `${op.path}: the parent does not exist.`);
  const last = parts[parts.length - 1] as string;
  const value = structuredClone(op.value);
  if (Array.isArray(node)) {
    const at = index(last, node.length, op.path, op.op === 'add');
    if (op.op === 'add') node.splice(at, 0, value);
    else node[at] = value;
    return;
  }
  const target = node as Record<string, unknown>;
  if (op.op === 'replace' && !(last in target)) throw new PatchError(op.path, `${op.path} does not exist, so it cannot be replaced (use add).`);
  target[last] = value;
}

/** Applies `ops` to a copy of `document`. */
export function applyJsonPatch<T extends object>(document: T, ops: readonly WirePatchOp[]): T {
  const copy = structuredClone(document) as Record<string, unknown>;
  for (const op of ops) {
    if (op.op !== 'add' && op.op !== 'replace') throw new PatchError(op.path, `The "${op.op}" operation is not supported; use add or replace.`);
    apply(copy, op);
  }
  return copy as T;
}
