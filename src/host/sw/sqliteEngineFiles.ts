/** Where a site keeps the SQLite engine, below its base: only sites whose apps use sqlite3 ship it. */
export const SQLITE_DIR = "swasgi-sqlite/";
export const SQLITE_SCRIPT = `${SQLITE_DIR}sqlite-engine.js`;
export const SQLITE_WASM = `${SQLITE_DIR}sqlite3.wasm`;
/** The global the engine script assigns its module factory to. */
export const SQLITE_GLOBAL = "__swasgiSqliteInit";
