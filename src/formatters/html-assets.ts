/**
 * The stylesheet and the small script of the HTML report. Both are inlined into the page: the
 * report opens offline, from an e-mail attachment or a file share, without fetching anything.
 */

/** Screen and print styles. */
export const REPORT_STYLES = `
:root { --ink:#1d2330; --muted:#5b6475; --line:#d9dee7; --bg:#f6f7fa; --card:#fff; --accent:#2f5fd0;
  --critical:#7b1fa2; --high:#c62828; --medium:#b26a00; --low:#1f6f8b; --info:#5b6475; --ok:#2e7d32; }
* { box-sizing: border-box; }
body { margin:0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  color: var(--ink); background: var(--bg); }
main { max-width: 1180px; margin: 0 auto; padding: 24px 28px 64px; }
header.report { border-bottom: 3px solid var(--ink); margin-bottom: 20px; padding-bottom: 12px; }
header.report h1 { margin: 0 0 4px; font-size: 28px; }
.meta { color: var(--muted); font-size: 13px; }
h2 { font-size: 20px; margin: 32px 0 12px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
h3 { font-size: 16px; margin: 20px 0 8px; }
section { margin-bottom: 12px; }
.summary p { font-size: 16px; margin: 0 0 8px; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(120px, 1fr)); gap: 10px; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 10px 14px; }
.card .value { font-size: 26px; font-weight: 700; }
.card .label { color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: .04em; }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(340px, 1fr)); gap: 16px; }
figure { margin: 0; background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 12px; }
figcaption { font-weight: 600; margin-bottom: 6px; }
svg text { font: 12px system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; fill: var(--ink); }
table { width: 100%; border-collapse: collapse; background: var(--card); font-size: 13px; margin: 6px 0 12px; }
th, td { text-align: left; vertical-align: top; padding: 6px 8px; border-bottom: 1px solid var(--line); }
th { background: #eef1f6; font-weight: 600; }
th[data-sort] { cursor: pointer; user-select: none; }
th[data-sort]::after { content: " \\2195"; color: var(--muted); }
th[aria-sort="ascending"]::after { content: " \\2191"; }
th[aria-sort="descending"]::after { content: " \\2193"; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
code, .id { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12px; word-break: break-all; }
.sev { display: inline-block; min-width: 64px; text-align: center; border-radius: 4px; padding: 1px 6px;
  font-size: 11px; font-weight: 700; text-transform: uppercase; color: #fff; }
.sev-critical { background: var(--critical); } .sev-high { background: var(--high); }
.sev-medium { background: var(--medium); } .sev-low { background: var(--low); } .sev-info { background: var(--info); }
.tag { display: inline-block; border: 1px solid var(--line); border-radius: 10px; padding: 0 8px; margin: 1px 2px;
  font-size: 12px; background: #f9fafc; }
.tag.critical { border-color: var(--high); color: var(--high); font-weight: 600; }
.flag { color: var(--high); font-weight: 700; }
.muted { color: var(--muted); }
.controls { display: flex; gap: 10px; align-items: center; margin: 8px 0; flex-wrap: wrap; }
.controls input, .controls select { font: inherit; padding: 4px 8px; border: 1px solid var(--line); border-radius: 6px; }
.controls input { min-width: 280px; }
.rule { background: var(--card); border: 1px solid var(--line); border-left: 4px solid var(--accent); border-radius: 6px;
  padding: 10px 14px; margin: 10px 0; }
.rule.sev-border-critical { border-left-color: var(--critical); } .rule.sev-border-high { border-left-color: var(--high); }
.rule.sev-border-medium { border-left-color: var(--medium); } .rule.sev-border-low { border-left-color: var(--low); }
.remediation { background: #f1f6ff; border-radius: 4px; padding: 6px 10px; }
.status-incomplete { color: var(--high); font-weight: 700; } .status-complete { color: var(--ok); font-weight: 700; }
footer { margin-top: 40px; color: var(--muted); font-size: 12px; }
@media print {
  body { background: #fff; font-size: 11pt; }
  main { max-width: none; padding: 0; }
  .controls, th[data-sort]::after { display: none; }
  h2 { break-after: avoid-page; }
  section.major { break-before: page; }
  table, figure, .rule { break-inside: auto; }
  tr, .card { break-inside: avoid; }
  thead { display: table-header-group; }
  a { color: inherit; text-decoration: none; }
  tr[hidden] { display: table-row !important; }
}
`;

/** Sorting and filtering of the findings table; no dependencies, no network. */
export const REPORT_SCRIPT = `
(function () {
  "use strict";
  var table = document.getElementById("findings-table");
  if (!table) return;
  var body = table.tBodies[0];
  var text = document.getElementById("finding-filter");
  var severity = document.getElementById("severity-filter");
  var status = document.getElementById("status-filter");
  var counter = document.getElementById("finding-count");
  function apply() {
    var needle = text.value.trim().toLowerCase();
    var minimum = Number(severity.value);
    var wanted = status.value;
    var shown = 0;
    Array.prototype.forEach.call(body.rows, function (row) {
      var visible = (needle === "" || row.textContent.toLowerCase().indexOf(needle) !== -1) &&
        Number(row.getAttribute("data-rank")) >= minimum &&
        (wanted === "all" || row.getAttribute("data-status") === wanted);
      row.hidden = !visible;
      if (visible) shown++;
    });
    counter.textContent = shown + " of " + body.rows.length + " findings shown";
  }
  [text, severity, status].forEach(function (control) {
    control.addEventListener("input", apply);
    control.addEventListener("change", apply);
  });
  Array.prototype.forEach.call(table.tHead.rows[0].cells, function (header, column) {
    if (!header.hasAttribute("data-sort")) return;
    header.addEventListener("click", function () {
      var ascending = header.getAttribute("aria-sort") !== "ascending";
      Array.prototype.forEach.call(table.tHead.rows[0].cells, function (other) { other.removeAttribute("aria-sort"); });
      header.setAttribute("aria-sort", ascending ? "ascending" : "descending");
      var numeric = header.getAttribute("data-sort") === "number";
      var rows = Array.prototype.slice.call(body.rows);
      rows.sort(function (a, b) {
        var x = a.cells[column].getAttribute("data-value") || a.cells[column].textContent;
        var y = b.cells[column].getAttribute("data-value") || b.cells[column].textContent;
        var order = numeric ? Number(x) - Number(y) : x.localeCompare(y);
        return ascending ? order : -order;
      });
      rows.forEach(function (row) { body.appendChild(row); });
    });
  });
  apply();
})();
`;
