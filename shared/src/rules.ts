import type { Severity } from './report';

/** Metadata of a rule: what the CLI's SARIF, the README and the editor's links say about it. */
export interface RuleMeta {
  code: string;
  defaultSeverity: Severity;
  /** One line, shown as SARIF shortDescription. */
  short: string;
  /** What it means and why it matters. */
  full: string;
  /** What to do about it. */
  help: string;
}

/** Load errors: the project cannot be read as Docker would read it. */
export const LOAD_RULES = {
  'invalid-yaml': {
    code: 'invalid-yaml',
    defaultSeverity: 'error',
    short: 'The file is not valid YAML.',
    full: 'The YAML parser rejected the file; Docker Compose would refuse to load it.',
    help: 'Fix the YAML syntax at the position given.',
  },
  'invalid-compose': {
    code: 'invalid-compose',
    defaultSeverity: 'error',
    short: 'A value has the wrong type or form for the compose specification.',
    full: 'Docker Compose validates the file against the compose specification; this value does not fit it.',
    help: 'Use the form the compose specification gives for this key.',
  },
  'undefined-network': {
    code: 'undefined-network',
    defaultSeverity: 'error',
    short: 'A service refers to a network that is not declared.',
    full: 'Every network a service joins, other than `default`, must be declared under the top-level `networks:`; Docker Compose refuses the project otherwise.',
    help: 'Declare the network under the top-level `networks:` key, or fix the name.',
  },
  'network-mode-conflict': {
    code: 'network-mode-conflict',
    defaultSeverity: 'error',
    short: '`networks` and `network_mode` are both set.',
    full: 'A service with `network_mode` cannot also join networks: Docker Compose refuses the project ("mutually exclusive").',
    help: 'Remove one of the two keys.',
  },
  'unknown-namespace-service': {
    code: 'unknown-namespace-service',
    defaultSeverity: 'error',
    short: '`network_mode: service:x` names a service that does not exist.',
    full: 'The service would share the network namespace of a service that is not in the project.',
    help: 'Name an existing service, or use networks instead.',
  },
  'include-cycle': {
    code: 'include-cycle',
    defaultSeverity: 'error',
    short: 'Files include or extend each other in a cycle.',
    full: 'An `include` or `extends` chain comes back to a file or service already being loaded.',
    help: 'Break the cycle.',
  },
  'missing-file': {
    code: 'missing-file',
    defaultSeverity: 'error',
    short: 'A referenced file cannot be read.',
    full: 'A file named by `include`, `extends.file` or `env_file`-like settings does not exist or cannot be read.',
    help: 'Fix the path, or create the file.',
  },
} as const satisfies Record<string, RuleMeta>;

/** Every rule the engine knows, by code. Isolation rules join this table as they land. */
export const RULES: Record<string, RuleMeta> = { ...LOAD_RULES };

/** A rule code. */
export type RuleCode = keyof typeof LOAD_RULES | (string & {});
