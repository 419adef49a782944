// The /sparql page in the browser: runs the query in place (Ctrl-Enter or Run), keeps
// it in the URL so a link reproduces it, shows results as a paged table built from
// SPARQL JSON with text nodes only, shows errors beside the kept query, and offers
// CSV/TSV/JSON downloads. Without this file the page is a plain form.
(function () {
  "use strict";
  var form = document.getElementById("sparql-form");
  var textarea = document.getElementById("query");
  if (!form || !textarea || !window.fetch) { return; }
  var PAGE = 50;
  var ID = "https://w3id.org/qharmony/id/";
  var QH = "https://w3id.org/qharmony/ontology#";
  var prefixPairs = JSON.parse(textarea.getAttribute("data-prefixes") || "[]");
  var prefixes = {};
  prefixPairs.forEach(function (pair) { prefixes[pair[0]] = pair[1]; });
  var words = JSON.parse(textarea.getAttribute("data-words") || "[]");
  var results = document.getElementById("results");
  var errorBox = document.getElementById("query-error");
  var statusLine = document.getElementById("query-status");
  var editor = null;

  function value() { return editor ? editor.getValue() : textarea.value; }
  function setValue(text) { if (editor) { editor.setValue(text); } else { textarea.value = text; } }

  function el(tag, text, attrs) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) { node.textContent = text; }
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    return node;
  }

  function compact(iri) {
    var best = iri;
    Object.keys(prefixes).forEach(function (p) {
      var ns = prefixes[p];
      if (iri.indexOf(ns) === 0) {
        var local = iri.slice(ns.length);
        if (local && local.indexOf("/") < 0 && local.indexOf("#") < 0 && local.length + p.length + 1 < best.length) {
          best = p + ":" + local;
        }
      }
    });
    return best;
  }

  // Where an IRI links: our entities and terms to their pages, web IRIs as they are,
  // any other scheme (javascript:, data:, urn:) nowhere.
  function href(iri) {
    if (iri.indexOf(ID) === 0) { return "/id/" + iri.slice(ID.length); }
    if (iri.indexOf(QH) === 0 && iri.length > QH.length) { return "/ontology/" + iri.slice(QH.length); }
    if (/^https?:\/\//i.test(iri)) { return iri; }
    return null;
  }

  // An IRI as a person reads it until its label arrives: our entities by their path.
  function iriText(iri) { return iri.indexOf(ID) === 0 ? iri.slice(ID.length) : compact(iri); }

  // An IRI's text in a cell: its label from the answer (the server sends them with
  // labels=1), else its prefixed name or path. Never a second request.
  var labels = {};
  function labelOf(iri) {
    var label = Object.prototype.hasOwnProperty.call(labels, iri) ? labels[iri] : null;
    return typeof label === "string" && label ? label : iriText(iri);
  }

  function cell(term) {
    var td = el("td");
    if (!term) { return td; }
    if (term.type === "uri") {
      var target = href(term.value);
      var node = target ? el("a", labelOf(term.value), { href: target, title: term.value, "data-iri": term.value })
        : el("span", labelOf(term.value), { title: term.value });
      td.appendChild(node);
    } else if (term.type === "bnode") {
      td.appendChild(document.createTextNode("_:" + term.value));
    } else {
      td.appendChild(document.createTextNode(term.value));
      var hint = term["xml:lang"] ? "@" + term["xml:lang"] : (term.datatype ? compact(term.datatype) : "");
      if (hint) { td.appendChild(document.createTextNode(" ")); td.appendChild(el("small", hint, { "class": "hint" })); }
    }
    return td;
  }

  function downloads(query, formats) {
    var p = el("span");
    p.appendChild(document.createTextNode(" · download "));
    formats.forEach(function (f, i) {
      if (i) { p.appendChild(document.createTextNode(" · ")); }
      p.appendChild(el("a", f[1], { href: "/sparql?query=" + encodeURIComponent(query) + "&format=" + f[0], download: "" }));
    });
    return p;
  }

  function renderTable(data, query, truncated) {
    var vars = data.head.vars || [];
    var rows = data.results.bindings || [];
    var pages = Math.max(1, Math.ceil(rows.length / PAGE));
    var page = 1;
    function draw() {
      results.textContent = "";
      var start = (page - 1) * PAGE;
      var slice = rows.slice(start, start + PAGE);
      var meta = el("p", null, { "class": "result-meta" });
      meta.appendChild(document.createTextNode("Rows " + (rows.length ? start + 1 : 0) + "–" + (start + slice.length) +
        " of " + rows.length + (truncated ? " (cut at the row limit)" : "")));
      meta.appendChild(downloads(query, [["csv", "CSV"], ["tsv", "TSV"], ["json", "JSON"]]));
      results.appendChild(meta);
      var wrap = el("div", null, { "class": "scroll", tabindex: "0", role: "region", "aria-label": "Results" });
      var table = el("table", null, { "class": "results" });
      var head = table.createTHead().insertRow();
      vars.forEach(function (v) { head.appendChild(el("th", v, { scope: "col" })); });
      var body = table.createTBody();
      slice.forEach(function (row) {
        var tr = body.insertRow();
        vars.forEach(function (v) { tr.appendChild(cell(row[v])); });
      });
      wrap.appendChild(table);
      results.appendChild(wrap);
      if (pages > 1) {
        var nav = el("nav", null, { "class": "pager", "aria-label": "Result pages" });
        var prev = el("button", "Previous", { type: "button", "class": "secondary" });
        var next = el("button", "Next", { type: "button", "class": "secondary" });
        prev.disabled = page === 1;
        next.disabled = page === pages;
        prev.addEventListener("click", function () { page -= 1; draw(); });
        next.addEventListener("click", function () { page += 1; draw(); });
        nav.appendChild(prev);
        nav.appendChild(el("span", "Page " + page + " of " + pages));
        nav.appendChild(next);
        results.appendChild(nav);
      }
    }
    draw();
  }

  function renderBoolean(answer, query) {
    results.textContent = "";
    var meta = el("p", "Answer: ", { "class": "result-meta" });
    meta.appendChild(el("strong", answer ? "true" : "false", { "class": "answer" }));
    meta.appendChild(downloads(query, [["json", "JSON"]]));
    results.appendChild(meta);
  }

  function renderGraph(text, query) {
    results.textContent = "";
    var meta = el("p", "A graph", { "class": "result-meta" });
    meta.appendChild(downloads(query, [["ttl", "Turtle"], ["nt", "N-Triples"], ["jsonld", "JSON-LD"]]));
    results.appendChild(meta);
    results.appendChild(el("pre", text, { "class": "graph-text" }));
  }

  function showError(message, status) {
    results.textContent = "";
    errorBox.textContent = "";
    errorBox.appendChild(el("strong", "Error" + (status ? " " + status : "") + ":"));
    errorBox.appendChild(document.createTextNode(" " + message));
    errorBox.hidden = false;
  }

  function run(push) {
    var query = value();
    if (!query.trim()) { showError("the query is empty"); return; }
    var url = "/sparql?query=" + encodeURIComponent(query);
    if (push !== false && location.pathname + location.search !== url) {
      history.pushState({ query: query }, "", url);
    }
    labels = {};
    errorBox.hidden = true;
    statusLine.textContent = "Running…";
    var started = Date.now();
    fetch(url + "&labels=1", { headers: { Accept: "application/sparql-results+json, text/turtle;q=0.9" } })
      .then(function (resp) {
        return resp.text().then(function (body) { return { resp: resp, body: body }; });
      })
      .then(function (r) {
        statusLine.textContent = "";
        var type = r.resp.headers.get("Content-Type") || "";
        if (!r.resp.ok) {
          var message = r.body;
          try { message = JSON.parse(r.body).error || r.body; } catch (e) { /* not JSON: show the text */ }
          showError(message, r.resp.status);
          return;
        }
        statusLine.textContent = "Answered in " + (Date.now() - started) + " ms.";
        if (type.indexOf("json") >= 0) {
          var data = JSON.parse(r.body);
          if (data.labels && typeof data.labels === "object") { labels = data.labels; }
          if (typeof data.boolean === "boolean") { renderBoolean(data.boolean, query); } else {
            renderTable(data, query, r.resp.headers.get("X-Qharmony-Truncated") === "true");
          }
        } else {
          renderGraph(r.body, query);
        }
      })
      .catch(function (err) { statusLine.textContent = ""; showError("the server could not be reached (" + err.message + ")"); });
  }

  function insertPrefixes() {
    var text = value();
    var missing = prefixPairs.map(function (pair) { return pair[0]; }).filter(function (p) {
      return !new RegExp("^\\s*PREFIX\\s+" + p + ":", "im").test(text);
    });
    var lines = missing.map(function (p) { return "PREFIX " + p + ": <" + prefixes[p] + ">"; });
    if (lines.length) { setValue(lines.join("\n") + "\n" + text); }
  }

  if (window.qharmonyEditor) {
    try {
      editor = window.qharmonyEditor.create(textarea, { onRun: run, words: words, label: "SPARQL query" });
    } catch (e) { editor = null; textarea.hidden = false; }
  }
  textarea.addEventListener("keydown", function (e) {
    if ((e.ctrlKey || e.metaKey) && e.key === "Enter") { e.preventDefault(); run(); }
  });
  form.addEventListener("submit", function (e) { e.preventDefault(); run(); });
  var addPrefixes = document.getElementById("add-prefixes");
  addPrefixes.hidden = false;
  addPrefixes.addEventListener("click", insertPrefixes);

  var examples = document.getElementById("example");
  var load = document.getElementById("load-example");
  if (examples && load) {
    load.hidden = true;
    examples.addEventListener("change", function () {
      var option = examples.options[examples.selectedIndex];
      var text = option && option.getAttribute("data-query");
      if (text) { setValue(text); if (editor) { editor.focus(); } }
    });
  }
  window.addEventListener("popstate", function (e) {
    if (e.state && typeof e.state.query === "string") { setValue(e.state.query); run(false); }
  });
  history.replaceState({ query: value() }, "");
})();
