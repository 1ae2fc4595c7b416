/* Claims explorer (views/claims.html): the glue between the page's filter form, the page's address
 * and DataTables, which enhances the page's own <table> (vendored in assets/vendor/datatables.net,
 * pinned by scripts/vendor_assets.py; the table and the form are rendered by
 * scripts/kb/templates/view-claims.md.j2, see scripts/kb/explorer.py).
 *
 * The state is the query string: text (free text: each word must start a word of the row's text,
 * and an amount must be in it in any spelling of its scale, folded as the search box folds them, by
 * assets/search/text.js: "$1 billion" = "1bn" = "1,000,000,000", not "US$1.7 billion"; `q`, its
 * name in links made before 2026-12-02, is read too and renamed at once, since the theme opens its
 * own search box over the page for a `q` in the address), one parameter per facet (source, kind, status, question, sector, about: an id, which
 * a row matches when its data-<facet> attribute lists it), withdrawn=1 (include withdrawn claims)
 * sort=<column>:<asc|desc> and length=<rows per page, or all>. It is read when the page opens and written back with
 * history.replaceState after every draw of the table (a filter, an order chosen with the mouse or the
 * keyboard, a page length), so reloading or sharing the address gives the same rows.
 * A value no option has (a link older than the data) is dropped, not guessed. Without this script
 * or the library, the page is the plain table with every claim, and the form stays hidden.
 *
 * This file is loaded before the table: it marks the page at once (class kb-explorer-js on <html>),
 * so that explorer.css lays out none of the table's rows until DataTables has paged them (laid out
 * while the table was read and while DataTables took it in, 10,000 rows took minutes), and enhances
 * the table when the document is parsed. If that fails, the mark goes and every row shows.
 */
