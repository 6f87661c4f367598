import { describe, expect, test } from "vitest";
import { startPython } from "./loadLib.ts";

// src/python/lib/csv.py in the real runtime. Expected values are CPython 3.11's output for the
// same code, except where a comment says why the sandbox differs.

describe("reader", () => {
  test("quoted fields, doubled quotes, newlines inside quotes, blank lines", async () => {
    const python = await startPython();
    expect(python.run(`
import csv
rows = csv.reader(['a,b,c\\n', '1,"x, y",3\\n', '\\n', '"multi\\n', 'line","he said ""hi""",\\n'])
print(list(rows))
r = csv.reader(['x\\n', '"y\\n', 'z"\\n', 'w\\n'])
print(next(r), r.line_num, next(r), r.line_num, next(r), r.line_num)
`)).toBe("[['a', 'b', 'c'], ['1', 'x, y', '3'], [], ['multi\\nline', 'he said \"hi\"', '']]\n['x'] 1 ['y\\nz'] 3 ['w'] 4\n");
  });

  test("reads io.StringIO and files; dialect options", async () => {
    const python = await startPython();
    expect(python.run(`
import csv, io
print(list(csv.reader(io.StringIO('a;b\\r\\n"q;1";2\\r\\n'), delimiter=';')))
with open('/tmp/t.csv', 'w') as f:
    csv.writer(f).writerows([['h1', 'h2'], ['1', 'two words, quoted']])
with open('/tmp/t.csv') as f:
    print(list(csv.reader(f)))
print(list(csv.reader(['a, b,  c'], skipinitialspace=True)), list(csv.reader(['a\\tb'], dialect='excel-tab')))
print(list(csv.reader(['1,"2",3.5'], quoting=csv.QUOTE_NONNUMERIC)), list(csv.reader(['a"b,c'], quoting=csv.QUOTE_NONE)))
print(list(csv.reader(['a\\\\,b,c'], escapechar='\\\\')), list(csv.reader(['"a"b,c'])), sorted(csv.list_dialects()))
`)).toBe("[['a', 'b'], ['q;1', '2']]\n[['h1', 'h2'], ['1', 'two words, quoted']]\n[['a', 'b', 'c']] [['a', 'b']]\n[[1.0, '2', 3.5]] [['a\"b', 'c']]\n[['a,b', 'c']] [['ab', 'c']] ['excel', 'excel-tab', 'unix']\n");
  });

  test("errors are csv.Error or TypeError", async () => {
    const python = await startPython();
    expect(python.run(`
import csv
for make in (lambda: list(csv.reader(['"a"b,c'], strict=True)), lambda: list(csv.reader(['"open'], strict=True)),
             lambda: list(csv.reader([b'bytes'])), lambda: csv.reader([], delimiter='ab'), lambda: csv.get_dialect('nope')):
    try:
        make()
    except (csv.Error, TypeError) as e:
        print(type(e).__name__, e)
print(list(csv.reader(['"open'])))
`)).toBe("Error ',' expected after '\"'\nError unexpected end of data\nError iterator should return strings, not bytes (the file should be opened in text mode)\nTypeError \"delimiter\" must be a 1-character string\nError unknown dialect\n[['open']]\n");
  });
});

