/**
 * The one stylesheet and the one enhancement script, served by the app itself (/assets/…):
 * no CDN, the machines may be offline. Kept as TypeScript strings so `npm run build` ships them.
 * Colours meet WCAG 2.1 AA contrast on white (text ≥ 4.5:1, focus ring ≥ 3:1).
 */
export const STYLESHEET = `
:root { --text: #1b1b1b; --muted: #505050; --brand: #00466e; --link: #005a9c; --line: #b1b4b6; --bg-soft: #f3f2f1;
  --focus: #ffbf47; --error: #b00020; --error-bg: #fdecee; --ok: #00703c; --ok-bg: #e6f4ea; --warn-bg: #fff4e0; }
* { box-sizing: border-box; }
html { font-family: system-ui, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; font-size: 100%; line-height: 1.5; color: var(--text); background: #fff; }
body { margin: 0; }
a { color: var(--link); text-underline-offset: 0.15em; }
a:visited { color: #4c2c92; }
a:hover { color: #003078; text-decoration-thickness: 2px; }
:focus-visible { outline: 3px solid var(--focus); outline-offset: 0; box-shadow: 0 0 0 6px var(--text); }
a:focus-visible { background: var(--focus); color: var(--text); box-shadow: 0 4px 0 var(--text); outline: none; text-decoration: none; }
.skip-link { position: absolute; left: -9999px; top: 0; padding: 0.5rem 1rem; background: var(--focus); color: var(--text); z-index: 10; }
.skip-link:focus { left: 0.5rem; top: 0.5rem; }
.visually-hidden { position: absolute !important; width: 1px; height: 1px; margin: -1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; border: 0; }
.site-header { background: var(--brand); color: #fff; }
.site-header .bar { display: flex; flex-wrap: wrap; justify-content: space-between; align-items: center; gap: 0.5rem 2rem; max-width: 80rem; margin: 0 auto; padding: 0.75rem 1.5rem; }
.brand { color: #fff !important; font-weight: 700; font-size: 1.375rem; text-decoration: none; }
.brand-sub { display: block; font-weight: 400; font-size: 0.875rem; }
.who { display: flex; align-items: center; gap: 1rem; flex-wrap: wrap; }
.who .muted { color: #e8eef3; }
.who form { margin: 0; }
.site-header .link-button { color: #fff; border-color: #fff; }
.nav { list-style: none; display: flex; flex-wrap: wrap; gap: 0 0.25rem; margin: 0 auto; padding: 0 1.5rem; max-width: 80rem; }
.nav a { display: block; padding: 0.6rem 0.9rem; color: #fff; text-decoration: none; border-bottom: 4px solid transparent; }
.nav a:hover { border-bottom-color: #fff; color: #fff; }
.nav a[aria-current="page"] { border-bottom-color: var(--focus); font-weight: 700; }
.nav a:focus-visible { color: var(--text); }
main { display: block; max-width: 80rem; margin: 0 auto; padding: 1.5rem; }
main:focus { outline: none; }
h1 { font-size: 2rem; line-height: 1.2; margin: 0.5rem 0 1rem; }
h2 { font-size: 1.5rem; margin: 2rem 0 0.75rem; }
h3 { font-size: 1.125rem; margin: 1.25rem 0 0.5rem; }
.lead { font-size: 1.125rem; max-width: 45rem; }
.prose { white-space: pre-line; max-width: 45rem; }
.muted, .hint { color: var(--muted); }
.hint { margin: 0 0 0.35rem; font-size: 0.95rem; }
.site-footer { border-top: 1px solid var(--line); margin-top: 3rem; padding: 1rem 1.5rem; color: var(--muted); font-size: 0.9rem; max-width: 80rem; margin-left: auto; margin-right: auto; }
table { border-collapse: collapse; width: 100%; margin: 0.5rem 0 1.5rem; font-variant-numeric: tabular-nums; }
caption { text-align: left; font-weight: 700; font-size: 1.125rem; padding: 0.5rem 0; }
th, td { text-align: left; vertical-align: top; padding: 0.5rem 0.75rem 0.5rem 0; border-bottom: 1px solid var(--line); }
th { font-weight: 700; }
td.num, th.num { text-align: right; white-space: nowrap; }
.nowrap { white-space: nowrap; }
th[aria-sort] a { color: var(--text); }
th .sort-mark { font-weight: 400; }
tr.overdue td { background: var(--error-bg); }
.tag { display: inline-block; padding: 0.1rem 0.45rem; font-size: 0.875rem; font-weight: 700; border: 2px solid currentColor; border-radius: 0.25rem; white-space: nowrap; }
.tag-overdue { color: var(--error); background: #fff; }
.tag-state { color: var(--brand); background: #fff; }
.tag-ok { color: var(--ok); background: #fff; }
.pager { display: flex; gap: 1.5rem; margin: 1rem 0; }
.tag-warn { color: #6a4a00; background: var(--warn-bg); }
.button, button { font: inherit; font-weight: 700; display: inline-block; padding: 0.55rem 1.1rem; border: 2px solid transparent; border-radius: 0.25rem; background: #00703c; color: #fff; cursor: pointer; text-decoration: none; box-shadow: 0 2px 0 #002d18; }
.button:visited { color: #fff; }
.button:hover, button:hover { background: #005a30; color: #fff; }
.button-secondary, button.button-secondary { background: var(--bg-soft); color: var(--text); box-shadow: 0 2px 0 #929191; }
.button-secondary:visited { color: var(--text); }
.button-secondary:hover, button.button-secondary:hover { background: #dbdad9; color: var(--text); }
.button-warning, button.button-warning { background: #c0221a; box-shadow: 0 2px 0 #55150e; }
button:focus-visible, .button:focus-visible { outline: 3px solid var(--focus); box-shadow: inset 0 0 0 1px var(--focus), 0 2px 0 var(--text); background: var(--focus); color: var(--text); }
.link-button { background: none; border: 2px solid var(--link); color: var(--link); box-shadow: none; font-weight: 400; padding: 0.2rem 0.6rem; }
.link-button:hover { background: rgba(255,255,255,0.15); }
.actions { display: flex; flex-wrap: wrap; gap: 1rem; align-items: flex-start; margin: 1rem 0; }
.plain { list-style: none; padding: 0; }
.action-card { border: 1px solid var(--line); border-left: 5px solid var(--brand); padding: 1rem; max-width: 36rem; flex: 1 1 20rem; }
.action-card h3 { margin-top: 0; }
.nav-count { display: inline-block; min-width: 1.5em; margin-left: 0.35rem; padding: 0 0.4rem; border-radius: 0.75rem; background: #fff; color: var(--brand); font-size: 0.875rem; font-weight: 700; text-align: center; }
.inbox { list-style: none; padding: 0; margin: 1rem 0; max-width: 52rem; }
.inbox-item { border: 1px solid var(--line); border-left: 5px solid var(--brand); padding: 0.75rem 1rem; margin-bottom: 0.75rem; overflow-wrap: anywhere; }
.inbox-item h2 { font-size: 1.125rem; margin: 0 0 0.25rem; }
.inbox-item p { margin: 0.25rem 0; }
form.inline { display: inline; }
.field { margin: 0 0 1.25rem; border: 0; padding: 0; }
label, legend { display: block; font-weight: 700; margin-bottom: 0.25rem; }
.checkbox label { display: inline; font-weight: 400; margin-left: 0.4rem; }
.checkbox { margin: 0.3rem 0; }
.required { font-weight: 400; color: var(--muted); }
input[type=text], input[type=email], input[type=password], input[type=date], input[type=number], select, textarea {
  font: inherit; padding: 0.4rem 0.5rem; border: 2px solid var(--text); border-radius: 0; width: 100%; max-width: 36rem; background: #fff; color: var(--text); }
input.short { max-width: 12rem; }
input[type=checkbox] { width: 1.25rem; height: 1.25rem; vertical-align: middle; accent-color: var(--brand); }
input:focus-visible, select:focus-visible, textarea:focus-visible { outline: 3px solid var(--focus); box-shadow: inset 0 0 0 2px var(--text); }
.field-invalid { border-left: 5px solid var(--error); padding-left: 0.9rem; }
.field-invalid input, .field-invalid select, .field-invalid textarea { border-color: var(--error); }
.field-error { color: var(--error); font-weight: 700; margin: 0 0 0.35rem; }
fieldset.group { border: 1px solid var(--line); padding: 1rem 1.25rem; margin: 0 0 1.5rem; }
fieldset.group legend { font-size: 1.125rem; padding: 0 0.25rem; }
.row { display: flex; flex-wrap: wrap; gap: 0 1.5rem; }
.row > .field { flex: 1 1 12rem; }
.error-summary { border: 4px solid var(--error); padding: 1rem 1.25rem; margin: 0 0 1.5rem; }
.error-summary h2 { margin-top: 0; font-size: 1.25rem; }
.error-summary a { color: var(--error); font-weight: 700; }
.error-summary:focus { outline: 3px solid var(--focus); }
.flash { padding: 0.75rem 1rem; margin-bottom: 1.25rem; border-left: 5px solid; }
.flash-success { border-color: var(--ok); background: var(--ok-bg); }
.flash-error { border-color: var(--error); background: var(--error-bg); }
.filters { display: flex; flex-wrap: wrap; gap: 0 1.5rem; align-items: flex-end; background: var(--bg-soft); padding: 1rem 1rem 0; margin-bottom: 1rem; }
.filters .field { flex: 0 1 18rem; }
.filters .buttons { margin-bottom: 1.25rem; }
dl.facts { display: grid; grid-template-columns: minmax(10rem, max-content) 1fr; gap: 0.35rem 1.5rem; margin: 0 0 1rem; }
dl.facts dt { font-weight: 700; }
dl.facts dd { margin: 0; }
.cols { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(22rem, 100%), 1fr)); gap: 0 2.5rem; }
.timeline { list-style: none; padding: 0; margin: 0; border-left: 3px solid var(--line); }
.timeline li { position: relative; padding: 0 0 1rem 1.25rem; }
.timeline li::before { content: ""; position: absolute; left: -0.55rem; top: 0.45rem; width: 0.8rem; height: 0.8rem; border-radius: 50%; background: var(--brand); }
.timeline li.refused::before { background: var(--error); }
.timeline li.system::before { background: #fff; border: 2px solid var(--brand); }
.timeline .when { font-weight: 700; font-variant-numeric: tabular-nums; }
.diagram { border: 1px solid var(--line); padding: 0.75rem; }
.diagram svg { display: block; max-width: 100%; height: auto; }
/* The lifecycle diagram (inline SVG): styled here, since the CSP allows no inline <style>. */
svg.lifecycle .state rect { fill: #fff; stroke: #00466e; stroke-width: 2; }
svg.lifecycle .state text { font: 13px system-ui, sans-serif; fill: #1b1b1b; }
svg.lifecycle .state.current rect { fill: #00466e; stroke: #1b1b1b; stroke-width: 3; }
svg.lifecycle .state.current text { fill: #fff; font-weight: 700; }
svg.lifecycle .group { fill: #f3f2f1; fill-opacity: .55; stroke: #505050; stroke-dasharray: 6 4; }
svg.lifecycle .group-label { font: 12px system-ui, sans-serif; fill: #1b1b1b; font-weight: 700; }
svg.lifecycle .edge { fill: none; stroke: #505050; stroke-width: 1.4; }
details > summary { cursor: pointer; color: var(--link); text-decoration: underline; }
.agreement-terms { max-width: 45rem; }
/* Rows of a list the page script adds to and removes from (cost lines, parties). */
.rows [data-row] { align-items: flex-end; border-bottom: 1px solid var(--line); margin-bottom: 1rem; }
.rows .row-actions { flex: 0 0 auto; margin: 0 0 1.25rem; }
.rows [data-add-row] { margin-bottom: 0.5rem; }
.sign-box { border: 4px solid var(--brand); padding: 1rem 1.5rem; max-width: 45rem; margin: 1.5rem 0; }
/* The agreement page: the next step first, termination apart, wide tables scrolling in their own box. */
.action-card.action-next { border-left-color: var(--ok); border-width: 2px 2px 2px 8px; }
.next-label { margin: 0 0 0.25rem; font-size: 0.9rem; font-weight: 700; color: var(--ok); text-transform: uppercase; letter-spacing: 0.03em; }
.danger-zone { border: 2px solid var(--line); border-left: 6px solid var(--error); padding: 0 1.25rem 1rem; margin: 2rem 0; max-width: 45rem; }
.danger-zone h2 { margin-top: 1rem; }
.table-scroll { overflow-x: auto; max-width: 100%; }
.table-scroll:focus-visible { outline: 3px solid var(--focus); }
dd.text p { margin: 0 0 0.6rem; }
dd.text p:last-child { margin-bottom: 0; }
table.changes { margin: 0.35rem 0 0.5rem; font-size: 0.95rem; }
table.changes th, table.changes td { padding: 0.25rem 0.75rem 0.25rem 0; }
.print-only { display: none; }
@media (max-width: 40rem) { dl.facts { grid-template-columns: 1fr; } h1 { font-size: 1.6rem; } }
.print-view table { font-size: 0.85rem; }
/* Every table in a scroll container (views/common.ts tableScroll, the agreement page's scrollBox): it scrolls inside the page, never the page. */
.table-scroll { position: relative; max-width: 100%; overflow-x: auto; margin: 0.5rem 0 1.5rem; }
/* (relative: the visually hidden words inside stay in the container, not in the page's width) */
.table-scroll > table { margin: 0; }
.table-scroll:focus-visible { outline: 3px solid var(--focus); box-shadow: none; }
/* Portfölj fits 1280 px (the headers of the amounts wrap, the amounts do not); narrower, it scrolls in its container. */
table.portfolio { min-width: 56rem; }
table.portfolio td.purpose { min-width: 12rem; }
table.portfolio thead th.num { white-space: normal; }
table.portfolio tr.state-sum th, table.portfolio tr.state-sum td { font-weight: 400; }
/* A checkbox stays beside its label (the role checkboxes side by side, each box with its word). */
.checkbox { display: flex; align-items: center; gap: 0.4rem; }
.checkbox input { flex: none; }
.checkbox label { margin-left: 0; }
.roles-form .checkbox { display: inline-flex; white-space: nowrap; margin-right: 1rem; }
@page { size: A4 landscape; margin: 10mm; }
@media print {
  .site-header, .site-footer, .skip-link, .no-print { display: none !important; }
  .print-only { display: block; }
  main { max-width: none; padding: 0; }
  body { font-size: 9pt; }
  h1 { font-size: 14pt; margin: 0 0 4mm; }
  table { font-size: 8pt; page-break-inside: auto; }
  tr { page-break-inside: avoid; }
  th, td { padding: 1.5mm 2mm 1.5mm 0; }
  a { color: var(--text); text-decoration: none; }
  table.portfolio { table-layout: fixed; font-size: 7pt; line-height: 1.3; }
  table.portfolio th, table.portfolio td { white-space: normal; padding: 1mm 1.5mm 1mm 0; }
  table.portfolio tfoot { display: table-row-group; }
  table.portfolio thead th:nth-child(1) { width: 10%; }
  table.portfolio thead th:nth-child(2) { width: 12%; }
  table.portfolio thead th:nth-child(3) { width: 26%; }
  table.portfolio thead th:nth-child(4) { width: 25%; }
  table.portfolio thead th:nth-child(5), table.portfolio thead th:nth-child(6) { width: 9%; }
  table.portfolio thead th:nth-child(7) { width: 9%; }
  table.portfolio td.nowrap { white-space: nowrap; }
  table.portfolio td.purpose { min-width: 0; max-width: none; }
  table.portfolio { min-width: 0; }
  .table-scroll { overflow: visible; }
}
.table-scroll { overflow-x: auto; max-width: 100%; }
.inline-form { display: inline-block; margin: 0 0.75rem 0.75rem 0; }
.mail-body { white-space: pre-wrap; overflow-wrap: anywhere; border-left: 4px solid var(--line); padding: 0.5rem 1rem; max-width: 45rem; }
input[readonly] { width: 100%; max-width: 45rem; }
`;

