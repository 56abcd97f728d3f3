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
