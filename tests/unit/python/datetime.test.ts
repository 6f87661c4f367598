import { beforeAll, describe, expect, test } from "vitest";
import { type PySession, startPython } from "./loadLib.ts";

// swasgi's datetime in the real runtime. Every expected value is CPython 3.11's output for the
// same snippet; where this runtime must differ, a separate test says why.

let python: PySession;
beforeAll(async () => {
  python = await startPython();
});

describe("datetime", () => {
  test("strftime, isoformat, fromisoformat, strptime, arithmetic", () => {
    expect(python.run("from datetime import datetime, date, timedelta, timezone\nx = datetime(2024, 3, 5, 14, 7, 9, 123)\nprint(x.strftime(\"%Y-%m-%d %H:%M:%S.%f %a %b %j\"), x.isoformat(), repr(x), repr(date(2024, 3, 5)))\nprint(datetime.fromisoformat(\"2024-03-05T14:07:09\"), x + timedelta(days=1, hours=2), x - datetime(2024, 1, 1))\nprint(date(2024, 3, 5).strftime(\"%d/%m/%Y\"), date(2024, 3, 5).isoformat(), date.fromisoformat(\"2024-02-29\").weekday())\nprint(datetime.strptime(\"2024-03-05 14:07\", \"%Y-%m-%d %H:%M\"), datetime.strptime(\"05 Mar 2024 02PM\", \"%d %b %Y %I%p\"))\nprint(timedelta(hours=25).days, timedelta(minutes=90).total_seconds(), date(2024, 12, 30).isocalendar()[:2], date(2021, 1, 3).isocalendar()[:2])\nu = datetime(2024, 3, 5, 12, 0, tzinfo=timezone.utc)\nprint(u.isoformat(), u.strftime(\"%H:%M %z\"), datetime.utcnow().tzinfo, f\"{x:%Y/%m}\", \"{:%d}\".format(x))\n")).toBe("2024-03-05 14:07:09.000123 Tue Mar 065 2024-03-05T14:07:09.000123 datetime.datetime(2024, 3, 5, 14, 7, 9, 123) datetime.date(2024, 3, 5)\n2024-03-05 14:07:09 2024-03-06 16:07:09.000123 64 days, 14:07:09.000123\n05/03/2024 2024-03-05 3\n2024-03-05 14:07:00 2024-03-05 14:00:00\n1 5400.0 (2025, 1) (2020, 53)\n2024-03-05T12:00:00+00:00 12:00 +0000 None 2024/03 05\n");
  });
});
