/**
 * Drops what MicroPython never uses from Python source: comment lines, blank lines and
 * docstrings (MicroPython keeps no `__doc__`). The embedded bridge ships inside sw.js, so
 * this is download size, and source the interpreter need not lex at every boot.
 *
 * Line-based and conservative: anything inside a triple-quoted string that is not a docstring
 * is kept verbatim, and a block left empty by a removed docstring gets a `pass`.
 * @example compactPython('def f():\n    """Doc."""\n    # note\n    return 1\n') // 'def f():\n    return 1\n'
 */
export function compactPython(source: string): string {
  const lines = source.split("\n");
  const out: string[] = [];
  let open: string | undefined; // the quote of a triple-quoted string still open at line end
  let lastCode = "";
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (open) {
      out.push(line);
      if (countQuotes(line, open) % 2 === 1) open = undefined;
      continue;
    }
    const text = line.trim();
    if (text === "" || text.startsWith("#")) continue;
    const quote = text.startsWith('"""') ? '"""' : text.startsWith("'''") ? "'''" : undefined;
    const blockStart = lastCode === "" || /:\s*(#.*)?$/.test(lastCode);
    if (quote && blockStart) {
      // A docstring: skip to its closing quotes.
      let end = i;
      if (countQuotes(text, quote) < 2) while (end + 1 < lines.length && countQuotes(lines[++end], quote) === 0);
      const indent = line.length - line.trimStart().length;
      const next = lines.slice(end + 1).find((l) => l.trim() !== "" && !l.trim().startsWith("#"));
      const nextIndent = next === undefined ? -1 : next.length - next.trimStart().length;
      if (lastCode !== "" && nextIndent < indent) out.push(`${" ".repeat(indent)}pass`);
      i = end;
      continue;
    }
    out.push(line);
    lastCode = text;
    for (const q of ['"""', "'''"]) if (countQuotes(line, q) % 2 === 1) open = q;
  }
  return out.join("\n") + "\n";
}

function countQuotes(line: string, quote: string): number {
  return line.split(quote).length - 1;
}