/** Progressive enhancement only: every page works without it. */
export const SCRIPT = `
(function () {
  'use strict';
  document.addEventListener('DOMContentLoaded', function () {
    var summary = document.querySelector('[data-focus-on-load]');
    if (summary) summary.focus();
    // A page answering a refused POST stands in history under its own address, so Back or reload after the next post asks for no resubmission.
    var again = document.querySelector('[data-history-url]');
    if (again && window.history.replaceState) window.history.replaceState(null, '', again.getAttribute('data-history-url'));
    document.querySelectorAll('[data-copy]').forEach(function (button) {
      var field = document.querySelector(button.getAttribute('data-copy'));
      var status = button.parentElement && button.parentElement.querySelector('[data-copy-status]');
      if (!field || !navigator.clipboard) return;
      button.hidden = false;
      button.addEventListener('click', function () {
        navigator.clipboard.writeText(field.value).then(function () { if (status) status.textContent = 'Länken är kopierad.'; }, function () { field.select(); });
      });
    });
    document.querySelectorAll('[data-print]').forEach(function (button) {
      button.hidden = false;
      button.addEventListener('click', function () { window.print(); });
    });
    document.querySelectorAll('[data-rows]').forEach(editableRows);
    // Granskning while a verification runs: the page is fetched again every few seconds and its
    // [data-refresh] parts swapped in (nothing reloads, focus stays), until nothing is running.
    if (document.querySelector('[data-running]') && window.fetch && window.DOMParser) {
      var refresh = function () {
        fetch(window.location.href, { credentials: 'same-origin', headers: { Accept: 'text/html' } })
          .then(function (response) { return response.ok ? response.text() : Promise.reject(response.status); })
          .then(function (text) {
            var fresh = new DOMParser().parseFromString(text, 'text/html');
            document.querySelectorAll('[data-refresh]').forEach(function (part) {
              var next = part.id ? fresh.getElementById(part.id) : null;
              if (!next) return;
              part.innerHTML = next.innerHTML;
              if (next.hasAttribute('data-running')) part.setAttribute('data-running', '');
              else part.removeAttribute('data-running');
            });
            if (fresh.querySelector('[data-running]')) setTimeout(refresh, 2000);
          })
          .catch(function () { setTimeout(refresh, 10000); });
      };
      setTimeout(refresh, 2000);
    }
  });

  /* The parties' shares from their amounts, as the server derives them: largest remainder to exactly 100 %. */
  function derivedShares(rows) {
    var parties = rows.map(function (row) {
      var select = row.querySelector('select');
      var amount = row.querySelector('input[name$=".contributionKr"]');
      var digits = amount ? amount.value.replace(/[\\s\\u00a0\\u202f]|kr$/gi, '') : '';
      return { name: select && select.value ? select.options[select.selectedIndex].text : '', kr: /^\\d{1,12}$/.test(digits) ? Number(digits) : null };
    }).filter(function (p) { return p.name && p.kr !== null; });
    var sum = parties.reduce(function (s, p) { return s + p.kr; }, 0);
    if (!sum) return '–';
    var parts = parties.map(function (p, i) { var exact = p.kr * 10000 / sum; return { i: i, bp: Math.floor(exact), rest: exact - Math.floor(exact) }; });
    var left = 10000 - parts.reduce(function (s, p) { return s + p.bp; }, 0);
    parts.slice().sort(function (a, b) { return b.rest - a.rest || a.i - b.i; }).slice(0, left).forEach(function (p) { p.bp += 1; });
    return parties.map(function (p, i) {
      var bp = parts[i].bp;
      var fraction = String(bp % 100).padStart(2, '0').replace(/0+$/, '');
      return p.name + ' ' + Math.floor(bp / 100) + (fraction ? ',' + fraction : '') + '\u00a0%';
    }).join(', ');
  }

  /* Lists of rows (cost lines, parties): "Lägg till rad" copies the last row empty under the next free
     index (the server takes any indexes), "Ta bort rad" removes one (the last one left is emptied).
     The visible numbers in the labels follow the rows' order; the field names keep their index. */
  function editableRows(list) {
    var prefix = list.getAttribute('data-rows');
    var idPrefix = 'f-' + prefix.replace(/[^A-Za-z0-9_-]/g, '-') + '-';
    var add = list.querySelector('[data-add-row]');
    function rows() { return Array.prototype.slice.call(list.querySelectorAll('[data-row]')); }
    function indexOf(row) {
      var named = row.querySelector('[name]');
      var m = named ? named.getAttribute('name').slice(prefix.length + 1).match(/^(\\d+)\\./) : null;
      return m ? Number(m[1]) : -1;
    }
    function firstField(row) { return row.querySelector('input, select, textarea'); }
    function renumber() {
      rows().forEach(function (row, position) {
        row.querySelectorAll('label, [data-row-number]').forEach(function (el) {
          if (el.children.length === 0) el.textContent = el.textContent.replace(/\\d+/, String(position + 1));
        });
      });
    }
    function wire(row) {
      var remove = row.querySelector('[data-remove-row]');
      if (!remove) return;
      remove.hidden = false;
      remove.addEventListener('click', function () {
        var all = rows();
        var at = all.indexOf(row);
        if (all.length === 1) {
          clear(row);
          firstField(row).focus();
          return;
        }
        row.parentNode.removeChild(row);
        renumber();
        // On to the row that took its place, or to "Lägg till rad" after the last one.
        var next = rows()[at];
        (next ? firstField(next) : add || firstField(rows()[at - 1])).focus();
      });
    }
    function clear(row) {
      row.querySelectorAll('input, textarea').forEach(function (el) { el.value = ''; el.removeAttribute('aria-invalid'); });
      row.querySelectorAll('select').forEach(function (el) { el.selectedIndex = 0; el.removeAttribute('aria-invalid'); });
      row.querySelectorAll('.field-error').forEach(function (el) { el.parentNode.removeChild(el); });
      row.querySelectorAll('.field-invalid').forEach(function (el) { el.classList.remove('field-invalid'); });
      row.querySelectorAll('[aria-describedby]').forEach(function (el) {
        var ids = el.getAttribute('aria-describedby').split(' ').filter(function (id) { return !/-fel$/.test(id); });
        if (ids.length) el.setAttribute('aria-describedby', ids.join(' ')); else el.removeAttribute('aria-describedby');
      });
    }
    rows().forEach(wire);
    var shares = list.parentNode.querySelector('[data-derived-shares] span');
    if (shares) {
      list.addEventListener('input', function () { shares.textContent = derivedShares(rows()); });
      list.addEventListener('change', function () { shares.textContent = derivedShares(rows()); });
    }
    if (!add) return;
    add.hidden = false;
    add.addEventListener('click', function () {
      var all = rows();
      var last = all[all.length - 1];
      var next = Math.max.apply(null, all.map(indexOf).concat([-1])) + 1;
      var from = indexOf(last);
      var row = last.cloneNode(true);
      var namePart = prefix + '.' + from + '.';
      var idPart = idPrefix + from + '-';
      row.querySelectorAll('*').forEach(function (el) {
        ['name', 'id', 'for', 'aria-describedby'].forEach(function (a) {
          var v = el.getAttribute(a);
          if (v) el.setAttribute(a, v.split(namePart).join(prefix + '.' + next + '.').split(idPart).join(idPrefix + next + '-'));
        });
      });
      clear(row);
      last.parentNode.insertBefore(row, last.nextSibling);
      wire(row);
      renumber();
      firstField(row).focus();
    });
  }
})();
`;
