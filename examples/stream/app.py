# A streamed response: /clock sends one line per tick while the page script reads the stream.
import asyncio
import time

PAGE = b"""<!doctype html><html><head><meta charset="utf-8"><title>Stream</title></head><body>
<h1>Progress</h1><ol id="log"></ol>
<script>
(async () => {
  const response = await fetch("clock?ticks=5");
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  const log = document.getElementById("log");
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    for (const line of value.split("\\n").filter(Boolean)) {
      const item = document.createElement("li");
      item.textContent = line;
      log.append(item);
    }
  }
  document.body.dataset.done = "yes";
})();
</script></body></html>"""


async def app(scope, receive, send):
    if scope["type"] != "http":
        return
    if scope["path"] == "/clock":
        ticks = 5
        for part in scope["query_string"].decode().split("&"):
            if part.startswith("ticks="):
                ticks = max(1, min(100, int(part[6:] or 5)))
        await send({"type": "http.response.start", "status": 200,
                    "headers": [(b"content-type", b"text/plain; charset=utf-8"), (b"cache-control", b"no-store")]})
        for i in range(ticks):
            line = "tick %d of %d at %d ms\n" % (i + 1, ticks, time.ticks_ms() % 100000)
            await send({"type": "http.response.body", "body": line.encode(), "more_body": True})
            await asyncio.sleep(0.2)
        await send({"type": "http.response.body", "body": b"done\n"})
        return
    await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/html; charset=utf-8")]})
    await send({"type": "http.response.body", "body": PAGE})
