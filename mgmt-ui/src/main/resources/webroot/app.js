// edgegw admin panel: one page, talks to /api/v1 with fetch(). No inline script anywhere (the CSP forbids it);
// state-changing calls carry the session's CSRF token in X-CSRF-Token.
'use strict';

(function () {
  const state = { user: null, role: null, csrf: null, timer: null, stream: null, rates: {}, gen: 0, busy: 0 };
  const RANK = { viewer: 0, operator: 1, admin: 2 };
  const $ = (sel, root) => (root || document).querySelector(sel);
  const view = $('#view');

  // body[data-busy] counts the api() calls under way (absent when none): a page has rendered what it loaded once
  // it is gone, since each call's caller renders in the microtasks that follow its answer (the tests wait for it).
  function busy(d) {
    state.busy += d;
    if (state.busy) document.body.dataset.busy = String(state.busy); else delete document.body.dataset.busy;
  }

  async function api(method, path, body) {
    busy(1);
    try {
      return await call(method, path, body);
    } finally {
      busy(-1);
    }
  }

  async function call(method, path, body) {
    const headers = { Accept: 'application/json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (method !== 'GET' && state.csrf) headers['X-CSRF-Token'] = state.csrf;
    const res = await fetch('/api/v1' + path, {
      method, headers, credentials: 'same-origin', cache: 'no-store',
      body: body === undefined ? undefined : JSON.stringify(body)
    });
    const text = await res.text();
    let data = null;
    if (text) {
      try { data = JSON.parse(text); } catch (e) { data = { detail: text }; }
    }
    if (res.status === 401 && path !== '/session') {
      showLogin();
    }
    return { status: res.status, ok: res.ok, data };
  }

  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === 'class') e.className = v;
      else if (k === 'on') for (const [ev, fn] of Object.entries(v)) e.addEventListener(ev, fn);
      else e.setAttribute(k, v);
    }
    for (const c of children) e.append(c instanceof Node ? c : document.createTextNode(c == null ? '' : String(c)));
    return e;
  }

  // Mounts a view and returns its generation: an async continuation whose view was replaced meanwhile
  // (current(g) false) must not touch the page.
  // templateOrNode: the id of a <template> in index.html, or a DOM node a page module built (then navKey names
  // the nav link to highlight).
  function mount(templateOrNode, navKey) {
    stopRefresh();
    state.gen++;
    const isId = typeof templateOrNode === 'string';
    view.replaceChildren(isId ? $('#' + templateOrNode).content.cloneNode(true) : templateOrNode);
    for (const a of document.querySelectorAll('#nav a')) {
      markActive(a, isId ? templateOrNode.startsWith('t-' + a.dataset.view.replace(/s$/, '')) : a.dataset.view === navKey);
    }
    for (const e of view.querySelectorAll('.admin-only')) e.hidden = !can('admin');
    return state.gen;
  }

  function markActive(a, on) {
    a.classList.toggle('active', on);
    if (on) a.setAttribute('aria-current', 'page'); else a.removeAttribute('aria-current');
  }

  // The menu toggle (below 1024 px the nav is a panel it opens): aria-expanded tells its state; opening it focuses
  // a link in it; a chosen link or Escape closes it, Escape returning focus to the toggle.
  function setMenu(open) {
    $('#nav').classList.toggle('open', open);
    $('#nav-toggle').setAttribute('aria-expanded', String(open));
  }

  function current(g) {
    return g === state.gen;
  }

  function can(role) {
    return state.role !== null && RANK[state.role] >= RANK[role];
  }

  function toast(message, kind) {
    const t = $('#toast');
    t.textContent = message;
    t.className = 'toast ' + (kind || 'ok');
    t.hidden = false;
    clearTimeout(toast.timer);
    toast.timer = setTimeout(() => { t.hidden = true; }, 3500);
  }

  function showErrors(form, res) {
    for (const e of form.querySelectorAll('[data-error-for]')) e.textContent = '';
    for (const e of form.querySelectorAll('.invalid')) { e.classList.remove('invalid'); e.removeAttribute('aria-invalid'); }
    const d = res.data || {};
    const errors = d.errors || [];
    for (const err of errors) {
      const slot = form.querySelector('[data-error-for="' + CSS.escape(err.field) + '"]');
      const input = form.querySelector('[name="' + CSS.escape(err.field) + '"]');
      if (input) { input.classList.add('invalid'); input.setAttribute('aria-invalid', 'true'); }
      if (slot) slot.textContent = err.message;
      else form.querySelector('[data-error-for="_"]').textContent += err.field + ': ' + err.message + ' ';
    }
    if (!errors.length) form.querySelector('[data-error-for="_"]').textContent = d.detail || d.title || 'Failed';
  }

  function formData(form) {
    const o = {};
    for (const [k, v] of new FormData(form).entries()) o[k] = String(v).trim();
    return o;
  }

  function setSession(s) {
    state.user = s.user; state.role = s.role; state.csrf = s.csrfToken || null;
    $('#who-name').textContent = s.user;
    $('#who-role').textContent = s.role;
    $('#nav').hidden = false;
    $('#nav-toggle').hidden = false;
    document.body.classList.add('signed-in');
    $('#who').hidden = false;
    for (const a of document.querySelectorAll('#nav a[data-role]')) a.hidden = RANK[s.role] < RANK[a.dataset.role];
    for (const g of document.querySelectorAll('#nav .nav-group')) g.hidden = !g.querySelector('a:not([hidden])');
  }

  function clearSession() {
    state.user = state.role = state.csrf = null;
    $('#nav').hidden = true;
    $('#nav-toggle').hidden = true;
    document.body.classList.remove('signed-in');
    setMenu(false);
    $('#who').hidden = true;
  }

  // ---- views

  function showSetup() {
    clearSession();
    view.dataset.route = 'setup';
    mount('t-setup');
    const form = $('#setup-form');
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      const f = formData(form);
      if (f.password !== f.password2) {
        showErrors(form, { data: { errors: [{ field: 'password2', message: 'passwords differ' }] } });
        return;
      }
      const res = await api('POST', '/setup', { token: f.token, username: f.username, password: f.password });
      if (!res.ok) { showErrors(form, res); return; }
      await login(f.username, f.password, form);
    });
  }

  function showLogin() {
    clearSession();
    if (location.pathname !== '/login') history.replaceState(null, '', '/login');
    view.dataset.route = 'login';
    mount('t-login');
    const form = $('#login-form');
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      const f = formData(form);
      await login(f.username, f.password, form);
    });
  }

  async function login(username, password, form) {
    const res = await api('POST', '/session', { username, password });
    if (!res.ok) { showErrors(form, res); return; }
    setSession(res.data);
    history.replaceState(null, '', '/#/dashboard');
    route();
  }

  // ---- tunnel state: the API gives each tunnel its stateWord (UP, CONNECTING, WAITING, DOWN, FAILED, NO_ENGINE
  // from the daemon; ESTABLISHED and DISABLED from the in-memory backend) and its detail (the SPIs while up, the last
  // IKE error, the reason of FAILED); its state string joins both for scripts and is not read here.
  const UP_STATES = ['UP', 'ESTABLISHED'];

  function isUp(word) {
    return UP_STATES.includes(word);
  }

  // A badge for a state word (a tunnel's or an IKE SA's): class state-<word> (NO_ENGINE -> state-no-engine); a
  // detail goes in its title and as muted text beside it.
  function stateBadge(word, detail, id) {
    const w = String(word || 'UNKNOWN');
    const attrs = { class: 'badge state-' + w.toLowerCase().replace(/_/g, '-') };
    if (detail) attrs.title = detail;
    if (id) attrs.id = id;
    const badge = el('span', attrs, w);
    return detail ? el('span', { class: 'state' }, badge, el('span', { class: 'state-detail', title: detail }, detail))
      : badge;
  }

  function fmtBytes(n) {
    const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
    let i = 0;
    while (n >= 1024 && i < units.length - 1) { n /= 1024; i++; }
    return (i ? n.toFixed(1) : n) + ' ' + units[i];
  }

  // ---- live throughput: counters from the event stream (or, without it, from the 5 s poll) become rates,
  // the last HISTORY of them per tunnel drawn as an SVG sparkline.
  const HISTORY = 60;
  const SVG = 'http://www.w3.org/2000/svg';

  function addSample(tunnels, at) {
    for (const t of tunnels) {
      const h = state.rates[t.name] || (state.rates[t.name] = { last: null, points: [] });
      if (h.last && at > h.last.at) {
        const dt = (at - h.last.at) / 1000;
        // A restarted tunnel starts its counters again: no negative rate.
        h.points.push([Math.max(0, t.bytesIn - h.last.bytesIn) / dt, Math.max(0, t.bytesOut - h.last.bytesOut) / dt]);
        if (h.points.length > HISTORY) h.points.shift();
      }
      h.last = { at, bytesIn: t.bytesIn, bytesOut: t.bytesOut };
    }
  }

  function sparkline(points) {
    const w = 160, hgt = 34;
    const svg = document.createElementNS(SVG, 'svg');
    svg.setAttribute('viewBox', '0 0 ' + w + ' ' + hgt);
    svg.setAttribute('class', 'spark');
    svg.setAttribute('aria-hidden', 'true');
    const max = Math.max(1, ...points.map(p => Math.max(p[0], p[1])));
    for (const [i, cls] of [[0, 'in'], [1, 'out']]) {
      const line = document.createElementNS(SVG, 'polyline');
      line.setAttribute('class', cls);
      line.setAttribute('points', points.map((p, x) =>
        (w - (points.length - 1 - x) * w / (HISTORY - 1)).toFixed(1) + ',' + (hgt - 1 - p[i] / max * (hgt - 2)).toFixed(1))
        .join(' '));
      svg.append(line);
    }
    return svg;
  }

  function drawRates() {
    for (const row of document.querySelectorAll('#tunnels tr[data-tunnel]')) {
      const h = state.rates[row.dataset.tunnel];
      const last = h && h.points.length ? h.points[h.points.length - 1] : null;
      row.querySelector('.rate-in').textContent = last ? fmtBytes(Math.round(last[0])) + '/s' : '–';
      row.querySelector('.rate-out').textContent = last ? fmtBytes(Math.round(last[1])) + '/s' : '–';
      row.querySelector('.chart').replaceChildren(sparkline(h ? h.points : []));
    }
  }

  function openStream(g) {
    if (!window.EventSource) return;
    const es = new EventSource('/api/v1/status/stream');
    state.stream = es;
    es.addEventListener('open', () => { if (current(g)) $('#live').hidden = false; });
    es.addEventListener('message', (ev) => {
      if (!current(g)) return;
      const d = JSON.parse(ev.data);
      addSample(d.tunnels, d.at);
      drawRates();
    });
    // The server ends each stream after five minutes and EventSource reconnects by itself; a refusal (401)
    // closes it for good and the 5 s poll carries on alone (and sends a logged-out user to the login page).
    es.addEventListener('error', () => {
      if (!current(g)) return;
      $('#live').hidden = true;
      if (es.readyState === EventSource.CLOSED) state.stream = null;
    });
  }

  function streaming() {
    return state.stream !== null && state.stream.readyState === EventSource.OPEN;
  }

  async function showDashboard() {
    const g = mount('t-dashboard');
    const load = async () => {
      const res = await api('GET', '/status');
      if (!res.ok || !current(g)) return;
      const s = res.data;
      if (!streaming()) addSample(s.tunnels, Date.now());
      $('#s-up').textContent = s.tunnels.filter(t => isUp(t.stateWord)).length + ' / ' + s.tunnels.length;
      $('#s-clusters').textContent = s.clusters;
      $('#s-peers').textContent = s.peers;
      $('#s-rev').textContent = 'r' + s.revision;
      $('#no-tunnels').hidden = s.tunnels.length > 0;
      $('#tunnels').replaceChildren(...s.tunnels.map(t => el('tr', { 'data-tunnel': t.name },
        el('td', { class: 'strong' }, el('a', { href: '/#/tunnel/' + encodeURIComponent(t.name) }, t.name)),
        el('td', { class: 'state-cell' }, stateBadge(t.stateWord, t.detail)),
        el('td', { class: 'num' }, fmtBytes(t.bytesIn)),
        el('td', { class: 'num' }, fmtBytes(t.bytesOut)),
        el('td', { class: 'num rate' }, el('span', { class: 'rate-in' }), ' / ', el('span', { class: 'rate-out' })),
        el('td', { class: 'chart' }),
        el('td', { class: 'num' }, t.packetsIn + ' / ' + t.packetsOut),
        el('td', { class: 'num' + (t.drops ? ' warn' : '') }, t.drops),
        el('td', { class: 'row-actions' }, can('operator')
          ? el('button', { type: 'button', class: 'small', on: { click: () => restart(t.name) } }, 'Restart') : ''))));
      drawRates();
      $('#refreshed').textContent = 'updated ' + new Date().toLocaleTimeString();
    };
    state.rates = {};
    openStream(g);
    await load();
    state.timer = setInterval(load, 5000);
  }

  async function restart(name) {
    const res = await api('POST', '/status/tunnels/' + encodeURIComponent(name) + '/restart');
    toast(res.ok ? 'Restart of ' + name + ' requested' : (res.data && res.data.detail) || 'Failed', res.ok ? 'ok' : 'err');
  }

  // Config kinds shown as a list page plus a create/edit form: '#<kind>s' (table body), '#new-<kind>',
  // '#<kind>-form', '#<kind>-title' in templates t-<kind>s and t-<kind>-form.
  const dash = (v) => v || '–';
  const KINDS = {
    clusters: {
      one: 'cluster', fields: ['name', 'podCidr', 'serviceCidr', 'nodeCidr', 'description'],
      cells: (c) => [el('td', { class: 'strong' }, c.name), el('td', { class: 'mono' }, c.podCidr),
        el('td', { class: 'mono' }, c.serviceCidr), el('td', { class: 'mono' }, dash(c.nodeCidr)),
        el('td', { class: 'muted' }, c.description)]
    },
    peers: {
      one: 'peer', fields: ['name', 'address', 'localId', 'remoteId', 'auth', 'certificate', 'ca', 'ikeProposals',
        'description'],
      cells: (p) => [el('td', { class: 'strong' }, p.name), el('td', { class: 'mono' }, p.address),
        el('td', { class: 'mono' }, p.remoteId),
        el('td', {}, p.auth === 'certificate' ? 'certificate (' + p.certificate + ')' : 'PSK'),
        el('td', { class: 'muted' }, p.description)],
      prepare: preparePeerForm
    },
    connections: {
      one: 'connection', fields: ['name', 'peer', 'cluster', 'remoteCidr', 'espSuite', 'enabled'],
      choices: { peer: 'peers', cluster: 'clusters' },
      cells: (c) => [el('td', { class: 'strong' }, c.name), el('td', {}, c.peer), el('td', {}, c.cluster),
        el('td', { class: 'mono' }, c.remoteCidr), el('td', { class: 'mono' }, c.espSuite),
        el('td', {}, el('span', { class: 'badge state-' + (c.enabled ? 'enabled' : 'disabled') },
          c.enabled ? 'enabled' : 'disabled'))]
    }
  };

  async function showList(kind) {
    const k = KINDS[kind];
    const g = mount('t-' + kind);
    const res = await api('GET', '/' + kind);
    if (!res.ok || !current(g)) return;
    $('#no-' + kind).hidden = res.data.length > 0;
    $('#' + kind).replaceChildren(...res.data.map(item => el('tr', {}, ...k.cells(item),
      el('td', { class: 'row-actions' }, can('admin') ? el('span', {},
        el('a', { class: 'button small', href: '/#/' + kind + '/edit/' + encodeURIComponent(item.name),
          'aria-label': 'Edit ' + k.one + ' ' + item.name }, 'Edit'),
        el('button', { type: 'button', class: 'small danger', 'aria-label': 'Delete ' + k.one + ' ' + item.name,
          on: { click: () => deleteItem(kind, item.name) } }, 'Delete'))
        : ''))));
  }

  async function deleteItem(kind, name) {
    const one = KINDS[kind].one;
    if (!confirm('Delete ' + one + ' ' + name + '?')) return;
    const res = await api('DELETE', '/' + kind + '/' + encodeURIComponent(name));
    if (res.ok) { toast(one[0].toUpperCase() + one.substring(1) + ' ' + name + ' deleted'); showList(kind); }
    else toast((res.data && res.data.errors ? res.data.errors.map(e => e.message).join('; ') : res.data.detail)
      || 'Failed', 'err');
  }

  // The peer form: certificate/ca list our certificates by kind; the auth select shows either the PSK or the
  // certificate inputs and disables the others (a disabled input is not sent). The PSK is write-only: editing a
  // peer that has one leaves the input empty, and an empty PSK keeps the stored key.
  async function preparePeerForm(form, data) {
    const res = await api('GET', '/certificates');
    const certs = res.ok ? res.data : [];
    const fill = (select, kind) => select.replaceChildren(el('option', { value: '' }, '— choose —'),
      ...certs.filter(c => c.kind === kind).map(c => el('option', { value: c.name }, c.name)));
    fill(form.elements.certificate, 'GATEWAY');
    fill(form.elements.ca, 'CA');
    const toggle = () => {
      const cert = form.elements.auth.value === 'certificate';
      for (const l of form.querySelectorAll('.auth-psk')) { l.hidden = cert; l.querySelector('input').disabled = cert; }
      for (const l of form.querySelectorAll('.auth-certificate')) {
        l.hidden = !cert; l.querySelector('select').disabled = !cert;
      }
    };
    form.elements.auth.addEventListener('change', toggle);
    if (data && data.pskSet) {
      form.elements.psk.placeholder = 'unchanged';
      $('#psk-hint').textContent = '(a key is set; leave empty to keep it)';
    }
    return toggle;
  }

  // Fills a <select> with the names of another kind's items (a connection's peer and cluster).
  async function fillChoices(select, kind) {
    const res = await api('GET', '/' + kind);
    if (!res.ok) return;
    select.replaceChildren(el('option', { value: '' }, '— choose —'),
      ...res.data.map(i => el('option', { value: i.name }, i.name)));
  }

  async function showForm(kind, name) {
    const k = KINDS[kind];
    const g = mount('t-' + k.one + '-form');
    const form = $('#' + k.one + '-form');
    // The submit handler comes first (a submit while the choices or the item still load must not reload the
    // page) and the button stays disabled until the form holds what it edits.
    const submit = form.querySelector('button[type=submit]');
    submit.disabled = true;
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      if (submit.disabled) return;
      const f = formData(form);
      for (const input of form.querySelectorAll('input[type=checkbox]')) f[input.name] = input.checked;
      submit.disabled = true;
      const res = name ? await api('PUT', '/' + kind + '/' + encodeURIComponent(name), f)
        : await api('POST', '/' + kind, f);
      if (!current(g)) return;
      submit.disabled = false;
      if (!res.ok) {
        showErrors(form, res);
        const bad = form.querySelector('.invalid');
        if (bad) bad.focus();
        return;
      }
      toast(k.one[0].toUpperCase() + k.one.substring(1) + ' ' + f.name + (name ? ' saved' : ' created'));
      location.hash = '#/' + kind;
    });
    await Promise.all(Object.entries(k.choices || {}).map(([f, other]) => fillChoices(form.elements[f], other)));
    if (!current(g)) return;
    let data = null;
    if (name) {
      $('#' + k.one + '-title').textContent = 'Edit ' + k.one + ' ' + name;
      const res = await api('GET', '/' + kind + '/' + encodeURIComponent(name));
      if (!current(g)) return;
      if (!res.ok) { toast('No ' + k.one + ' ' + name, 'err'); location.hash = '#/' + kind; return; }
      data = res.data;
    }
    const ready = k.prepare ? await k.prepare(form, data) : null;
    if (!current(g)) return;
    if (data) {
      for (const f of k.fields) {
        const input = form.elements[f];
        if (input.type === 'checkbox') input.checked = !!data[f];
        else input.value = data[f];
      }
      form.elements.name.readOnly = true;
    }
    if (ready) ready();
    submit.disabled = false;
    form.elements.name.focus();
  }

  async function showRevisions() {
    const g = mount('t-revisions');
    const res = await api('GET', '/revisions');
    if (!res.ok || !current(g)) return;
    const head = res.data.length ? res.data[0].number : 0;
    $('#revisions').replaceChildren(...res.data.flatMap(r => {
      const diff = el('td', { colspan: '6', class: 'rev-diff' });
      const row = el('tr', { id: 'rev-diff-' + r.number, class: 'rev-diff-row', hidden: '' }, diff);
      const toggle = el('button', { type: 'button', class: 'small disclosure', 'aria-expanded': 'false',
        'aria-controls': row.id, title: 'What r' + r.number + ' changed' }, 'r' + r.number);
      toggle.addEventListener('click', () => toggleDiff(toggle, row, diff, r.number));
      return [el('tr', {},
        el('td', { class: 'num strong' }, toggle),
        el('td', {}, new Date(r.at).toLocaleString()),
        el('td', {}, r.author),
        el('td', {}, el('span', { class: 'badge' }, r.source)),
        el('td', {}, r.comment),
        el('td', { class: 'row-actions' }, can('admin') && r.number !== head
          ? el('button', { type: 'button', class: 'small', on: { click: () => rollback(r.number) } }, 'Roll back to this')
          : '')), row];
    }));
  }

  // A revision's disclosure button: opens (and, the first time, fills from GET /revisions/{n}) the row under it
  // with what that revision changed; a failed fetch is shown and retried on the next opening.
  async function toggleDiff(toggle, row, cell, n) {
    const open = toggle.getAttribute('aria-expanded') !== 'true';
    toggle.setAttribute('aria-expanded', String(open));
    row.hidden = !open;
    if (!open || cell.dataset.loaded) return;
    const g = state.gen;
    cell.replaceChildren(el('p', { class: 'muted' }, 'Loading…'));
    const res = await api('GET', '/revisions/' + n);
    if (!current(g)) return;
    if (!res.ok) {
      cell.replaceChildren(el('p', { class: 'form-error' }, (res.data && res.data.detail) || 'Failed to load r' + n));
      return;
    }
    cell.dataset.loaded = 'true';
    cell.replaceChildren(revisionDiff(res.data.changes || []));
  }

  // Per item: added / removed / changed, and the fields that differ, before → after (an added item's are all new,
  // a removed item's all gone). Secrets are never in the API; its note (e.g. 'psk changed') says what it cannot show.
  function revisionDiff(changes) {
    if (!changes.length) return el('p', { class: 'muted' }, 'This revision changed no item.');
    return el('ul', { class: 'diff' }, ...changes.map(c => {
      const before = c.before || {}, after = c.after || {};
      const fields = [...new Set([...Object.keys(before), ...Object.keys(after)])]
        .filter(f => f !== 'name' && JSON.stringify(before[f]) !== JSON.stringify(after[f]));
      const one = KINDS[c.kind] ? KINDS[c.kind].one : c.kind;
      return el('li', { class: 'diff-item diff-' + c.change },
        el('div', { class: 'diff-head' }, el('span', { class: 'badge diff-' + c.change }, c.change), ' ',
          el('span', { class: 'muted' }, one), ' ', el('span', { class: 'strong' }, c.name),
          c.note ? el('span', { class: 'muted diff-note' }, ' — ' + c.note) : ''),
        fields.length ? el('table', { class: 'grid diff-fields' },
          el('thead', {}, el('tr', {}, el('th', {}, 'Field'), el('th', {}, 'Before'), el('th', {}, 'After'))),
          el('tbody', {}, ...fields.map(f => el('tr', { 'data-field': f },
            el('th', { scope: 'row' }, f),
            el('td', { class: 'mono' }, c.change === 'added' ? '' : el('del', {}, fieldValue(before[f]))),
            el('td', { class: 'mono' }, c.change === 'removed' ? '' : el('ins', {}, fieldValue(after[f]))))))) : '');
    }));
  }

  function fieldValue(v) {
    if (v === undefined || v === null || v === '') return '(empty)';
    return typeof v === 'string' ? v : JSON.stringify(v);
  }

  async function rollback(n) {
    if (!confirm('Restore the configuration of revision r' + n + ' as a new revision?')) return;
    const res = await api('POST', '/revisions/' + n + '/rollback');
    toast(res.ok ? 'Rolled back to r' + n + ' (now r' + res.data.number + ')' : (res.data && res.data.detail) || 'Failed',
      res.ok ? 'ok' : 'err');
    showRevisions();
  }

  function stopRefresh() {
    if (state.timer) { clearInterval(state.timer); state.timer = null; }
    if (state.stream) { state.stream.close(); state.stream = null; }
  }

  // Shows the page of the hash. #view's data-route then names what it shows ('clusters', 'clusters/new',
  // 'tunnel/<name>', 'dashboard' for anything unknown; 'login' and 'setup' outside): every view mounts before its
  // first await, so the browser tests wait for that attribute instead of guessing when a page is there.
  function route() {
    if (!state.user) return;
    setMenu(false);
    const h = location.hash.replace(/^#\/?/, '');
    const [kind, action, ...rest] = h.split('/');
    const page = PAGES[kind];
    view.dataset.route = h;
    if (page) {
      for (const a of document.querySelectorAll('#nav a')) markActive(a, a.dataset.view === kind);
      page(action === undefined ? [] : [action, ...rest].map(decodeURIComponent));
    } else if (KINDS[kind] && !action) showList(kind);
    else if (KINDS[kind] && action === 'new') showForm(kind, null);
    else if (KINDS[kind] && action === 'edit') showForm(kind, decodeURIComponent(rest.join('/')));
    else if (h === 'revisions') showRevisions();
    else { view.dataset.route = 'dashboard'; showDashboard(); }
  }

  async function boot() {
    $('#logout').addEventListener('click', async () => {
      await api('DELETE', '/session');
      showLogin();
    });
    window.addEventListener('hashchange', route);
    $('#nav-toggle').addEventListener('click', () => {
      const open = $('#nav-toggle').getAttribute('aria-expanded') !== 'true';
      setMenu(open);
      // Opened, focus goes to the current page's link (else the first): the menu is next in the Tab order.
      if (open) ($('#nav a.active:not([hidden])') || $('#nav a:not([hidden])')).focus();
    });
    // A click on the link of the page already shown changes no hash: close the menu here too.
    $('#nav').addEventListener('click', (ev) => { if (ev.target.closest('a')) setMenu(false); });
    document.addEventListener('keydown', (ev) => {
      if (ev.key === 'Escape' && $('#nav').classList.contains('open')) {
        setMenu(false);
        $('#nav-toggle').focus();
      }
    });
    const setup = await api('GET', '/setup');
    if (setup.ok && setup.data.required) {
      if (location.pathname !== '/setup') history.replaceState(null, '', '/setup');
      showSetup();
      return;
    }
    const s = await api('GET', '/session');
    if (s.ok && s.data.authenticated) {
      setSession(s.data);
      if (location.pathname !== '/') history.replaceState(null, '', '/' + (location.hash || '#/dashboard'));
      route();
    } else {
      showLogin();
    }
  }

  // ---- page modules: /pages/*.js (loaded by index.html after this file) call EG.page(name, show) to own
  // #/name[/args...]; show(args) builds its view with EG.mount(node, name). Everything a page needs is on EG.
  const PAGES = {};
  window.EG = Object.freeze({
    api, el, mount, current, can, toast, showErrors, formData, fmtBytes, stopRefresh, stateBadge, isUp,
    state: () => ({ user: state.user, role: state.role }),
    page: (name, show) => { PAGES[name] = show; },
    setTimer: (fn, ms) => { state.timer = setInterval(fn, ms); }
  });

  document.addEventListener('DOMContentLoaded', boot);
})();
