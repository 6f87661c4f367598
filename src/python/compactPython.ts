/**
 * Drops what MicroPython never uses from Python source: comments, blank lines and docstrings
 * (MicroPython keeps no `__doc__`), and indents one space per block level. The embedded
 * bridge ships inside sw.js, so this is download size, and source the interpreter need not
 * lex at every boot.
 *
 * Conservative: strings are tracked across lines, so nothing inside one changes (a
 * triple-quoted string that is not a docstring stays verbatim); a line continued inside
 * brackets or after a `\` only loses its leading whitespace to one space; a block left empty
 * by a removed docstring gets a `pass`. Line numbers change (tracebacks of this code are ours).
 * @example compactPython('def f():\n    """Doc."""\n    # note\n    return 1  # one\n') // 'def f():\n return 1\n'
 */
export function compactPython(source: string): string {
  const lines = source.split("\n");
  const out: string[] = [];
  const state: ScanState = { quote: undefined, depth: 0, joined: false };
  const widths = [0]; // indentation widths of the open blocks, outermost first
  let lastCode = "";
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (state.quote !== undefined || state.depth > 0 || state.joined) {
      // The rest of a logical line: verbatim inside a string, otherwise indentation is noise.
      const inString = state.quote !== undefined;
      const code = stripComment(line, state);
      if (inString) out.push(code);
      else if (code.trim() !== "") out.push(` ${code.trimStart()}`);
      if (state.quote === undefined && code.trim() !== "") lastCode = code.trim();
      continue;
    }
    const text = line.trim();
    if (text === "" || text.startsWith("#")) continue;
    const level = blockLevel(widths, indentWidth(line), i);
    const quote = text.startsWith('"""') ? '"""' : text.startsWith("'''") ? "'''" : undefined;
    if (quote && (lastCode === "" || lastCode.endsWith(":"))) {
      // A docstring: skip to its closing quotes.
      let end = i;
      if (countQuotes(text, quote) < 2) while (end + 1 < lines.length && countQuotes(lines[++end], quote) === 0);
      const next = lines.slice(end + 1).find((l) => l.trim() !== "" && !l.trim().startsWith("#"));
      const nextWidth = next === undefined ? -1 : indentWidth(next);
      if (lastCode !== "" && nextWidth < indentWidth(line)) out.push(`${" ".repeat(level)}pass`);
      i = end;
      continue;
    }
    const code = stripComment(line.trimStart(), state);
    out.push(" ".repeat(level) + code);
    if (state.quote === undefined) lastCode = code;
  }
  return out.join("\n") + "\n";
}

/** Where the previous line left off: inside a string (its quote), inside brackets, after a `\`. */
interface ScanState {
  quote: string | undefined;
  depth: number;
  joined: boolean;
}

/** The line without a comment outside strings (and trailing blanks, outside a string), advancing `state`. */
function stripComment(line: string, state: ScanState): string {
  let i = 0;
  for (; i < line.length; i++) {
    const c = line[i];
    if (state.quote !== undefined) {
      if (c === "\\") i++;
      else if (line.startsWith(state.quote, i)) {
        i += state.quote.length - 1;
        state.quote = undefined;
      }
    } else if (c === "#") break;
    else if (c === "'" || c === '"') {
      state.quote = line.startsWith(c.repeat(3), i) ? c.repeat(3) : c;
      i += state.quote.length - 1;
    } else if ("([{".includes(c)) state.depth++;
    else if (")]}".includes(c)) state.depth--;
  }
  if (state.quote !== undefined) return line; // a string goes on: every character is content
  const code = line.slice(0, i).trimEnd();
  state.joined = code.endsWith("\\");
  return code;
}

/** The block level of a statement indented `width` columns, given the open blocks' widths. */
function blockLevel(widths: number[], width: number, index: number): number {
  if (width > widths[widths.length - 1]) widths.push(width);
  while (width < widths[widths.length - 1]) widths.pop();
  if (width !== widths[widths.length - 1]) throw new Error(`compactPython: inconsistent dedent on line ${index + 1}`);
  return widths.length - 1;
}

function indentWidth(line: string): number {
  const indent = line.length - line.trimStart().length;
  if (line.slice(0, indent).includes("\t")) throw new Error("compactPython: tabs in indentation");
  return indent;
}

function countQuotes(line: string, quote: string): number {
  return line.split(quote).length - 1;
}
