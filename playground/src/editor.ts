/**
 * The IR editor: CodeMirror 6 with the compiler's diagnostics underlined at their line and column,
 * and the IR line a hovered generated line came from highlighted.
 */
import { EditorView, basicSetup } from 'codemirror';
import { setDiagnostics, type Diagnostic } from '@codemirror/lint';
import { StateEffect, StateField, type EditorState, type Text } from '@codemirror/state';
import { Decoration, type DecorationSet } from '@codemirror/view';
import type { PlacedDiagnostic } from './protocol.js';

const highlightLine = StateEffect.define<number | null>();
const lineMark = Decoration.line({ class: 'cm-ir-highlight' });

const highlighted = StateField.define<DecorationSet>({
  create: () => Decoration.none,
  update(deco, tr) {
    for (const e of tr.effects) {
      if (!e.is(highlightLine)) continue;
      const n = e.value;
      deco = n !== null && n >= 1 && n <= tr.state.doc.lines ? Decoration.set([lineMark.range(tr.state.doc.line(n).from)]) : Decoration.none;
    }
    return deco.map(tr.changes);
  },
  provide: (f) => EditorView.decorations.from(f),
});

/** The document offset of a 1-based line and column, clamped into the document. */
function offset(doc: Text, line: number, col: number): number {
  const l = doc.line(Math.min(Math.max(line, 1), doc.lines));
  return Math.min(l.from + Math.max(col - 1, 0), l.to);
}

export interface IrEditor {
  readonly view: EditorView;
  text(): string;
  setText(text: string): void;
  show(diagnostics: readonly PlacedDiagnostic[]): void;
  /** Highlights (and scrolls to) an IR line; null clears it. */
  highlight(line: number | null): void;
  /** Puts the cursor at a place and focuses the editor. */
  reveal(line: number, col: number): void;
}

export function createEditor(parent: HTMLElement, text: string, onChange: () => void): IrEditor {
  const view = new EditorView({
    parent,
    doc: text,
    extensions: [basicSetup, highlighted, EditorView.updateListener.of((u) => u.docChanged && onChange())],
  });
  const toLint = (state: EditorState, d: PlacedDiagnostic): Diagnostic => {
    const at = d.at ?? { line: 1, col: 1, endLine: 1, endCol: 1 };
    const from = offset(state.doc, at.line, at.col);
    const to = Math.max(from, offset(state.doc, at.endLine, at.endCol));
    return { from, to, severity: d.severity, message: `${d.code}: ${d.message}` };
  };
  return {
    view,
    text: () => view.state.doc.toString(),
    setText(t) {
      view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: t } });
    },
    show(diagnostics) {
      view.dispatch(setDiagnostics(view.state, diagnostics.filter((d) => d.at).map((d) => toLint(view.state, d))));
    },
    highlight(line) {
      const effects: StateEffect<unknown>[] = [highlightLine.of(line)];
      if (line !== null && line >= 1 && line <= view.state.doc.lines) effects.push(EditorView.scrollIntoView(view.state.doc.line(line).from, { y: 'center' }));
      view.dispatch({ effects });
    },
    reveal(line, col) {
      const at = offset(view.state.doc, line, col);
      view.dispatch({ selection: { anchor: at }, effects: EditorView.scrollIntoView(at, { y: 'center' }) });
      view.focus();
    },
  };
}
