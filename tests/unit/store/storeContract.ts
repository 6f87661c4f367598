import { expect, test } from "vitest";
import type { DataStore } from "../../../src/store/protocol.ts";

const bytes = (text: string) => new TextEncoder().encode(text);
const text = (data: Uint8Array | undefined) => (data ? new TextDecoder().decode(data) : undefined);

/**
 * The behaviour every /data store must have, run against each implementation
 * (hono's common.case.test.ts pattern). `fresh` gives an empty store; `reopen` a second
 * instance over the same storage, as after a restart.
 */
export function storeContract(name: string, fresh: () => Promise<{ store: DataStore; reopen: () => DataStore }>): void {
  test(`${name}: an empty store loads nothing`, async () => {
    const { store } = await fresh();
    expect((await store.load()).size).toBe(0);
  });

  test(`${name}: committed files survive a reopen, nested paths and binary content included`, async () => {
    const { store, reopen } = await fresh();
    const binary = new Uint8Array(256).map((_, i) => i);
    await store.commit({ put: new Map([["a.txt", bytes("one")], ["dir/sub/b.bin", binary]]), remove: [] });
    const files = await reopen().load();
    expect(text(files.get("a.txt"))).toBe("one");
    expect([...files.get("dir/sub/b.bin")!]).toEqual([...binary]);
  });

  test(`${name}: a commit replaces and removes files`, async () => {
    const { store, reopen } = await fresh();
    await store.commit({ put: new Map([["a", bytes("1")], ["b", bytes("2")]]), remove: [] });
    await store.commit({ put: new Map([["a", bytes("3")]]), remove: ["b"] });
    const files = await reopen().load();
    expect([...files.keys()].sort()).toEqual(["a"]);
    expect(text(files.get("a"))).toBe("3");
  });

  test(`${name}: commits applied in order keep the last write`, async () => {
    const { store, reopen } = await fresh();
    await Promise.all([1, 2, 3, 4, 5].map((n) => store.commit({ put: new Map([["n", bytes(String(n))]]), remove: [] })));
    expect(text((await reopen().load()).get("n"))).toBe("5");
  });
}
