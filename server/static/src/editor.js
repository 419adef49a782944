// The SPARQL editor of /sparql: CodeMirror 6 with the SPARQL legacy mode, bundled by
// build.mjs into ../sparql-editor.js. It upgrades a <textarea> in place and keeps it
// in step, so the plain form still submits the query; sparql.js drives the page.
import { autocompletion, closeBrackets, completeFromList } from "@codemirror/autocomplete";
import { defaultKeymap, history, historyKeymap, indentWithTab } from "@codemirror/commands";
import { bracketMatching, defaultHighlightStyle, StreamLanguage, syntaxHighlighting } from "@codemirror/language";
import { sparql } from "@codemirror/legacy-modes/mode/sparql";
import { EditorState } from "@codemirror/state";
import { drawSelection, EditorView, highlightActiveLine, keymap, lineNumbers, placeholder } from "@codemirror/view";

const KEYWORDS = ["SELECT", "DISTINCT", "WHERE", "OPTIONAL", "FILTER", "BIND", "VALUES", "GRAPH", "UNION",
  "MINUS", "ORDER BY", "GROUP BY", "HAVING", "LIMIT", "OFFSET", "ASK", "CONSTRUCT", "DESCRIBE", "PREFIX",
  "COUNT", "SAMPLE", "GROUP_CONCAT", "COALESCE", "STR", "LANG", "REGEX", "CONTAINS", "NOT EXISTS"];

/** Upgrade `textarea` to an editor. `options.onRun` is called on Ctrl/Cmd-Enter;
 * `options.words` are prefixed names offered for completion (qh:QuantumComputer...). */
function create(textarea, options) {
  const opts = options || {};
  const words = (opts.words || []).map((w) => ({ label: w, type: "variable" }))
    .concat(KEYWORDS.map((k) => ({ label: k, type: "keyword" })));
  const run = () => { if (opts.onRun) { opts.onRun(); } return true; };
  const view = new EditorView({
    state: EditorState.create({
      doc: textarea.value,
      extensions: [
        lineNumbers(), history(), drawSelection(), highlightActiveLine(), bracketMatching(), closeBrackets(),
        StreamLanguage.define(sparql), syntaxHighlighting(defaultHighlightStyle),
        autocompletion({ override: [completeFromList(words)], activateOnTyping: true }),
        placeholder("SELECT ?s WHERE { ?s ?p ?o } LIMIT 10"),
        keymap.of([{ key: "Mod-Enter", run, preventDefault: true }, indentWithTab, ...defaultKeymap, ...historyKeymap]),
        EditorView.updateListener.of((update) => {
          if (update.docChanged) { textarea.value = update.state.doc.toString(); }
        }),
        EditorView.contentAttributes.of({ "aria-label": opts.label || "SPARQL query", "aria-multiline": "true" }),
      ],
    }),
  });
  textarea.hidden = true;
  textarea.parentNode.insertBefore(view.dom, textarea.nextSibling);
  return {
    view,
    getValue: () => view.state.doc.toString(),
    setValue: (text) => view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } }),
    focus: () => view.focus(),
  };
}

window.qharmonyEditor = { create };
