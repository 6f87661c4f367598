// The page-side API for any static site that hosts swasgi apps (docs/client-api.md).
export { registerSwasgi, type RegisterOptions, type SwasgiClient } from "./registerSwasgi.ts";
export type { AppInfo, AppState, HostStatus, SwasgiEvent, RequestEvent, OutputEvent, NoticeEvent, ProgressEvent, ReloadEvent } from "./protocol.ts";
