// The SPARQL editor of /sparql: CodeMirror 6 with the SPARQL legacy mode, bundled by
// build.mjs into ../sparql-editor.js. It upgrades a <textarea> in place and keeps it
// in step, so the plain form still submits the query; sparql.js drives the page.
//
// The editor lives in a shadow root: there CodeMirror's styles go into constructed
// style sheets (adoptedStyleSheets), which the page's Content-Security-Policy
// (style-src 'self', no inline <style>) allows; in the document itself it would
// insert a <style> element, which that policy blocks.
import { autocompletion, closeBrackets, completeFromList } from "@codemirror/autocomplete";
import { defaultKeymap, history, historyKeymap, indentWithTab } from "@codemirror/commands";
import { bracketMatching, defaultHighlightStyle, StreamLanguage, syntaxHighlighting } from "@codemirror/language";
import { sparql } from "@codemirror/legacy-modes/mode/sparql";
import { EditorState } from "@codemirror/state";
import { drawSelection, EditorView, highlightActiveLine, keymap, lineNumbers, placeholder } from "@codemirror/view";

const KEYWORDS = ["SELECT", "DISTINCT", "WHERE", "OPTIONAL", "FILTER", "BIND", "VALUES", "GRAPH", "UNION",
  "MINUS", "ORDER BY", "GROUP BY", "HAVING", "LIMIT", "OFFSET", "ASK", "CONSTRUCT", "DESCRIBE", "PREFIX",
  "COUNT", "SAMPLE", "GROUP_CONCAT", "COALESCE", "STR", "LANG", "REGEX", "CONTAINS", "NOT EXISTS"];

const THEME = EditorView.theme({
  "&": { border: "1px solid #b9c1cf", borderRadius: "4px", background: "#fff", fontSize: "0.92rem", maxHeight: "32rem" },
  "&.cm-focused": { outline: "3px solid #f5b700", outlineOffset: "1px" },
  ".cm-scroller": { fontFamily: 'ui-monospace, "DejaVu Sans Mono", monospace', overflow: "auto" },
  ".cm-gutters": { background: "#f3f5f9", color: "#566070", borderRight: "1px solid #d9dee7" },
});

/** Upgrade `textarea` to an editor. `options.onRun` is called on Ctrl/Cmd-Enter;
 * `options.words` are prefixed names offered for completion (qh:QuantumComputer...). */
function create(textarea, options) {
  const opts = options || {};
  const words = (opts.words || []).map((w) => ({ label: w, type: "variable" }))
    .concat(KEYWORDS.map((k) => ({ label: k, type: "keyword" })));
  const run = () => { if (opts.onRun) { opts.onRun(); } return true; };
  const host = document.createElement("div");
  host.className = "editor-host";
  textarea.parentNode.insertBefore(host, textarea.nextSibling);
  const shadow = host.attachShadow({ mode: "open" });
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
        THEME,
      ],
    }),
    root: shadow,
    parent: shadow,
  });
  textarea.hidden = true;
  return {
    view,
    getValue: () => view.state.doc.toString(),
    setValue: (text) => view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } }),
    focus: () => view.focus(),
  };
}

window.qharmonyEditor = { create };
