// Sortable tables: each header becomes a button that sorts its column, numbers as numbers, on a screen
// at least 600 px (37.5em) wide.
// Total rows (class "total", or a first cell that is all bold) stay at the bottom. Works without any library.
// A table marked data-no-sort (a statement, whose running balance only reads in date order) is left as it is.
(function () {
  "use strict";

  function cellValue(row, index) {
    var cell = row.cells[index];
    return cell ? cell.textContent.trim() : "";
  }

  function asNumber(text) {
    var cleaned = text.replace(/[,\s]/g, "").replace(/\u2212/g, "-").replace(/\(advance\)$/, "");
    if (!/^[-+]?\d+(\.\d+)?%?$/.test(cleaned)) return null;
    return parseFloat(cleaned);
  }

  function isTotal(row) {
    if (row.classList.contains("total")) return true;
    var first = row.cells[0];
    return !!(first && first.querySelector("strong") && first.textContent.trim() === first.querySelector("strong").textContent.trim());
  }

  function sort(table, index, header) {
    var body = table.tBodies[0];
    if (!body) return;
    var rows = Array.prototype.slice.call(body.rows);
    var totals = rows.filter(isTotal);
    rows = rows.filter(function (row) { return !isTotal(row); });
    var ascending = header.getAttribute("aria-sort") !== "ascending";
    var numeric = rows.every(function (row) {
      var text = cellValue(row, index);
      return text === "" || asNumber(text) !== null;
    });
    rows.sort(function (a, b) {
      var x = cellValue(a, index), y = cellValue(b, index), order;
      if (numeric) {
        order = (asNumber(x) || 0) - (asNumber(y) || 0);
      } else {
        order = x.localeCompare(y, undefined, { numeric: true, sensitivity: "base" });
      }
      return ascending ? order : -order;
    });
    Array.prototype.forEach.call(header.parentNode.cells, function (cell) { cell.removeAttribute("aria-sort"); });
    header.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    rows.concat(totals).forEach(function (row) { body.appendChild(row); });
  }

  function enhance(table) {
    if (!table.tHead || !table.tBodies[0] || table.tBodies[0].rows.length < 2 || table.hasAttribute("data-no-sort")) return;
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (header, index) {
      if (!header.textContent.trim()) return;
      var button = document.createElement("button");
      button.type = "button";
      button.className = "sort";
      while (header.firstChild) button.appendChild(header.firstChild);
      header.appendChild(button);
      button.addEventListener("click", function () { sort(table, index, header); });
    });
  }

  // Not on a phone: there a wide table scrolls under its sticky first and key columns (site.css), so
  // that a header's button would lie partly under another one, too narrow to tap (WCAG's target size).
  var roomy = window.matchMedia("(min-width: 37.5em)");

  function enhanceAll() {
    Array.prototype.forEach.call(document.querySelectorAll(".md-typeset table"), enhance);
  }

  function init() {
    if (roomy.matches) {
      enhanceAll();
      return;
    }
    roomy.addEventListener("change", function widened(event) {
      if (!event.matches) return;
      roomy.removeEventListener("change", widened);
      enhanceAll();
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
