// `s += piece` appends into room after the string (wasm/appendInPlace.mjs): every string made
// on the way keeps its value, two strings grown from the same one differ, and a version whose
// null byte a longer one overwrote still reads as itself where C wants a C string (re, struct).
// Expected output is CPython 3.11's. Run plain and with a collection at every allocation.
import { expect, test } from "vitest";
import { loadRuntimeNode } from "../../../src/runner/loadRuntimeNode.ts";
import { runProgram } from "./gcPrograms.ts";

const PROGRAM = `import re, struct
base = "a" * 200 + "b" * 100
snap = [base]
s = base
for i in range(60):
    s += str(i) * 3
    snap.append(s)
print(all(snap[k] == base + "".join(str(i) * 3 for i in range(k)) for k in range(61)), len(s), s[-6:])
t1 = base + "X"
t2 = base + "Y"
t1 += "1"
print(t1[-3:], t2[-3:], len(t1), len(t2), base[-2:], snap[1][-4:])
u = base + "!"
u += u
print(len(u), u[299:303], u[-2:])
b = b"z" * 300 + b"1"
b2 = b + b"2"
b3 = b + b"3"
print(b2[-3:], b3[-3:], b[-2:], len(b))
pat = "a" * 200 + "a" * 100
longer = pat + "b"
print(re.compile(pat).match("a" * 300) is not None, re.compile(pat + "$").match("a" * 300 + "b") is None)
tmpl = "c" * 150 + "d" * 150
longer2 = tmpl + "EEE"
print(len(re.sub("x", tmpl, "x")), re.sub("x", tmpl, "x")[-2:])
fmt = "B" * 200 + "B" * 100
_ = fmt + "H"
print(struct.calcsize(fmt), struct.calcsize(_))
print({pat: 1}["a" * 300], pat == "a" * 300, hash(pat) == hash("a" * 300), pat.find("b"), pat.upper()[-2:], pat.encode()[-2:], repr(pat)[-3:])
pieces = []
page = "<ul>" + "x" * 300
for i in range(200):
    page += "<li>%d</li>" % i
    if i % 50 == 0:
        pieces.append(page)
print([len(p) for p in pieces], page[-12:], pieces[1][-12:])
`;

const CPYTHON = `True 630 595959
bX1 bbY 302 301 bb b000
602 b!aa b!
b'z12' b'z13' b'z1' 301
True True
300 dd
300 302
1 True True -1 AA b'aa' aa'
[314, 855, 1406, 2006] <li>199</li> ><li>50</li>
`;

test("strings grown by += keep every earlier version, as CPython's do", async () => {
  expect(await runProgram(await loadRuntimeNode(), PROGRAM)).toBe(CPYTHON);
});

// A collection empties the remembered string, so under stress every concatenation takes the
// exact-size path: this checks that path and the C-string copies for soundness.
test("the same with a collection at every allocation", { timeout: 120_000 }, async () => {
  expect(await runProgram({ ...(await loadRuntimeNode()), gcStress: true }, PROGRAM)).toBe(CPYTHON);
});

test("a 20,000-row table built by += in one synchronous loop renders", async () => {
  const code = `
html = "<table>"
for i in range(20000):
    html += "<tr><td>%d</td><td>item %d</td></tr>" % (i, i)
html += "</table>"
print(len(html), html[-40:])`;
  const joined = 'html = "<table>" + "".join(["<tr><td>%d</td><td>item %d</td></tr>" % (i, i) for i in range(20000)]) + "</table>"\nprint(len(html), html[-40:])';
  const expected = await runProgram(await loadRuntimeNode(), joined);
  expect(await runProgram(await loadRuntimeNode(), code, { timeoutMs: 5000 })).toBe(expected);
  expect(expected).toMatch(/^\d+ .*<\/table>\n$/);
});
