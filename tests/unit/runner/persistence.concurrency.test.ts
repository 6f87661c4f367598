// /data with requests in flight together: saves run one at a time; a request that fails while
// another's save is under way undoes only what was not handed to the store yet, and a save the
// store refuses undoes everything not saved, so the interpreter's /data always matches what the
// store will hold.
import { expect, test } from "vitest";
import { type DataChanges, MemoryStore, QuotaError } from "../../../src/store/protocol.ts";
import { digest, listing, serveOps } from "./dataOpsApp.ts";

const hex = (text: string) => Buffer.from(text).toString("hex");
const file = (text: string) => digest(Buffer.from(text));

/** A store whose commits wait until the test lets them go (or refuses them). */
class GatedStore extends MemoryStore {
  #gates: { release: () => void; refuse: () => void }[] = [];
  arrived: Promise<void>;
  #arrive!: () => void;
  constructor() {
    super();
    this.arrived = new Promise((resolve) => (this.#arrive = resolve));
  }
  override commit(changes: DataChanges): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.#gates.push({ release: () => resolve(super.commit(changes)), refuse: () => reject(new QuotaError("QuotaExceededError: full")) });
      this.#arrive();
    });
  }
  release(): void {
    this.#gates.shift()!.release();
  }
  refuse(): void {
    this.#gates.shift()!.refuse();
  }
}

test("a request failing while another's save is under way does not undo what is being saved", async () => {
  const store = new GatedStore();
  const app = await serveOps(store);
  const saving = app.run([["create", "a", hex("saved")]]);
  await store.arrived;
  // The save of "a" waits in the store; this request fails meanwhile.
  expect((await app.run([["create", "b", hex("undone")]], true)).status).toBe(500);
  store.release();
  expect((await saving).status).toBe(200);
  expect(await app.dump()).toEqual({ a: file("saved") });
  expect(listing(await store.load())).toEqual({ a: file("saved") });
});

test("a save the store refuses (507) undoes it and whatever else was not saved, in the interpreter too", async () => {
  const store = new GatedStore();
  const app = await serveOps(store);
  const refused = app.run([["create", "a", hex("too big")]]);
  await store.arrived;
  // Made while the first save waits: not saved yet, so it goes with it, and says so.
  const pending = app.run([["create", "b", hex("later")]]);
  // Let it run: it finishes and waits behind the first save (saves go one at a time).
  await new Promise((resolve) => setTimeout(resolve, 50));
  store.refuse();
  expect((await refused).status).toBe(507);
  expect((await pending).status).toBe(507);
  expect(await app.dump()).toEqual({});
  expect(listing(await store.load())).toEqual({});
  // And the app goes on saving.
  const next = app.run([["create", "c", hex("fits")]]);
  await new Promise((resolve) => setTimeout(resolve, 10));
  store.release();
  expect((await next).status).toBe(200);
  expect(listing(await store.load())).toEqual({ c: file("fits") });
});

test("a request whose changes were undone by another's failure does not report success", async () => {
  const store = new MemoryStore();
  const app = await serveOps(store);
  await app.run([["create", "kept", hex("before")]]);
  // The first writes, then awaits; the second fails meanwhile and undoes all unsaved changes,
  // the first one's included: the first must not answer 200 with half of its changes saved.
  const slow = app.run([["create", "a", hex("mine")], ["sleep", 30], ["create", "c", hex("after the wait")]]);
  expect((await app.run([["create", "b", hex("failing")]], true)).status).toBe(500);
  expect((await slow).status).toBe(500);
  expect(await app.dump()).toEqual({ kept: file("before") });
  expect(listing(await store.load())).toEqual({ kept: file("before") });
  // Requests that start afterwards are not affected.
  expect((await app.run([["create", "d", hex("later")]])).status).toBe(200);
  expect(listing(await store.load())).toEqual({ kept: file("before"), d: file("later") });
});