(function () {
  "use strict";
  if (typeof window.DataTable !== "function" || typeof normaliseQuery !== "function") return;
  var root = document.documentElement;
  root.classList.add("kb-explorer-js");

  /** The page's address with `params` as its query, in place (no new history entry). */
  function replaceQuery(params) {
    var query = params.toString().replace(/%3A/gi, ":"); // sort=figure:desc, as readable as it is valid
    window.history.replaceState(null, "", window.location.pathname + (query ? "?" + query : "") + window.location.hash);
  }

  // Before the theme's search reads the address (it opens its box for a `q`): an old link's `q`
  // becomes `text`, in place.
  var legacy = new URLSearchParams(window.location.search);
  if (legacy.has("q")) {
    if (!legacy.has("text")) legacy.set("text", legacy.get("q"));
    legacy.delete("q");
    replaceQuery(legacy);
  }
  document.addEventListener("DOMContentLoaded", function () {
    try {
      enhance();
    } catch (error) {
      root.classList.remove("kb-explorer-js");
      throw error;
    }
  });

  function enhance() {
    var table = document.querySelector("table.kb-explorer-table");
    var form = document.querySelector("form.kb-explorer-filters");
    if (!table || !form) {
      root.classList.remove("kb-explorer-js");
      return;
    }

    var FACETS = ["source", "kind", "status", "question", "sector", "about"];
    var columns = Array.prototype.map.call(table.tHead.rows[0].cells, function (th) {
      return th.getAttribute("data-col");
    });
    var text = form.elements.text;
    var withdrawn = form.elements.withdrawn;
    var LENGTHS = [25, 50, 100, 500, -1];
    var length = 50;

    function readAddress() {
      var params = new URLSearchParams(window.location.search);
      FACETS.forEach(function (name) {
        var select = form.elements[name];
        var value = params.get(name) || "";
        select.value = value;
        if (select.value !== value) {
          // a record renamed since the address was shared: the option listing its former id
          var renamed = Array.prototype.find.call(select.options, function (o) {
            return value && (o.getAttribute("data-former") || "").split(" ").indexOf(value) !== -1;
          });
          select.value = renamed ? renamed.value : "";
        }
      });
      text.value = params.get("text") || "";
      withdrawn.checked = params.get("withdrawn") === "1";
      var wanted = params.get("length") === "all" ? -1 : parseInt(params.get("length"), 10);
      if (LENGTHS.indexOf(wanted) !== -1) length = wanted;
      var sort = (params.get("sort") || "").split(":");
      var column = columns.indexOf(sort[0]);
      return column < 0 ? [] : [[column, sort[1] === "desc" ? "desc" : "asc"]];
    }

    var order = readAddress();
    var dt = new window.DataTable(table, {
      order: order,
      autoWidth: false,
      pageLength: length,
      lengthMenu: LENGTHS.map(function (n) { return n === -1 ? { label: "All", value: -1 } : n; }),
      layout: { topStart: "pageLength", topEnd: "info", bottomStart: "info", bottomEnd: "paging" },
      language: {
        entries: { _: "claims", 1: "claim" },
        zeroRecords: "No claim matches these filters.",
        emptyTable: "No claims."
      }
    });

    table.classList.add("kb-explorer-paged"); // explorer.css lays the rows out from now on

    // Each row's facets, read once from its data-* attributes (ids, space-separated).
    // (rows().indexes() and rows().nodes() once each: rows().every() selects each row anew, which
    // takes time in proportion to the number of rows, every time.)
    var rows = [];
    var indexes = dt.rows().indexes().toArray();
    var nodes = dt.rows().nodes().toArray();
    indexes.forEach(function (index, i) {
      var tr = nodes[i];
      var facets = { withdrawn: tr.classList.contains("kb-withdrawn"), node: tr };
      FACETS.forEach(function (name) {
        facets[name] = (tr.getAttribute("data-" + name) || "").split(" ");
      });
      rows[index] = facets;
    });

    // The free text, as the search box reads a query (text.js): its words, folded, each the start
    // of a word of the row's text, and its amounts, each in the row in some spelling. A row's text
    // is folded the first time a query needs it.
    var query = { words: [], figures: [] };
    function readQuery() {
      var raw = text.value.trim();
      query = { words: normaliseQuery(raw).map(fold), figures: figuresOf(raw) };
    }
    function holdsQuery(row) {
      if (!query.words.length && !query.figures.length) return true;
      if (row.words === undefined) {
        // Each text node apart: the row's textContent runs one cell's last word into the next
        // cell's first ("CooperationConference"), and a word that opens a cell was not found.
        var parts = [];
        var walker = document.createTreeWalker(row.node, NodeFilter.SHOW_TEXT);
        while (walker.nextNode()) parts.push(walker.currentNode.nodeValue);
        var content = parts.join(" ");
        row.words = wordsOf(content);
        row.folded = fold(content);
      }
      return startsEvery(row.words, query.words) && query.figures.every(function (test) { return test.test(row.folded); });
    }

    dt.search.fixed("facets", function (_text, _data, index) {
      var row = rows[index];
      if (row.withdrawn && !withdrawn.checked) return false;
      return FACETS.every(function (name) {
        var value = form.elements[name].value;
        return !value || row[name].indexOf(value) !== -1;
      }) && holdsQuery(row);
    });

    function writeAddress() {
      var params = new URLSearchParams();
      if (text.value.trim()) params.set("text", text.value.trim());
      FACETS.forEach(function (name) {
        if (form.elements[name].value) params.set(name, form.elements[name].value);
      });
      if (withdrawn.checked) params.set("withdrawn", "1");
      var sort = dt.order()[0];
      if (sort && sort[1]) params.set("sort", columns[sort[0]] + ":" + sort[1]);
      var shown = dt.page.len();
      if (shown !== 50) params.set("length", shown === -1 ? "all" : String(shown));
      replaceQuery(params);
    }

    function apply() {
      readQuery();
      dt.draw(); // and the address, after the draw
    }

    form.addEventListener("input", function (event) {
      if (event.target === text) apply();
    });
    form.addEventListener("change", apply);
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      apply();
    });
    form.addEventListener("reset", function () {
      window.setTimeout(apply, 0); // the controls are reset after this event
    });
    // After every draw, when the order is the one shown: DataTables' "order" event came before a
    // keyboard's order was applied, so the address lagged one order behind (a reader's trial).
    dt.on("draw", writeAddress);

    // DataTables 3 marks the events it delegates with a read-only `delegateTarget`; the theme's
    // clipboard.js, listening on the document, assigns that property on every click and would throw
    // ("Cannot set property delegateTarget ... which has only a getter"). Before the click leaves the
    // table's container, make the property an ordinary, writable one again.
    dt.table().container().addEventListener("click", function (event) {
      var own = Object.getOwnPropertyDescriptor(event, "delegateTarget");
      if (own && own.get && !own.set) {
        Object.defineProperty(event, "delegateTarget", { configurable: true, writable: true, value: own.get() });
      }
    });

    readQuery();
    dt.draw();
    form.hidden = false;
  }
})();
