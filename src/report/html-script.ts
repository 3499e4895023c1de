// Script of report.html: filtering by status and suite, free-text search, expand/collapse.
// It carries no report data (it reads the rendered DOM), so nothing from a cluster ever ends up
// inside a <script> element, and the page reads fully with scripts disabled.

export const REPORT_SCRIPT = `
(function () {
  'use strict';
  var toolbar = document.getElementById('toolbar');
  var statusSelect = document.getElementById('filter-status');
  var suiteSelect = document.getElementById('filter-suite');
  var search = document.getElementById('filter-search');
  var shown = document.getElementById('shown-count');
  var noMatch = document.getElementById('no-match');
  if (!toolbar || !statusSelect || !suiteSelect || !search || !shown || !noMatch) return;
  var checks = Array.prototype.slice.call(document.querySelectorAll('.check'));
  var suites = Array.prototype.slice.call(document.querySelectorAll('.suite'));
  var tiles = Array.prototype.slice.call(document.querySelectorAll('[data-status-filter]'));
  var haystacks = checks.map(function (el) { return el.textContent.toLowerCase(); });
  toolbar.hidden = false;

  function apply() {
    var status = statusSelect.value;
    var suite = suiteSelect.value;
    var terms = search.value.toLowerCase().split(/\\s+/).filter(Boolean);
    var visible = 0;
    checks.forEach(function (el, i) {
      var ok = (status === 'all' || el.getAttribute('data-status') === status) &&
        (suite === 'all' || el.getAttribute('data-suite') === suite) &&
        terms.every(function (t) { return haystacks[i].indexOf(t) !== -1; });
      el.hidden = !ok;
      if (ok) visible += 1;
    });
    suites.forEach(function (el) {
      el.hidden = el.querySelector('.check:not([hidden])') === null;
    });
    tiles.forEach(function (tile) {
      tile.setAttribute('aria-pressed', String(tile.getAttribute('data-status-filter') === status));
    });
    shown.textContent = visible + ' of ' + checks.length + ' checks shown';
    noMatch.hidden = visible !== 0 || checks.length === 0;
  }

  tiles.forEach(function (tile) {
    tile.addEventListener('click', function () {
      statusSelect.value = tile.getAttribute('data-status-filter');
      apply();
    });
  });
  statusSelect.addEventListener('change', apply);
  suiteSelect.addEventListener('change', apply);
  search.addEventListener('input', apply);
  function setOpen(open) {
    document.querySelectorAll('details.check').forEach(function (d) { if (!d.hidden) d.open = open; });
  }
  document.getElementById('expand-all').addEventListener('click', function () { setOpen(true); });
  document.getElementById('collapse-all').addEventListener('click', function () { setOpen(false); });
  document.addEventListener('keydown', function (event) {
    if (event.key === '/' && document.activeElement !== search) { event.preventDefault(); search.focus(); }
  });
  apply();
})();
`;
