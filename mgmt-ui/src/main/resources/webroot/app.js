// edgegw admin panel: one page, talks to /api/v1 with fetch(). No inline script anywhere (the CSP forbids it);
// state-changing calls carry the session's CSRF token in X-CSRF-Token.
'use strict';

(function () {
  const state = { user: null, role: null, csrf: null, timer: null, gen: 0 };
  const RANK = { viewer: 0, operator: 1, admin: 2 };
  const $ = (sel, root) => (root || document).querySelector(sel);
  const view = $('#view');

  async function api(method, path, body) {
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
  function mount(templateId) {
    stopRefresh();
    state.gen++;
    view.replaceChildren($('#' + templateId).content.cloneNode(true));
    for (const a of document.querySelectorAll('#nav a')) {
      a.classList.toggle('active', templateId.startsWith('t-' + a.dataset.view.replace(/s$/, '')));
    }
    for (const e of view.querySelectorAll('.admin-only')) e.hidden = !can('admin');
    return state.gen;
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
    for (const e of form.querySelectorAll('.invalid')) e.classList.remove('invalid');
    const d = res.data || {};
    const errors = d.errors || [];
    for (const err of errors) {
      const slot = form.querySelector('[data-error-for="' + CSS.escape(err.field) + '"]');
      const input = form.querySelector('[name="' + CSS.escape(err.field) + '"]');
      if (input) input.classList.add('invalid');
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
    $('#who').hidden = false;
  }

  function clearSession() {
    state.user = state.role = state.csrf = null;
    $('#nav').hidden = true;
    $('#who').hidden = true;
  }

  // ---- views

  function showSetup() {
    clearSession();
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

  function fmtBytes(n) {
    const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
    let i = 0;
    while (n >= 1024 && i < units.length - 1) { n /= 1024; i++; }
    return (i ? n.toFixed(1) : n) + ' ' + units[i];
  }

  async function showDashboard() {
    const g = mount('t-dashboard');
    const load = async () => {
      const res = await api('GET', '/status');
      if (!res.ok || !current(g)) return;
      const s = res.data;
      $('#s-up').textContent = s.tunnels.filter(t => t.state === 'ESTABLISHED').length + ' / ' + s.tunnels.length;
      $('#s-clusters').textContent = s.clusters;
      $('#s-peers').textContent = s.peers;
      $('#s-rev').textContent = 'r' + s.revision;
      $('#no-tunnels').hidden = s.tunnels.length > 0;
      $('#tunnels').replaceChildren(...s.tunnels.map(t => el('tr', {},
        el('td', { class: 'strong' }, t.name),
        el('td', {}, el('span', { class: 'badge state-' + t.state.toLowerCase() }, t.state)),
        el('td', { class: 'num' }, fmtBytes(t.bytesIn)),
        el('td', { class: 'num' }, fmtBytes(t.bytesOut)),
        el('td', { class: 'num' }, t.packetsIn + ' / ' + t.packetsOut),
        el('td', { class: 'num' + (t.drops ? ' warn' : '') }, t.drops),
        el('td', { class: 'row-actions' }, can('operator')
          ? el('button', { type: 'button', class: 'small', on: { click: () => restart(t.name) } }, 'Restart') : ''))));
      $('#refreshed').textContent = 'updated ' + new Date().toLocaleTimeString();
    };
    await load();
    state.timer = setInterval(load, 5000);
  }

  async function restart(name) {
    const res = await api('POST', '/status/tunnels/' + encodeURIComponent(name) + '/restart');
    toast(res.ok ? 'Restart of ' + name + ' requested' : (res.data && res.data.detail) || 'Failed', res.ok ? 'ok' : 'err');
  }

  async function showClusters() {
    const g = mount('t-clusters');
    const res = await api('GET', '/clusters');
    if (!res.ok || !current(g)) return;
    $('#no-clusters').hidden = res.data.length > 0;
    $('#clusters').replaceChildren(...res.data.map(c => el('tr', {},
      el('td', { class: 'strong' }, c.name),
      el('td', { class: 'mono' }, c.podCidr),
      el('td', { class: 'mono' }, c.serviceCidr),
      el('td', { class: 'mono' }, c.nodeCidr || '–'),
      el('td', { class: 'muted' }, c.description),
      el('td', { class: 'row-actions' }, can('admin') ? el('span', {},
        el('a', { class: 'button small', href: '/#/clusters/edit/' + encodeURIComponent(c.name) }, 'Edit'),
        el('button', { type: 'button', class: 'small danger', on: { click: () => deleteCluster(c.name) } }, 'Delete'))
        : ''))));
  }

  async function deleteCluster(name) {
    if (!confirm('Delete cluster ' + name + '?')) return;
    const res = await api('DELETE', '/clusters/' + encodeURIComponent(name));
    if (res.ok) { toast('Cluster ' + name + ' deleted'); showClusters(); }
    else toast((res.data && res.data.errors ? res.data.errors.map(e => e.message).join('; ') : res.data.detail)
      || 'Failed', 'err');
  }

  async function showClusterForm(name) {
    const g = mount('t-cluster-form');
    const form = $('#cluster-form');
    if (name) {
      $('#cluster-title').textContent = 'Edit cluster ' + name;
      const res = await api('GET', '/clusters/' + encodeURIComponent(name));
      if (!current(g)) return;
      if (!res.ok) { toast('No cluster ' + name, 'err'); location.hash = '#/clusters'; return; }
      for (const k of ['name', 'podCidr', 'serviceCidr', 'nodeCidr', 'description']) form.elements[k].value = res.data[k];
      form.elements.name.readOnly = true;
    }
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      const f = formData(form);
      const res = name ? await api('PUT', '/clusters/' + encodeURIComponent(name), f)
        : await api('POST', '/clusters', f);
      if (!res.ok) { showErrors(form, res); return; }
      toast('Cluster ' + f.name + (name ? ' saved' : ' created'));
      location.hash = '#/clusters';
    });
  }

  async function showRevisions() {
    const g = mount('t-revisions');
    const res = await api('GET', '/revisions');
    if (!res.ok || !current(g)) return;
    const head = res.data.length ? res.data[0].number : 0;
    $('#revisions').replaceChildren(...res.data.map(r => el('tr', {},
      el('td', { class: 'num strong' }, 'r' + r.number),
      el('td', {}, new Date(r.at).toLocaleString()),
      el('td', {}, r.author),
      el('td', {}, el('span', { class: 'badge' }, r.source)),
      el('td', {}, r.comment),
      el('td', { class: 'row-actions' }, can('admin') && r.number !== head
        ? el('button', { type: 'button', class: 'small', on: { click: () => rollback(r.number) } }, 'Roll back to this')
        : ''))));
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
  }

  function route() {
    if (!state.user) return;
    const h = location.hash.replace(/^#\/?/, '');
    if (h === 'clusters') showClusters();
    else if (h === 'clusters/new') showClusterForm(null);
    else if (h.startsWith('clusters/edit/')) showClusterForm(decodeURIComponent(h.substring(14)));
    else if (h === 'revisions') showRevisions();
    else showDashboard();
  }

  async function boot() {
    $('#logout').addEventListener('click', async () => {
      await api('DELETE', '/session');
      showLogin();
    });
    window.addEventListener('hashchange', route);
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

  boot();
})();
