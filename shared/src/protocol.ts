import type { ReachabilityReport } from './report';

/**
 * Messages between the language server and its clients (VS Code extension, webview host).
 * Declared once here as names and parameter/result types; each side wraps them in its own
 * RequestType/NotificationType.
 */

/**
 * Node options the extension starts the language server with. Each keystroke's analysis of a
 * 2,000-service project allocates megabytes that die young; V8's default young generation
 * (16 MB semi-spaces) keeps some 35 MB of them resident. 4 MB ones brought the server's peak
 * from 142-163 MB to 123-134 MB over three runs each, for ~10 ms more per keystroke there
 * (more, shorter scavenges; `npm run bench`). The server sets its old generation's growth
 * itself at start-up (server/src/lsp/heap.ts).
 */
export const SERVER_NODE_OPTIONS: readonly string[] = ['--max-semi-space-size=4'];

/** Request: the report of the project a document belongs to. */
export namespace ReportRequest {
  export const method = 'composeReachability/report';
  /** Parameters: the document's URI. */
  export interface Params {
    uri: string;
  }
  /** Result: the report, or null when the document belongs to no compose project. */
  export type Result = ReachabilityReport | null;
}

/**
 * Notification (server → client): a project's report changed after an edit. It names the
 * project's files only: a client showing one of them asks for the report with `ReportRequest`.
 * Edits come many times a second and a report can weigh megabytes; most of the time no view
 * shows it.
 */
export namespace ReportChangedNotification {
  export const method = 'composeReachability/reportChanged';
  export interface Params {
    /** URIs of the project's files; a client showing any of them should ask for the report again. */
    uris: string[];
  }
}
