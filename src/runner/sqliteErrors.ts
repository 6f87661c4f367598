/**
 * An error for Python: the DB-API class name, the message, and SQLite's extended result code
 * and its name when SQLite raised it (CPython 3.11's `sqlite_errorcode`, `sqlite_errorname`).
 */
export class DbError {
  constructor(
    readonly kind: string,
    readonly message: string,
    readonly code = -1,
    readonly name = "",
  ) {}
  json(): string {
    return JSON.stringify({ e: [this.kind, this.message, this.code, this.name] });
  }
}

/** CPython's mapping of SQLite's primary result codes to DB-API exceptions (Modules/_sqlite/util.c). */
export function errorKind(primary: number): string {
  switch (primary) {
    case 2: case 12: return "InternalError";
    case 7: return "MemoryError";
    case 1: case 3: case 4: case 5: case 6: case 8: case 9: case 10: case 13: case 14: case 15: case 16: case 17:
      return "OperationalError";
    case 18: return "DataError";
    case 19: case 20: return "IntegrityError";
    case 21: case 25: return "InterfaceError";
    default: return "DatabaseError";
  }
}

