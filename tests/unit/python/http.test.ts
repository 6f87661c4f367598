import { describe, expect, test } from "vitest";
import { appFrom } from "../bridge/appFrom.ts";
import { startPython } from "./loadLib.ts";

// src/python/lib/http/__init__.py in the real runtime. Expected values are CPython 3.11's output for the
// same code, except where a comment says why the sandbox differs.

describe("http.HTTPStatus", () => {
  test("an IntEnum of every 3.11 status with its phrase", async () => {
    const python = await startPython();
    expect(python.run(`
from http import HTTPStatus
nf = HTTPStatus.NOT_FOUND
print(nf == 404, nf.phrase, nf.value, nf.name, HTTPStatus(404) is nf, repr(HTTPStatus.OK), str(HTTPStatus.OK), f'{HTTPStatus.OK}')
print(HTTPStatus.IM_A_TEAPOT.phrase, HTTPStatus(226).name, HTTPStatus.REQUEST_URI_TOO_LONG.phrase, len(HTTPStatus.__members__))
print(sorted((s.value, s.name, s.phrase) for s in HTTPStatus.__members__.values())[::9])
print(isinstance(HTTPStatus.OK, int), HTTPStatus.OK + 1, '%d' % HTTPStatus.CREATED, HTTPStatus.BAD_GATEWAY >= 500, {200: 'ok'}[HTTPStatus.OK])
try:
    HTTPStatus(299)
except ValueError as e:
    print(e)
`)).toBe("True Not Found 404 NOT_FOUND True <HTTPStatus.OK: 200> 200 200\nI'm a Teapot IM_USED Request-URI Too Long 62\n[(100, 'CONTINUE', 'Continue'), (205, 'RESET_CONTENT', 'Reset Content'), (304, 'NOT_MODIFIED', 'Not Modified'), (405, 'METHOD_NOT_ALLOWED', 'Method Not Allowed'), (414, 'REQUEST_URI_TOO_LONG', 'Request-URI Too Long'), (425, 'TOO_EARLY', 'Too Early'), (503, 'SERVICE_UNAVAILABLE', 'Service Unavailable')]\nTrue 201 201 True ok\n299 is not a valid HTTPStatus\n");
  });

  test("HTTPMethod", async () => {
    const python = await startPython();
    expect(python.run(`
from http import HTTPMethod
print(HTTPMethod.GET == 'GET', repr(HTTPMethod.POST), str(HTTPMethod.PUT), HTTPMethod('PATCH').name, len(HTTPMethod.__members__))
`)).toBe("True <HTTPMethod.POST> PUT PATCH 9\n");
  });
});

describe("HTTPStatus in an app", () => {
  test("an HTTPStatus member is a response status the bridge accepts", async () => {
    const app = await appFrom(`
from http import HTTPStatus
async def app(scope, receive, send):
    if scope["type"] != "http":
        return
    await send({"type": "http.response.start", "status": HTTPStatus.CREATED, "headers": []})
    await send({"type": "http.response.body", "body": HTTPStatus.CREATED.phrase.encode()})
`);
    const response = await app.fetch("/");
    expect([response.status, response.text]).toEqual([201, "Created"]);
    await app.close();
  });
});
