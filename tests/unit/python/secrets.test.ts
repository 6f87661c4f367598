import { describe, expect, test } from "vitest";
import { BootImageSlot } from "../../../src/runner/bootImage.ts";
import { loadRuntimeNode } from "../../../src/runner/loadRuntimeNode.ts";
import { appFrom } from "../bridge/appFrom.ts";
import { startPython } from "./loadLib.ts";

// src/python/lib/secrets.py and _swasgi_urandom.py (os.urandom) in the real runtime, drawing from
// the host's CSPRNG through _swasgi_random (src/runner/randomModule.ts). Expected values are
// CPython 3.11's output for the same code where the output is deterministic.

describe("secrets", () => {
  test("tokens have CPython's sizes and alphabets", async () => {
    const python = await startPython();
    expect(python.run(`
import secrets, string
print(len(secrets.token_bytes()), len(secrets.token_bytes(5)), type(secrets.token_bytes(1)).__name__)
print(len(secrets.token_hex()), len(secrets.token_hex(4)), all(c in '0123456789abcdef' for c in secrets.token_hex(64)))
urlsafe = secrets.token_urlsafe(48)
print(len(secrets.token_urlsafe(16)), len(urlsafe), all(c.isalpha() or c.isdigit() or c in '-_' for c in urlsafe))
print(secrets.token_bytes(0), secrets.token_hex(0), secrets.token_urlsafe(0) == '')
`)).toBe("32 5 bytes\n64 8 True\n22 64 True\nb''  True\n");
  });

  test("randbelow, randbits, choice and SystemRandom stay in range", async () => {
    const python = await startPython();
    expect(python.run(`
import secrets
print(sorted(set(secrets.randbelow(3) for _ in range(300))), set(secrets.randbelow(1) for _ in range(20)))
print(all(0 <= secrets.randbits(12) < 4096 for _ in range(200)), secrets.randbits(0))
print(sorted(set(secrets.choice('abc') for _ in range(200))), secrets.choice([7]))
r = secrets.SystemRandom()
deck = list(range(10))
r.shuffle(deck)
print(sorted(deck) == list(range(10)), len(set(r.sample(range(100), 10))), 0 <= r.random() < 1, 5 <= r.randint(5, 6) <= 6)
for bad in (lambda: secrets.randbelow(0), lambda: secrets.choice([]), lambda: secrets.randbits(-1)):
    try:
        bad()
    except (ValueError, IndexError) as e:
        print(type(e).__name__, e)
`)).toBe("[0, 1, 2] {0}\nTrue 0\n['a', 'b', 'c'] 7\nTrue 10 True True\nValueError Upper bound must be positive.\nIndexError Cannot choose from an empty sequence\nValueError number of bits must be non-negative\n");
  });

  test("compare_digest", async () => {
    const python = await startPython();
    expect(python.run(`
from secrets import compare_digest
print(compare_digest('abc', 'abc'), compare_digest('abc', 'abd'), compare_digest('abc', 'ab'), compare_digest(b'x', bytearray(b'x')))
for a, b in (('a', b'a'), ('é', 'é'), (1, 1)):
    try:
        compare_digest(a, b)
    except TypeError as e:
        print('TypeError')
`)).toBe("True False False True\nTypeError\nTypeError\nTypeError\n");
  });
});

describe("the host's CSPRNG", () => {
  test("os.urandom's helper gives fresh bytes of every byte value, large sizes included", async () => {
    const python = await startPython();
    expect(python.run(`
from _swasgi_urandom import urandom
big = urandom(200000)
print(len(big), len(set(big)), urandom(16) != urandom(16), urandom(0))
for bad in (-1, 1.5, True):
    try:
        urandom(bad)
    except (ValueError, TypeError) as e:
        print(type(e).__name__, e)
`)).toBe("200000 256 True b''\nValueError negative argument not allowed\nTypeError 'float' object cannot be interpreted as an integer\nTypeError 'bool' object cannot be interpreted as an integer\n");
  });

  test("seeding Python's random changes nothing: secrets never use its PRNG", async () => {
    const python = await startPython();
    expect(python.run(`
import random, secrets
random.seed(1)
a = secrets.token_hex(16)
random.seed(1)
print(a != secrets.token_hex(16))
`)).toBe("True\n");
  });

  test("_swasgi_random.fill writes only where it may and answers 0 for forged arguments", async () => {
    const python = await startPython();
    expect(python.run(`
import uctypes, _swasgi_random
buf = bytearray(64)
address = uctypes.addressof(buf)
print(_swasgi_random.fill(address, 64), buf != bytearray(64))
before = bytes(buf)
print([_swasgi_random.fill(*args) for args in ((address, -1), (address, 65537), (-8, 4), (2 ** 31, 4), ('x', 4), (address, 1.5))])
print(bytes(buf) == before, _swasgi_random.fill(address, 0))
`)).toBe("64 True\n[0, 0, 0, 0, 0, 0]\nTrue 0\n");
  });

  test("interpreters restored from one boot image draw different secrets", async () => {
    const runtime = { ...(await loadRuntimeNode()), bootImages: new BootImageSlot(`secrets-${Math.random()}`) };
    const APP = `
import secrets, uuid
token = secrets.token_hex(16) + ' ' + str(uuid.uuid4())
async def app(scope, receive, send):
    if scope["type"] != "http":
        return
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": token.encode()})
`;
    const apps = [];
    const tokens = [];
    for (let i = 0; i < 3; i++) {
      // One after the other: the first boot captures the image the next two restore.
      apps.push(await appFrom(APP, {}, { runtime }));
      tokens.push((await apps[i].fetch("/")).text);
    }
    expect(runtime.bootImages.image).toBeDefined();
    const restored = apps.map((app) => app.logs.some((l) => l.kind === "event" && l.message.includes("from the boot image")));
    expect(restored).toEqual([false, true, true]);
    expect(tokens.every((t) => /^[0-9a-f]{32} [0-9a-f-]{36}$/.test(t))).toBe(true);
    expect(new Set(tokens).size).toBe(3);
    await Promise.all(apps.map((app) => app.close()));
  });
});
