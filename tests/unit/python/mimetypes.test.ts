import { describe, expect, test } from "vitest";
import { startPython } from "./loadLib.ts";

// src/python/lib/mimetypes.py in the real runtime. Expected values are CPython 3.11's output for the
// same code, except where a comment says why the sandbox differs.
// The reference is CPython 3.11's built-in table (mimetypes.MimeTypes(), no /etc/mime.types);
// the web types it lacks (woff2, webp, md) come from a Linux /etc/mime.types.

describe("mimetypes", () => {
  test("guess_type: paths, URLs, case, encodings, data: URLs", async () => {
    const python = await startPython();
    expect(python.run(`
import mimetypes
for p in ('index.html', 'STYLE.CSS', 'app.js', 'a/b/c.json', 'photo.JPG', 'x.tar.gz', 'x.tgz', 'x.svgz', 'noext',
          '.bashrc', 'dir.d/file', 'http://example.com/a/b.png', 'a.html?x=1', 'data:image/png;base64,AAAA',
          'data:,hello', 'x.unknownext', 'x.gz', 'clip.mp4', '/path/to/file.PDF', 'x.Z'):
    print(p, mimetypes.guess_type(p))
`)).toBe("index.html ('text/html', None)\nSTYLE.CSS ('text/css', None)\napp.js ('application/javascript', None)\na/b/c.json ('application/json', None)\nphoto.JPG ('image/jpeg', None)\nx.tar.gz ('application/x-tar', 'gzip')\nx.tgz ('application/x-tar', 'gzip')\nx.svgz ('image/svg+xml', 'gzip')\nnoext (None, None)\n.bashrc (None, None)\ndir.d/file (None, None)\nhttp://example.com/a/b.png ('image/png', None)\na.html?x=1 (None, None)\ndata:image/png;base64,AAAA ('image/png', None)\ndata:,hello ('text/plain', None)\nx.unknownext (None, None)\nx.gz (None, 'gzip')\nclip.mp4 ('video/mp4', None)\n/path/to/file.PDF ('application/pdf', None)\nx.Z (None, 'compress')\n");
  });

  test("guess_type: the web types CPython's own table lacks", async () => {
    // CPython 3.11 answers these from /etc/mime.types; its built-in table has none of them.
    const python = await startPython();
    expect(python.run(`
import mimetypes
for p in ('font.woff', 'font.woff2', 'notes.md', 'pic.webp', 'song.ogg', 'data.jsonld', 'doc.docx'):
    print(p, mimetypes.guess_type(p))
`)).toBe("font.woff ('font/woff', None)\nfont.woff2 ('font/woff2', None)\nnotes.md ('text/markdown', None)\npic.webp ('image/webp', None)\nsong.ogg ('audio/ogg', None)\ndata.jsonld ('application/ld+json', None)\ndoc.docx ('application/vnd.openxmlformats-officedocument.wordprocessingml.document', None)\n");
  });

  test("guess_extension, types_map, add_type", async () => {
    const python = await startPython();
    expect(python.run(`
import mimetypes
for t in ('text/html', 'text/plain', 'image/jpeg', 'application/javascript', 'image/tiff', 'application/json', 'TEXT/CSS', 'application/x-nope', 'video/mpeg'):
    print(t, mimetypes.guess_extension(t))
print(mimetypes.types_map['.svg'], mimetypes.encodings_map['.gz'], mimetypes.guess_all_extensions('text/html'))
mimetypes.add_type('application/x-thing', '.thing')
print(mimetypes.guess_type('a.thing'), mimetypes.guess_extension('application/x-thing'))
`)).toBe("text/html .html\ntext/plain .txt\nimage/jpeg .jpg\napplication/javascript .js\nimage/tiff .tiff\napplication/json .json\nTEXT/CSS .css\napplication/x-nope None\nvideo/mpeg .mpeg\nimage/svg+xml gzip ['.html', '.htm']\n('application/x-thing', None) .thing\n");
  });
});
