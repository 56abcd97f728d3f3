/**
 * `check --format sarif`: SARIF 2.1.0, for code scanning services (GitHub, Azure DevOps)
 * and SARIF viewers. Paths are relative to the project directory under `%SRCROOT%` so the
 * log does not depend on where the project was checked out.
 */
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Location, ReachabilityReport, Severity } from '../../../../shared/src/report';
import { README_URL } from '../../../../shared/src/links';
import { RULES, type RuleMeta } from '../../../../shared/src/rules';
import { sortFindings } from './text';

/** Options of the SARIF format. */
export interface SarifOptions {
  /** The tool's version, as `--version` prints it. */
  version: string;
}

/** The SARIF log this format writes: the subset of SARIF 2.1.0 it uses. */
export interface SarifLog {
  $schema: string;
  version: '2.1.0';
  runs: [SarifRun];
}

/** One run of the tool on one project. */
export interface SarifRun {
  tool: {
    driver: {
      name: string;
      informationUri: string;
      version: string;
      rules: SarifRule[];
    };
  };
  originalUriBaseIds: Record<string, { uri: string }>;
  columnKind: 'utf16CodeUnits';
  results: SarifResult[];
}

/** SARIF's severity scale. */
export type SarifLevel = 'error' | 'warning' | 'note';

/** A rule's description (`reportingDescriptor`). */
export interface SarifRule {
  id: string;
  shortDescription: { text: string };
  fullDescription: { text: string };
  help: { text: string; markdown: string };
  /** The rule's README section, for rules that have one. */
  helpUri?: string;
  defaultConfiguration: { level: SarifLevel };
}

/** One finding. */
export interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  level: SarifLevel;
  message: { text: string };
  locations: Array<{ physicalLocation: SarifPhysicalLocation }>;
  relatedLocations?: Array<{
    id: number;
    physicalLocation: SarifPhysicalLocation;
    message: { text: string };
  }>;
}

/** A file and a 1-based region of it; `uriBaseId` is absent for files outside the project directory. */
export interface SarifPhysicalLocation {
  artifactLocation: { uri: string; uriBaseId?: string };
  region: { startLine: number; startColumn: number; endLine: number; endColumn: number };
}

const SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
const TOOL_NAME = 'compose-reachability';
/** Where the extension is published (publisher.name from package.json). */
const INFORMATION_URI =
  'https://marketplace.visualstudio.com/items?itemName=compose-reachability.compose-reachability';
const SRCROOT = '%SRCROOT%';

/** SARIF has no hint or information level; `note` is its lowest. */
export function sarifLevel(severity: Severity): SarifLevel {
  return severity === 'error' ? 'error' : severity === 'warning' ? 'warning' : 'note';
}

/** The SARIF log of a report. */
export function buildSarif(report: ReachabilityReport, options: SarifOptions): SarifLog {
  const findings = sortFindings(report.diagnostics);

  // Every known rule, then any code the engine used that the table lacks, so each result
  // has a rule to point at.
  const rules: SarifRule[] = Object.values(RULES).map(toSarifRule);
  const ruleIndex = new Map(rules.map((r, i) => [r.id, i]));
  for (const f of findings) {
    if (ruleIndex.has(f.code)) continue;
    ruleIndex.set(f.code, rules.length);
    rules.push(
      toSarifRule({ code: f.code, defaultSeverity: f.severity, short: f.code, full: f.code, help: '' }),
    );
  }

  const physical = (l: Location): SarifPhysicalLocation => ({
    artifactLocation: artifactLocation(l.file, report.projectDirectory),
    region: {
      startLine: l.range.start.line + 1,
      startColumn: l.range.start.character + 1,
      endLine: l.range.end.line + 1,
      // SARIF's endColumn, like LSP's end, is the column after the region.
      endColumn: l.range.end.character + 1,
    },
  });

  const results = findings.map((f): SarifResult => {
    const result: SarifResult = {
      ruleId: f.code,
      ruleIndex: ruleIndex.get(f.code)!,
      level: sarifLevel(f.severity),
      message: { text: f.message },
      locations: [{ physicalLocation: physical(f.location) }],
    };
    if (f.related && f.related.length > 0) {
      result.relatedLocations = f.related.map((r, i) => ({
        id: i + 1,
        physicalLocation: physical(r.location),
        message: { text: r.message },
      }));
    }
    return result;
  });

  return {
    $schema: SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: { name: TOOL_NAME, informationUri: INFORMATION_URI, version: options.version, rules },
        },
        originalUriBaseIds: { [SRCROOT]: { uri: directoryUri(report.projectDirectory) } },
        // The report's characters are UTF-16 code units, as in LSP.
        columnKind: 'utf16CodeUnits',
        results,
      },
    ],
  };
}

/** The SARIF log of a report as pretty-printed JSON, ending with a newline. */
export function formatSarif(report: ReachabilityReport, options: SarifOptions): string {
  return JSON.stringify(buildSarif(report, options), null, 2) + '\n';
}

function toSarifRule(rule: RuleMeta): SarifRule {
  const help = rule.help ? `${rule.full}\n\n${rule.help}` : rule.full;
  return {
    id: rule.code,
    shortDescription: { text: rule.short },
    fullDescription: { text: rule.full },
    // The rule texts are already Markdown (backticks for keys); as plain text they read fine too.
    help: { text: help, markdown: help },
    ...(rule.anchor ? { helpUri: `${README_URL}#${rule.anchor}` } : {}),
    defaultConfiguration: { level: sarifLevel(rule.defaultSeverity) },
  };
}

/**
 * A relative URI under `%SRCROOT%` for files inside the project directory. Files outside it
 * (an `include: ../common.yaml`) get an absolute file URI: `../` would escape the checkout
 * root that code scanning services map `%SRCROOT%` to.
 */
function artifactLocation(file: string, projectDirectory: string): { uri: string; uriBaseId?: string } {
  const rel = path.relative(projectDirectory, file);
  if (rel === '' || rel === '..' || rel.startsWith('..' + path.sep) || path.isAbsolute(rel)) {
    return { uri: pathToFileURL(file).href };
  }
  return { uri: rel.split(path.sep).map(encodeURIComponent).join('/'), uriBaseId: SRCROOT };
}

// SARIF requires base URIs to end with a slash, or relative references resolve against the parent.
function directoryUri(dir: string): string {
  const href = pathToFileURL(dir).href;
  return href.endsWith('/') ? href : href + '/';
}
