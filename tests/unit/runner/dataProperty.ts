// The /data property, shared by the Node stores' suite and the IndexedDB store's (e2e).
// Property: whatever a request does to /data, through Python in the real runtime, a request
// that fails leaves /data (the interpreter's and the store's) exactly as before it, and one that
// succeeds is saved exactly; a new interpreter loads the same tree. Random sequences of
// create, write (in place, past the end, across 64 KiB chunks), append, remove, rename (files
// and folders, over files and folders), mkdir and rmdir, over a few names so that they collide.
import fc from "fast-check";
import { expect } from "vitest";
import { CHUNK_BYTES, type DataStore } from "../../../src/store/protocol.ts";
import { DataModel } from "./dataModel.ts";
import { type DataOp, listing, type OpData, serveOps } from "./dataOpsApp.ts";

const name = fc.constantFrom("a", "b", "c");
// Mostly shallow, so that folders exist often enough for moves between them to work.
const pathArb = fc.oneof(
  { weight: 4, arbitrary: name },
  { weight: 3, arbitrary: fc.tuple(name, name).map((parts) => parts.join("/")) },
  { weight: 1, arbitrary: fc.tuple(name, name, name).map((parts) => parts.join("/")) },
);
const dataArb: fc.Arbitrary<OpData> = fc.oneof(
  { weight: 4, arbitrary: fc.uint8Array({ maxLength: 12 }).map((b) => Buffer.from(b).toString("hex")) },
  { weight: 1, arbitrary: fc.tuple(fc.integer({ min: 1, max: 3 * CHUNK_BYTES }), fc.integer({ min: 1, max: 255 })) },
);
const offsetArb = fc.oneof(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 0, max: 4 * CHUNK_BYTES }));
const opArb: fc.Arbitrary<DataOp> = fc.oneof(
  { weight: 3, arbitrary: fc.tuple(fc.constant("create" as const), pathArb, dataArb) },
  { weight: 3, arbitrary: fc.tuple(fc.constant("write" as const), pathArb, offsetArb, dataArb) },
  { weight: 1, arbitrary: fc.tuple(fc.constant("append" as const), pathArb, dataArb) },
  { weight: 2, arbitrary: fc.tuple(fc.constant("remove" as const), pathArb) },
  { weight: 3, arbitrary: fc.tuple(fc.constant("mkdir" as const), pathArb) },
  { weight: 2, arbitrary: fc.tuple(fc.constant("rmdir" as const), pathArb) },
  { weight: 3, arbitrary: fc.tuple(fc.constant("rename" as const), pathArb, pathArb) },
);
// Now and then a new interpreter first (a worker restart): it loads the store, ids included,
// and goes on from there.
const requestArb = fc.record({
  ops: fc.array(opArb, { minLength: 1, maxLength: 12 }),
  fail: fc.boolean(),
  restart: fc.integer({ min: 0, max: 4 }).map((n) => n === 0),
});
const historyArb = fc.array(requestArb, { minLength: 1, maxLength: 6 });

/** Runs `runs` random request histories against a fresh store each (see the file comment). */
export async function checkDataProperty(makeStore: () => Promise<{ store: DataStore; reopen: () => DataStore }>, runs: number) {
  await fc.assert(
    fc.asyncProperty(historyArb, async (history) => {
      const { store, reopen } = await makeStore();
      let app = await serveOps(store);
      let model = new DataModel();
      try {
        for (const { ops, fail, restart } of history) {
          if (restart) {
            await app.runner.close();
            app = await serveOps(reopen());
          }
          const before = model.clone();
          const result = await app.run(ops, fail);
          if (fail) {
            expect(result.status).toBe(500);
            model = before;
          } else {
            expect(result.status).toBe(200);
            // Which operations worked is POSIX's call, in the model and in the runtime alike.
            const worked = ops.map((op) => model.apply(op));
            expect(result.errnos!.map((errno) => errno === null)).toEqual(worked);
          }
          expect(await app.dump()).toEqual(model.listing());
          expect(listing(await reopen().load())).toEqual(model.listing());
        }
      } finally {
        await app.runner.close();
      }
      // A new interpreter over the same store sees the same /data.
      const again = await serveOps(reopen());
      try {
        expect(await again.dump()).toEqual(model.listing());
      } finally {
        await again.runner.close();
      }
    }),
    { numRuns: runs },
  );
}

