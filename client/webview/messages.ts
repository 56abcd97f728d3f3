/**
 * Messages between the matrix panel (extension host) and its webview. Types only: both
 * bundles import this file, and neither may pull the other's runtime into its own.
 */
import type { Location } from '../../shared/src/report';

/** What the webview remembers across hide/show and window reloads (`vscode.setState`). */
export interface MatrixViewState {
  /** The compose document whose project the panel shows (a URI string). */
  documentUri?: string;
  /** The active cell, by service names so that it survives reordering. */
  selection?: CellRef;
  scrollTop?: number;
  scrollLeft?: number;
}

/**
 * A cell of the grid, by names. `to` is a service name, or one of the extra columns:
 * `#service` (the row header: the service itself), `#exposed`, `#egress`.
 */
export interface CellRef {
  from: string;
  to: string;
}

export const SERVICE_COLUMN = '#service';
export const EXPOSED_COLUMN = '#exposed';
export const EGRESS_COLUMN = '#egress';

/** Extension → webview. */
export type ToWebview =
  | {
      type: 'report';
      /**
       * The project's report as the matrix reads it (`MatrixReport`, from `matrixReport`), as
       * JSON; null while waiting, or when the document belongs to no compose project. A string,
       * not the object: a webview gets a structured clone of what it is posted. In the matrix
       * bench (`npm run bench`, 2,000 services) the report's 55,000 objects took 169 ms to
       * arrive (at 69fcf4d); the string arrives in 71 ms and parses within the render, whose
       * model phase went from 133 to 167 ms (at 420c9fa).
       */
      reportJson: string | null;
      documentUri: string | undefined;
      /** Why there is no report, shown instead of the grid. */
      message?: string;
    }
  /** Test mode only: what the webview should do as if the user did it. */
  | { type: 'test'; action: TestAction };

export type TestAction =
  /** A key press on the focused cell (the grid's keyboard handler sees it like a real one). */
  | { kind: 'key'; key: string; ctrlKey?: boolean }
  /** A click on the cell, scrolling it into view first. */
  | { kind: 'click'; cell: CellRef }
  /** Moves the focus to the cell, as arrow keys would (no reveal). */
  | { kind: 'focus'; cell: CellRef }
  /** A click on the "Copy as Markdown" button. */
  | { kind: 'copy' }
  | { kind: 'scroll'; top: number; left: number };

/** Webview → extension. */
export type FromWebview =
  /** The script is running: send the report (again, after a hide/show). */
  | { type: 'ready'; state: MatrixViewState }
  /** Open the editor at this location (validated by the extension against the report's files). */
  | { type: 'reveal'; location: Location }
  | { type: 'copyMarkdown' }
  | { type: 'rendered'; rendered: RenderInfo };

/** What a render produced: timings always, and in test mode what the user would see and hear. */
export interface RenderInfo {
  /** Increases with every render of this webview instance. */
  seq: number;
  /** Why it rendered. */
  cause: 'report' | 'selection' | 'scroll' | 'restore';
  /** Milliseconds spent building the matrix and the DOM for this render. */
  renderMs: number;
  /** For a new report: building the matrix model, then the DOM (with style and layout). */
  phases?: { model: number; dom: number };
  /** Milliseconds from the webview document's start to the end of its first render with a report. */
  sinceStartMs?: number;
  services: number;
  snapshot?: MatrixSnapshot;
}

/** The webview's content as text: what a test reads instead of pixels. */
export interface MatrixSnapshot {
  project: string | null;
  /** Findings in the report (all of them, placed in the grid or not). */
  diagnostics: number;
  /** The message shown instead of a grid, if any. */
  message: string | null;
  /** Every service, in display order (row order = column order). */
  services: string[];
  /** Column header texts as rendered (virtualised: the visible ones). */
  columnHeaders: string[];
  /** Rendered cells: aria-label, text, and the classes that carry meaning. */
  cells: Array<{ from: string; to: string; label: string; text: string; title: string; finding: boolean }>;
  /** The cell with tabindex 0 and whether it has the keyboard focus. */
  active: (CellRef & { focused: boolean }) | null;
  /** Number of rendered rows and cells (virtualisation bound). */
  renderedRows: number;
  renderedCells: number;
  /** Elements that must never appear from data: `<img>`, `<script>` (beyond our own), inline handlers. */
  injected: string[];
  /** The grid's accessible name. */
  gridLabel: string | null;
  scrollTop: number;
  scrollLeft: number;
}
