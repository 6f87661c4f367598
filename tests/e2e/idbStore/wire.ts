import type { DataOp } from "../../../src/store/protocol.ts";

/** DataChanges as page.evaluate can carry them. */
export interface WireChanges {
  ops: (Exclude<DataOp, { op: "file" }> | (Omit<Extract<DataOp, { op: "file" }>, "chunks"> & { chunks: [number, string][] }))[];
  dropped: number[];
}

/** A loaded tree: [path, base64 bytes | null for a folder, file id], in load order. */
export type WireTree = [string, string | null, number?][];

export function toBase64(bytes: Uint8Array): string {
  let text = "";
  for (let i = 0; i < bytes.byteLength; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(text);
}

export function fromBase64(text: string): Uint8Array {
  return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
}
