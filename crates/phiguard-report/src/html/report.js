(function () {
  'use strict';
  var D = JSON.parse(document.getElementById('phiguard-data').textContent);
  var rows = D.findings;
  var OUT = D.outcomes, SEV = D.severities;
  var controlTitle = {};
  D.controls.forEach(function (c) { controlTitle[c[0]] = c[1]; });
  var filter = { o: '', c: '', s: '', a: '', r: '', q: '' };
  var sortCol = -1, sortDir = 1, limit = 500, STEP = 2000;
  var tbody = document.getElementById('rows');
  var shown = document.getElementById('shown');
  var more = document.getElementById('more');
  var hay = null;

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  function fill(id, values, label) {
    var sel = document.getElementById(id);
    values.forEach(function (v) { sel.appendChild(new Option(label ? label(v) : String(v), String(v))); });
    if (values.length < 2) sel.parentNode.hidden = values.length === 0;
  }
  function distinct(i) {
    var seen = {}, out = [];
    for (var k = 0; k < rows.length; k++) {
      var v = rows[k][i];
      if (v !== '' && !Object.prototype.hasOwnProperty.call(seen, v)) { seen[v] = 1; out.push(v); }
    }
    return out.sort(function (a, b) { return a < b ? -1 : a > b ? 1 : 0; });
  }
  fill('f-outcome', distinct(0), function (i) { return OUT[i]; });
  fill('f-control', distinct(3), function (n) { return n + ' · ' + controlTitle[n]; });
  fill('f-severity', distinct(1), function (i) { return SEV[i]; });
  fill('f-account', distinct(7));
  if (distinct(7).length === 0) document.querySelector('table.findings').classList.add('no-acct');
  fill('f-region', distinct(8));

  function text(r) {
    return (r[2] + '\n' + r[4] + '\n' + r[5] + '\n' + r[6] + '\n' + r[7] + '\n' + r[8] + '\n' + r[9] + '\n' + r[10]).toLowerCase();
  }
  function matches(r, i) {
    if (filter.o !== '' && String(r[0]) !== filter.o) return false;
    if (filter.c !== '' && String(r[3]) !== filter.c) return false;
    if (filter.s !== '' && String(r[1]) !== filter.s) return false;
    if (filter.a !== '' && r[7] !== filter.a) return false;
    if (filter.r !== '' && r[8] !== filter.r) return false;
    if (filter.q !== '') {
      if (!hay) hay = rows.map(text);
      if (hay[i].indexOf(filter.q) < 0) return false;
    }
    return true;
  }
  function cmp(a, b) {
    var x = rows[a][sortCol], y = rows[b][sortCol];
    if (x < y) return -sortDir;
    if (x > y) return sortDir;
    return a - b;
  }
  function rowEl(r) {
    var tr = el('tr');
    tr.className = 'r-' + OUT[r[0]];
    var td = el('td'); td.appendChild(el('span', 'badge o-' + OUT[r[0]], OUT[r[0]])); tr.appendChild(td);
    td = el('td'); td.appendChild(el('span', 'sev s-' + SEV[r[1]], SEV[r[1]])); tr.appendChild(td);
    td = el('td'); var a = el('a', null, r[2]); a.href = '#rule-' + encodeURIComponent(r[2]); td.appendChild(a); tr.appendChild(td);
    tr.appendChild(el('td', null, r[3] + ' · ' + controlTitle[r[3]]));
    td = el('td', 'res'); td.appendChild(el('b', null, r[4])); if (r[5]) td.appendChild(el('span', 'k', r[5])); tr.appendChild(td);
    td = el('td'); td.appendChild(el('code', null, r[6])); tr.appendChild(td);
    td = el('td'); if (r[7]) { td.appendChild(el('span', null, r[7])); td.appendChild(el('span', 'sub', r[8])); } tr.appendChild(td);
    td = el('td', 'ev', r[9]); if (r[10]) td.appendChild(el('span', 'waiver', r[10])); tr.appendChild(td);
    return tr;
  }
  function render() {
    var idx = [];
    for (var i = 0; i < rows.length; i++) if (matches(rows[i], i)) idx.push(i);
    if (sortCol >= 0) idx.sort(cmp);
    var frag = document.createDocumentFragment();
    var n = Math.min(limit, idx.length);
    for (var k = 0; k < n; k++) frag.appendChild(rowEl(rows[idx[k]]));
    tbody.textContent = '';
    tbody.appendChild(frag);
    shown.textContent = 'Showing ' + n.toLocaleString('en-US') + ' of ' + idx.length.toLocaleString('en-US') +
      ' matching findings (' + rows.length.toLocaleString('en-US') + ' in all).';
    shown.setAttribute('data-matching', String(idx.length));
    shown.setAttribute('data-shown', String(n));
    more.hidden = n >= idx.length;
  }
  function on(id, key, lower) {
    var e = document.getElementById(id);
    e.addEventListener(e.tagName === 'INPUT' ? 'input' : 'change', function () {
      filter[key] = lower ? e.value.trim().toLowerCase() : e.value;
      limit = 500;
      render();
    });
  }
  on('f-outcome', 'o'); on('f-control', 'c'); on('f-severity', 's');
  on('f-account', 'a'); on('f-region', 'r'); on('f-search', 'q', true);
  more.addEventListener('click', function () { limit += STEP; render(); });
  Array.prototype.forEach.call(document.querySelectorAll('th button[data-sort]'), function (b) {
    b.addEventListener('click', function () {
      var col = Number(b.getAttribute('data-sort'));
      sortDir = sortCol === col ? -sortDir : 1;
      sortCol = col;
      Array.prototype.forEach.call(document.querySelectorAll('th button[data-sort]'), function (o) { o.removeAttribute('data-dir'); });
      b.setAttribute('data-dir', String(sortDir));
      render();
    });
  });
  window.addEventListener('beforeprint', function () {
    Array.prototype.forEach.call(document.querySelectorAll('details'), function (d) { d.open = true; });
  });
  // Failures first by default: sort by outcome, as the enum order is fail, unknown, waived, pass.
  sortCol = 0;
  document.querySelector('th button[data-sort="0"]').setAttribute('data-dir', '1');
  render();
  document.documentElement.setAttribute('data-phiguard-ready', '1');
})();
