// The page-side API for any static site that hosts swasgi apps (README: "Use swasgi from your own page").
export { registerSwasgi, type RegisterOptions, type SwasgiClient } from "./registerSwasgi.ts";
export type { AppInfo, AppState, HostStatus, SwasgiEvent, RequestEvent, OutputEvent, NoticeEvent, ProgressEvent, ReloadEvent, UpdatedEvent } from "./protocol.ts";
