import { describe, expect, test } from "vitest";
import { startPython } from "./loadLib.ts";

// asyncio additions of src/python/lib/_swasgi_compat.py (Queue, Semaphore, run_until_complete),
// in the real runtime; expected values are CPython 3.11's for the same code.

describe("asyncio.get_event_loop().run_until_complete, asyncio.run", () => {
  test("runs a coroutine to its end synchronously, sleeps and tasks included (Microdot's test-client pattern)", async () => {
    const python = await startPython();
    expect(python.run(`
import asyncio
async def work(x):
    await asyncio.sleep(0.01)
    return x * 2
async def main():
    q = asyncio.Queue()
    out = []
    async def consumer():
        while True:
            item = await q.get()
            out.append(item)
            q.task_done()
            if item == 3:
                return
    asyncio.create_task(consumer())
    for i in range(4):
        await q.put(i)
    await q.join()
    sem = asyncio.Semaphore(2)
    async with sem:
        out.append(sem.locked())
    ev = asyncio.Event()
    async def setter():
        await asyncio.sleep(0.005)
        ev.set()
    asyncio.create_task(setter())
    await ev.wait()
    out.append(await asyncio.gather(work(1), work(2)))
    try:
        await asyncio.wait_for(work(1000), 0.001)
    except asyncio.TimeoutError:
        out.append('timeout')
    return out
print(asyncio.get_event_loop().run_until_complete(work(21)))
print(asyncio.run(main()))
async def fails():
    raise KeyError('k')
try:
    asyncio.run(fails())
except KeyError as e:
    print('KeyError', e.args)
`)).toBe("42\n[0, 1, 2, 3, False, [2, 4], 'timeout']\nKeyError ('k',)\n");
  });

  test("a coroutine that waits for what no task will deliver raises RuntimeError instead of hanging", async () => {
    const python = await startPython();
    expect(python.run(`
import asyncio
async def stuck():
    await asyncio.Event().wait()
try:
    asyncio.get_event_loop().run_until_complete(stuck())
except RuntimeError as e:
    print('RuntimeError')
print(asyncio.current_task() is not None)
`)).toBe("RuntimeError\nTrue\n");
  });
});

describe("Queue, Semaphore", () => {
  test("get_nowait/put_nowait, maxsize, BoundedSemaphore over-release", async () => {
    const python = await startPython();
    expect(python.run(`
import asyncio
q = asyncio.Queue(maxsize=1)
q.put_nowait('a')
try:
    q.put_nowait('b')
except asyncio.QueueFull:
    print('QueueFull', q.full(), q.qsize())
print(q.get_nowait(), q.empty())
try:
    q.get_nowait()
except asyncio.QueueEmpty:
    print('QueueEmpty')
s = asyncio.BoundedSemaphore(1)
try:
    s.release()
except ValueError:
    print('ValueError')
`)).toBe("QueueFull True 1\na True\nQueueEmpty\nValueError\n");
  });
});
