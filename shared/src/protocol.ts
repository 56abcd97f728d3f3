import type { ReachabilityReport } from './report';

/**
 * Messages between the language server and its clients (VS Code extension, webview host).
 * Declared once here as names and parameter/result types; each side wraps them in its own
 * RequestType/NotificationType.
 */

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