describe("writer", () => {
  test("minimal quoting, None, numbers, the lone empty field", async () => {
    const python = await startPython();
    expect(python.run(`
import csv, io
out = io.StringIO()
w = csv.writer(out)
print(w.writerow(['a', 'b,c', 'd"e', 'f\\ng', None, 1.5, 2, '']))
w.writerow([''])
w.writerows([[1, 2], ['x', ' y']])
print(repr(out.getvalue()))
`)).toBe("30\n'a,\"b,c\",\"d\"\"e\",\"f\\ng\",,1.5,2,\\r\\n\"\"\\r\\n1,2\\r\\nx, y\\r\\n'\n");
  });

  test("QUOTE_ALL, QUOTE_NONNUMERIC, QUOTE_NONE and lineterminator", async () => {
    const python = await startPython();
    expect(python.run(`
import csv, io
for q in (csv.QUOTE_ALL, csv.QUOTE_NONNUMERIC):
    o = io.StringIO()
    csv.writer(o, quoting=q, lineterminator='\\n').writerow(['a', 1, 2.0, None, True])
    print(repr(o.getvalue()))
o = io.StringIO()
try:
    csv.writer(o, quoting=csv.QUOTE_NONE).writerow(['a,b'])
except csv.Error as e:
    print('Error:', e)
csv.writer(o, quoting=csv.QUOTE_NONE, escapechar='\\\\').writerow(['a,b', 'c"d'])
print(repr(o.getvalue()))
`)).toBe("'\"a\",\"1\",\"2.0\",\"\",\"True\"\\n'\n'\"a\",1,2.0,\"\",True\\n'\nError: need to escape, but no escapechar set\n'a\\\\,b,c\\\\\"d\\r\\n'\n");
  });
});

describe("DictReader and DictWriter", () => {
  test("fieldnames, restkey, restval, blank lines skipped", async () => {
    const python = await startPython();
    expect(python.run(`
import csv, io
dr = csv.DictReader(io.StringIO('name,age\\nAnn,3\\n\\nBob\\nCid,4,extra,more\\n'), restkey='rest', restval='none')
print(dr.fieldnames, [sorted(d.items()) for d in dr], dr.line_num)
print([sorted(d.items()) for d in csv.DictReader(['1,2'], fieldnames=['a', 'b'])])
`)).toBe("['name', 'age'] [[('age', '3'), ('name', 'Ann')], [('age', 'none'), ('name', 'Bob')], [('age', '4'), ('name', 'Cid'), ('rest', ['extra', 'more'])]] 5\n[[('a', '1'), ('b', '2')]]\n");
  });

  test("writeheader, restval, extrasaction", async () => {
    const python = await startPython();
    expect(python.run(`
import csv, io
o = io.StringIO()
dw = csv.DictWriter(o, fieldnames=['name', 'age'], restval='?')
dw.writeheader()
dw.writerow({'name': 'Ann', 'age': 3})
dw.writerows([{'name': 'Bob'}])
try:
    dw.writerow({'name': 'C', 'zzz': 1})
except ValueError as e:
    print(e)
csv.DictWriter(o, ['name'], extrasaction='ignore').writerow({'name': 'D', 'x': 1})
print(repr(o.getvalue()))
`)).toBe("dict contains fields not in fieldnames: 'zzz'\n'name,age\\r\\nAnn,3\\r\\nBob,?\\r\\nD\\r\\n'\n");
  });

  test("unquoted rows (the fast path) and escapes without doubled quotes", async () => {
    const python = await startPython();
    expect(python.run(`
import csv, io
print(list(csv.reader(['1,2.5\\n', '-3,4e2'], quoting=csv.QUOTE_NONNUMERIC)))
print(list(csv.reader(['1,,2', '"",3'], quoting=csv.QUOTE_NONNUMERIC)))
try:
    list(csv.reader(['1,x'], quoting=csv.QUOTE_NONNUMERIC))
except ValueError as e:
    print('ValueError')
print(list(csv.reader(['a\\r\\n', 'b\\r', '', 'c;d'], delimiter=';')))
o = io.StringIO()
w = csv.writer(o, lineterminator='!\\n', escapechar='\\\\', doublequote=False)
w.writerow(['x!y', 'q"r', 'back\\\\slash', 'plain'])
print(repr(o.getvalue()))
`)).toBe("[[1.0, 2.5], [-3.0, 400.0]]\n[[1.0, '', 2.0], ['', 3.0]]\nValueError\n[['a'], ['b'], [], ['c', 'd']]\n'\"x!y\",q\\\\\"r,back\\\\\\\\slash,plain!\\n'\n");
  });
});
