/**
 * The real server with test doubles plugged into `startServer`'s options: a short debounce,
 * an engine that fails on a marker, an engine that reports the settings it was given, and a
 * stub fix provider. Started by client.ts as `node -e "require(this).main(hooks)"`; loading
 * this module starts nothing (node --test loads every file under out/test).
 */
import type { Finding, ReachabilityReport } from '../../shared/src/report';
import {
  analyze,
  type AnalysisSettings,
  type EngineHost,
  type LoadOptions,
} from '../../server/src/engine/index';
import type { Fix, FixProvider } from '../../server/src/lsp/codeActions';
import { startStdioServer } from '../../server/src/lsp/stdio';

/** What the test server changes. JSON: it crosses a command line. */
export interface Hooks {
  debounceMs?: number;
  /** The engine throws while reading any file that contains this text. */
  throwMarker?: string;
  /** Every report gets one `test-settings` finding whose message is the settings, as JSON. */
  echoSettings?: boolean;
  /** Quick fixes from `stubFixes`. */
  stubFixes?: boolean;
  /** The server's debug setting (stack traces in the log); default: off, whatever the environment. */
  debug?: boolean;
}

/** The message of the error the engine throws on `throwMarker`. */
export const INJECTED_FAILURE = 'injected failure';

export function main(hooks: Hooks): void {
  startStdioServer({
    ...(hooks.debounceMs !== undefined ? { debounceMs: hooks.debounceMs } : {}),
    debug: hooks.debug ?? false,
    analyze: (options: LoadOptions, host: EngineHost, settings: AnalysisSettings): ReachabilityReport => {
      const marker = hooks.throwMarker;
      const engineHost: EngineHost = marker
        ? {
            env: host.env,
            fileExists: (file) => host.fileExists(file),
            readFile(file) {
              const text = host.readFile(file);
              if (text?.includes(marker)) throw new Error(INJECTED_FAILURE);
              return text;
            },
          }
        : host;
      const report = analyze(options, engineHost, settings);
      if (hooks.echoSettings) report.diagnostics.push(settingsFinding(report, settings));
      return report;
    },
    ...(hooks.stubFixes ? { fixes: stubFixes } : {}),
  });
}

function settingsFinding(report: ReachabilityReport, settings: AnalysisSettings): Finding {
  const zero = { line: 0, character: 0 };
  return {
    code: 'test-settings',
    severity: 'information',
    message: JSON.stringify(settings),
    location: { file: report.files[0]!, range: { start: zero, end: zero } },
  };
}

/**
 * For an undefined network: declare it at the end of the main file (preferred), or rename the
 * reference to the first declared network. Uses the texts it is given for the end position.
 */
export const stubFixes: FixProvider = (report, finding, texts): Fix[] => {
  const name = /undefined network (\S+)\.$/.exec(finding.message)?.[1];
  if (finding.code !== 'undefined-network' || !name) return [];
  const main = report.files[0]!;
  const lines = texts.get(main)!.split('\n');
  const end = { line: lines.length - 1, character: lines[lines.length - 1]!.length };
  const fixes: Fix[] = [
    {
      title: `Declare network ${name}`,
      isPreferred: true,
      edits: [{ file: main, range: { start: end, end }, newText: `networks:\n  ${name}: {}\n` }],
    },
  ];
  const declared = report.networks.find((n) => !n.implicit);
  if (declared) {
    fixes.push({
      title: `Use network ${declared.key}`,
      edits: [{ file: finding.location.file, range: finding.location.range, newText: declared.key }],
    });
  }
  return fixes;
};
