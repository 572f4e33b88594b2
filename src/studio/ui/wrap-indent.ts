/**
 * A wrapped line continues at its own indentation instead of the left edge, so a long text in a YAML step still
 * reads as part of its step. Each visible line gets a hanging indent of its leading spaces (and a list item's `- `).
 * CodeMirror sets the style through the CSSOM, which the page's CSP allows.
 */
import { RangeSetBuilder } from '@codemirror/state';
import { Decoration, ViewPlugin, type DecorationSet, type EditorView, type ViewUpdate } from '@codemirror/view';

function hangingIndents(view: EditorView): DecorationSet {
  const builder = new RangeSetBuilder<Decoration>();
  for (const { from, to } of view.visibleRanges) {
    for (let pos = from; pos <= to;) {
      const line = view.state.doc.lineAt(pos);
      const indent = /^ *(?:- )?/.exec(line.text)![0].length;
      if (indent > 0) builder.add(line.from, line.from, Decoration.line({ attributes: { style: `padding-left: calc(${indent}ch + 6px); text-indent: -${indent}ch` } }));
      pos = line.to + 1;
    }
  }
  return builder.finish();
}

export const wrapIndent = ViewPlugin.fromClass(class {
  decorations: DecorationSet;
  constructor(view: EditorView) {
    this.decorations = hangingIndents(view);
  }
  update(update: ViewUpdate) {
    if (update.docChanged || update.viewportChanged) this.decorations = hangingIndents(update.view);
  }
}, { decorations: (plugin) => plugin.decorations });
