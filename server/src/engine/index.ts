/**
 * The engine's facade: options and a host in, a ReachabilityReport out. Pure: no file
 * system, no process, no editor; everything outside comes through `EngineHost`.
 */
import type { ReachabilityReport } from '../../../shared/src/report';
import type { EngineHost, LoadOptions } from './host';

export type { EngineHost, LoadOptions } from './host';

/**
 * Thrown when there is no project to analyse at all: discovery found no compose file, or a
 * file named with `-f` does not exist. Everything else wrong with the input is a finding.
 */
export class ProjectNotFoundError extends Error {
  constructor(
    message: string,
    /** The path that was looked for. */
    readonly path: string,
  ) {
    super(message);
    this.name = 'ProjectNotFoundError';
  }
}

/** Loads the project the options describe and computes its reachability report. */
export function analyze(options: LoadOptions, host: EngineHost): ReachabilityReport {
  void options;
  void host;
  throw new Error('not implemented yet');
}
