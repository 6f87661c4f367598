import type { Sqlite3Static } from "@sqlite.org/sqlite-wasm";
import type { SqliteCalls } from "./sqliteCalls.ts";
import { DbError } from "./sqliteErrors.ts";
import type { Param } from "./sqliteParams.ts";

/**
 * Binds one parameter set to a statement, with CPython 3.11's checks and messages: a sequence
 * must have exactly as many values as the statement has placeholders; a mapping must name
 * every placeholder (`:name`, `@name`, `$name`) and cannot serve `?`.
 */
export function bindParams(sqlite: Sqlite3Static, calls: SqliteCalls, stmt: number, params: Param[] | Record<string, Param> | undefined): DbError | undefined {
  const { capi } = sqlite;
  const count = calls.bindParameterCount(stmt);
  const values: Param[] = [];
  if (params === undefined || Array.isArray(params)) {
    const given = params?.length ?? 0;
    if (given !== count) {
      return new DbError("ProgrammingError", `Incorrect number of bindings supplied. The current statement uses ${count}, and there are ${given} supplied.`);
    }
    if (params) values.push(...params);
  } else {
    for (let i = 1; i <= count; i++) {
      const name = capi.sqlite3_bind_parameter_name(stmt, i);
      if (!name) return new DbError("ProgrammingError", `Binding ${i} has no name, but you supplied a dictionary (which has only names).`);
      const key = name.slice(1);
      if (!Object.hasOwn(params, key)) return new DbError("ProgrammingError", `You did not supply a value for binding parameter ${name}.`);
      values.push(params[key]);
    }
  }
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    let rc: number;
    if (value === null) rc = calls.bindNull(stmt, i + 1);
    else if (typeof value === "string") rc = calls.bindText(stmt, i + 1, value);
    else if (typeof value === "bigint") rc = calls.bindInt64(stmt, i + 1, value);
    else if (typeof value === "number") rc = calls.bindDouble(stmt, i + 1, value);
    else rc = calls.bindBlob(stmt, i + 1, value);
    if (rc) return new DbError("InterfaceError", `Error binding parameter ${i + 1}: ${capi.sqlite3_errstr(rc)}`, rc);
  }
  return undefined;
}
