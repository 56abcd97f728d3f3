import type { ProjectAnalysis } from '../index';
import type { ReachDiff } from '../../../../shared/src/reachDiff';
import type { TextEdit } from './edits';

/** The fixes the engine knows, by what they do. */
export type FixKind =
  | 'split-tiers'
  | 'split-least-privilege'
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
  /** The direct links the fix removes and adds (known once the fix is proven). */
  reach?: ReachDiff;
}

/** A fix before it is proven: the action and what its result must satisfy. */
export interface Candidate extends Omit<FixAction, 'code'> {
  /**
   * A fix applied without asking only when the user opted in (`fix --least-privilege`): it
   * removes links the engine cannot prove unneeded.
   */
  optIn?: 'least-privilege';
  /** Problems with the analysis of the edited text, beyond the checks every fix gets. */
  expect?: (after: ProjectAnalysis) => string[];
}
