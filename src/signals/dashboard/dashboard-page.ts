// The dashboard's page and its script, served by `signalsDashboard` as they are. Plain HTML
// and browser JavaScript, no framework and no build step; every value from the server is put
// in the page as text (textContent), never as HTML, since payloads and errors are untrusted.

/** `GET /`: the page. Its figures are filled in by {@link DASHBOARD_SCRIPT}. */
export const DASHBOARD_PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Signals</title>
<link rel="icon" href="data:,">
<style>
  :root { font-family: system-ui, sans-serif; color: #1d2430; background: #f6f7f9; }
  body { margin: 0 auto; max-width: 1200px; padding: 1rem 1.5rem 3rem; }
  header { display: flex; gap: 1rem; align-items: baseline; flex-wrap: wrap; }
  h1 { font-size: 1.5rem; margin: 0.5rem 0; }
  h2 { font-size: 1.1rem; margin: 1.75rem 0 0.5rem; }
  .muted { color: #5f6b7a; font-size: 0.9rem; }
  .badge { background: #e3e8ef; border-radius: 4px; padding: 0.1rem 0.5rem; font-size: 0.8rem; }
  .problem { background: #fdecea; color: #8a1c12; padding: 0.5rem 0.75rem; border-radius: 4px; }
  table { border-collapse: collapse; width: 100%; background: #fff; font-size: 0.9rem; }
  th, td { text-align: left; padding: 0.35rem 0.6rem; border-bottom: 1px solid #e3e8ef; vertical-align: top; }
  th { background: #eef1f5; font-weight: 600; }
  td.num { text-align: right; font-variant-numeric: tabular-nums; }
  td.error { color: #8a1c12; max-width: 22rem; overflow-wrap: anywhere; }
  pre { margin: 0; white-space: pre-wrap; overflow-wrap: anywhere; max-width: 28rem; font-size: 0.8rem; }
  form, .actions { display: flex; gap: 0.5rem; flex-wrap: wrap; margin: 0.5rem 0; align-items: center; }
  input, select, button { font: inherit; padding: 0.25rem 0.5rem; }
  button { cursor: pointer; border: 1px solid #9aa5b4; border-radius: 4px; background: #fff; }
  button.danger { border-color: #c0392b; color: #8a1c12; }
  .empty { color: #5f6b7a; font-style: italic; }
  [hidden] { display: none !important; }
</style>
</head>
<body>
<header>
  <h1>Signals</h1>
  <span id="backend" class="muted"></span>
  <span id="mode" class="badge" hidden>read-only</span>
  <span id="updated" class="muted"></span>
</header>
<form id="login" hidden>
  <label>Dashboard token <input id="token" type="password" autocomplete="current-password"></label>
  <button type="submit">Open</button>
</form>
<p id="problem" class="problem" role="alert" hidden></p>

<section>
  <h2>Wiring and live figures</h2>
  <table id="wiring">
    <thead><tr><th>Signal</th><th>Sent/s</th><th>Receiver</th><th>Runs/s</th><th>Failures/s</th><th>p50</th><th>p95</th><th>Waiting</th><th>In progress</th></tr></thead>
    <tbody></tbody>
  </table>
  <p id="stats-note" class="muted"></p>
</section>

<section>
  <h2>Outbox</h2>
  <p id="outbox" class="muted"></p>
</section>

<section>
  <h2>Recent failures</h2>
  <table id="failures">
    <thead><tr><th>Last seen</th><th>Signal</th><th>Receiver</th><th>Error</th><th>Count</th><th>Last outcome</th></tr></thead>
    <tbody></tbody>
  </table>
</section>

<section>
  <h2>Dead letters <span id="dead-letter-count" class="badge"></span></h2>
  <form id="filter">
    <select id="filter-signal" aria-label="Signal"><option value="">every signal</option></select>
    <select id="filter-receiver" aria-label="Receiver"><option value="">every receiver</option></select>
    <input id="filter-error" placeholder="error contains" aria-label="Error contains">
    <button type="submit">Filter</button>
  </form>
  <div class="actions write">
    <button id="replay-matching" type="button">Replay all matching</button>
    <button id="delete-matching" type="button" class="danger">Delete all matching</button>
    <span id="result" role="status" class="muted"></span>
  </div>
  <p id="dead-letters-problem" class="problem" role="alert" hidden></p>
  <p id="shown" class="muted"></p>
  <table id="dead-letters">
    <thead><tr><th>Dead-lettered</th><th>Signal</th><th>Receiver</th><th>Attempts</th><th>Error</th><th>Payload</th><th></th></tr></thead>
    <tbody></tbody>
  </table>
</section>
<script src="app.js"></script>
</body>
</html>
`;

/**
 * `GET /app.js`: reads `api/state` every 2 s and the dead letters every 5 s, each one request at a
 * time (a slow answer delays the next read, never piles reads up).
 */
export const DASHBOARD_SCRIPT = `'use strict';
(function () {
  var TOKEN_KEY = 'signals-dashboard-token';
  var LIMIT = 200;
  var state = { readOnly: true, kind: 'in-process' };
  var byId = function (id) { return document.getElementById(id); };

  var fromFragment = /[#&]token=([^&]+)/.exec(location.hash);
  if (fromFragment) {
    sessionStorage.setItem(TOKEN_KEY, decodeURIComponent(fromFragment[1]));
    history.replaceState(null, '', location.pathname + location.search);
  }

  function api(path, options) {
    options = options || {};
    var headers = { accept: 'application/json' };
    var token = sessionStorage.getItem(TOKEN_KEY);
    if (token) headers.authorization = 'Bearer ' + token;
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    return fetch('api/' + path, { method: options.method || 'GET', headers: headers, body: options.body === undefined ? undefined : JSON.stringify(options.body) })
      .then(function (response) {
        return response.json().catch(function () { return {}; }).then(function (body) {
          if (response.status === 401) { byId('login').hidden = false; throw new Error(body.error || 'A token is needed'); }
          if (!response.ok) throw new Error(body.error || ('HTTP ' + response.status));
          return body;
        });
      });
  }

  function cell(row, text, className) {
    var td = document.createElement('td');
    td.textContent = text === undefined || text === null ? '–' : String(text);
    if (className) td.className = className;
    row.appendChild(td);
    return td;
  }
  function rate(value) { return value === undefined ? undefined : value.toFixed(value < 10 ? 2 : 0); }
  function ms(value) { return value === undefined || value === null ? undefined : (value < 10 ? value.toFixed(1) : Math.round(value)) + ' ms'; }
  function when(iso) { return iso ? new Date(iso).toLocaleString() : '–'; }
  function emptyRow(tbody, columns, text) {
    var row = tbody.insertRow(); var td = cell(row, text, 'empty'); td.colSpan = columns;
  }

  function renderState(next) {
    state = next;
    byId('login').hidden = true;
    byId('backend').textContent = next.description || (next.kind === 'broker' ? 'broker backend' : 'in-process backend');
    byId('mode').hidden = !next.readOnly;
    document.querySelectorAll('.write').forEach(function (node) { node.hidden = next.readOnly || next.kind !== 'broker'; });
    byId('updated').textContent = 'updated ' + new Date().toLocaleTimeString();
    byId('problem').hidden = !next.problem;
    byId('problem').textContent = next.problem || '';

    var stats = next.stats || { sent: {}, receivers: [], failures: [], windowSeconds: 60 };
    var tbody = byId('wiring').tBodies[0];
    tbody.replaceChildren();
    next.signals.forEach(function (signal) {
      var sent = stats.sent[signal.signal];
      var receivers = signal.receivers.length === 0 ? [{ name: undefined }] : signal.receivers;
      receivers.forEach(function (receiver, index) {
        var row = tbody.insertRow();
        row.dataset.signal = signal.signal;
        if (receiver.name) row.dataset.receiver = receiver.name;
        cell(row, index === 0 ? signal.signal : '');
        cell(row, index === 0 ? rate(sent ? sent.perSecond : 0) : '', 'num');
        cell(row, receiver.name || '(no receivers)');
        var figures = stats.receivers.find(function (entry) { return entry.signal === signal.signal && entry.receiver === receiver.name; }) || {};
        cell(row, rate(figures.runsPerSecond), 'num');
        cell(row, rate(figures.failuresPerSecond), 'num');
        cell(row, ms(figures.p50Ms), 'num');
        cell(row, ms(figures.p95Ms), 'num');
        cell(row, receiver.waiting, 'num');
        cell(row, receiver.inProgress, 'num');
      });
    });
    byId('stats-note').textContent = next.stats === undefined
      ? 'No live figures: the dashboard was mounted without stats.'
      : 'Rates over the last ' + stats.windowSeconds + ' s and durations of the last 512 runs, as seen by this process' +
        (next.kind === 'broker' ? ' (on a broker, the runs of receivers are on the dashboard of the worker that ran them).' : '.');

    byId('outbox').textContent = next.outbox === undefined
      ? (next.kind === 'broker' ? 'No outbox: signals sent in a transaction are published after the commit.' : 'In-process: no outbox.')
      : next.outbox.pending + ' pending; the oldest has waited ' + (next.outbox.lagMs === undefined || next.outbox.lagMs === null ? '0 s' : (next.outbox.lagMs / 1000).toFixed(1) + ' s');

    var failures = byId('failures').tBodies[0];
    failures.replaceChildren();
    if (stats.failures.length === 0) emptyRow(failures, 6, 'No failures seen by this process.');
    stats.failures.forEach(function (failure) {
      var row = failures.insertRow();
      cell(row, when(failure.lastAt)); cell(row, failure.signal); cell(row, failure.receiver);
      cell(row, failure.error, 'error'); cell(row, failure.count, 'num'); cell(row, failure.lastOutcome);
    });

    var select = byId('filter-signal');
    if (select.options.length === 1) next.signals.forEach(function (signal) { select.add(new Option(signal.signal, signal.signal)); });
    var receivers = byId('filter-receiver');
    if (receivers.options.length === 1) {
      var names = [];
      next.signals.forEach(function (signal) { signal.receivers.forEach(function (r) { if (names.indexOf(r.name) < 0) names.push(r.name); }); });
      names.sort().forEach(function (name) { receivers.add(new Option(name, name)); });
    }
    byId('dead-letter-count').textContent = next.deadLetters ? String(next.deadLetters.count) : '';
  }

  function filter() {
    var result = {};
    if (byId('filter-signal').value) result.signal = byId('filter-signal').value;
    if (byId('filter-receiver').value) result.receiver = byId('filter-receiver').value;
    if (byId('filter-error').value.trim()) result.error = byId('filter-error').value.trim();
    return result;
  }

  function renderDeadLetters(letters) {
    var tbody = byId('dead-letters').tBodies[0];
    tbody.replaceChildren();
    byId('dead-letters-problem').hidden = true;
    var total = state.deadLetters ? state.deadLetters.count : 0;
    byId('shown').textContent = letters.length >= LIMIT ? 'The newest ' + letters.length + ' that match are shown, of ' + total + ' dead letters: narrow the filter to see others.' : '';
    if (state.kind !== 'broker') return emptyRow(tbody, 7, 'In-process: a failed receiver is logged, there are no dead letters.');
    if (letters.length === 0) return emptyRow(tbody, 7, 'No dead letters match.');
    letters.forEach(function (letter) {
      var row = tbody.insertRow();
      row.dataset.id = letter.id;
      if (letter.messageId) row.dataset.messageId = letter.messageId;
      cell(row, when(letter.deadLetteredAt)); cell(row, letter.signal); cell(row, letter.receiver);
      cell(row, letter.attempts, 'num');
      var error = cell(row, letter.error.name + ': ' + letter.error.message, 'error');
      if (letter.error.stack) error.title = letter.error.stack;
      var payload = document.createElement('pre');
      payload.textContent = letter.envelope ? JSON.stringify(letter.envelope.payload, null, 1) : (letter.raw || '');
      row.insertCell().appendChild(payload);
      var actions = row.insertCell();
      if (state.readOnly) return;
      if (letter.envelope) actions.appendChild(button('Replay', function () { act('replay', { ids: [letter.id] }); }));
      actions.appendChild(button('Delete', function () { act('delete', { ids: [letter.id] }); }, 'danger'));
    });
  }

  function button(text, onClick, className) {
    var node = document.createElement('button');
    node.type = 'button'; node.textContent = text; node.addEventListener('click', onClick);
    if (className) node.className = className;
    return node;
  }

  function act(action, body) {
    byId('result').textContent = '';
    return api('dead-letters/' + action, { method: 'POST', body: body }).then(function (result) {
      byId('result').textContent = action === 'replay'
        ? 'Replayed ' + result.replayed + (result.skipped.length ? '; skipped ' + result.skipped.length + ': ' + result.skipped.map(function (s) { return s.reason; }).join('; ') : '')
        : 'Deleted ' + result.deleted;
    }, function (error) { byId('result').textContent = error.message; }).then(refresh);
  }

  function matching(action) {
    var current = filter();
    var all = Object.keys(current).length === 0;
    var what = all ? 'every dead letter' : 'every dead letter matching ' + JSON.stringify(current);
    if (!confirm(action + ' ' + what + '?')) return;
    act(action, all ? { all: true } : current);
  }

  function refreshState() {
    return api('state').then(renderState, showProblem);
  }
  function refreshDeadLetters() {
    if (state.kind !== 'broker') return Promise.resolve(renderDeadLetters([]));
    var query = new URLSearchParams(filter()); query.set('limit', String(LIMIT));
    return api('dead-letters?' + query).then(renderDeadLetters, function (error) {
      byId('dead-letters-problem').hidden = false;
      byId('dead-letters-problem').textContent = error.message;
    });
  }
  function refresh() { return refreshState().then(refreshDeadLetters); }
  function showProblem(error) { byId('problem').hidden = false; byId('problem').textContent = error.message; }
  /** Calls \`read\` \`everyMs\` after its last answer, again and again: reads never overlap. */
  function poll(read, everyMs) {
    function next() { setTimeout(function () { Promise.resolve(read()).then(next, next); }, everyMs); }
    next();
  }

  byId('filter').addEventListener('submit', function (event) { event.preventDefault(); refreshDeadLetters(); });
  byId('replay-matching').addEventListener('click', function () { matching('replay'); });
  byId('delete-matching').addEventListener('click', function () { matching('delete'); });
  byId('login').addEventListener('submit', function (event) {
    event.preventDefault();
    sessionStorage.setItem(TOKEN_KEY, byId('token').value);
    refresh();
  });

  refresh();
  poll(refreshState, 2000);
  poll(refreshDeadLetters, 5000);
})();
`;
