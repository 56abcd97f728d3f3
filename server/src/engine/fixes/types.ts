import type { ProjectAnalysis } from '../index';
import type { TextEdit } from './edits';

/** The fixes the engine knows, by what they do. */
export type FixKind =
  | 'split-tiers'
  | 'mark-internal'
  | 'bind-localhost'
  | 'stop-publishing'
  | 'declare-network'
  | 'rename-network-reference'
  | 'remove-network'
  | 'connect-services';

/** One way to fix a finding: a title for the menu and the edits, possibly in several files. */
export interface FixAction {
  fix: FixKind;
  /** The code of the finding it fixes. */
  code: string;
  /** What it will do, as an editor's quick-fix menu shows it. */
  title: string;
  /** The fix to apply without asking (`fix` on the command line, "auto fix" in editors). */
  isPreferred: boolean;
  /** Edits in offsets; no two overlap. */
  edits: TextEdit[];
}

/** A fix before it is proven: the action and what its result must satisfy. */
export interface Candidate extends Omit<FixAction, 'code'> {
  /** Problems with the analysis of the edited text, beyond the checks every fix gets. */
  expect?: (after: ProjectAnalysis) => string[];
}
