/**
 * The server's side of the custom messages declared in shared/src/protocol.ts.
 */
import { NotificationType, RequestType } from 'vscode-languageserver';
import { ReportChangedNotification, ReportRequest } from '../../../shared/src/protocol';

/** `composeReachability/report`. */
export const reportRequest = new RequestType<ReportRequest.Params, ReportRequest.Result, void>(
  ReportRequest.method,
);

/** `composeReachability/reportChanged`. */
export const reportChanged = new NotificationType<ReportChangedNotification.Params>(
  ReportChangedNotification.method,
);
