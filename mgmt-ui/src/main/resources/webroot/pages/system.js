// edgegw admin panel, #/system: the running firmware (version, A/B slots, trial boot), the hardware profile and
// its warnings, the panel's HTTPS certificate with its replacement by upload (admin: certificate + key PEM files,
// PUT /api/v1/system/tls), a signed-bundle upload (admin) and the reboot (admin). The bundle goes as the raw
// application/octet-stream body of POST /api/v1/system/update, with the session's CSRF token.
'use strict';

(function () {
  const { el } = EG;

  function row(label, ...value) {
    return el('tr', {}, el('th', {}, label), el('td', {}, ...value));
  }

  function list(items) {
    return items && items.length ? items.join(', ') : '—';
  }

  // XMLHttpRequest rather than fetch: it reports upload progress.
  function upload(file, csrf, onProgress) {
    return new Promise((resolve) => {
      const x = new XMLHttpRequest();
      x.open('POST', '/api/v1/system/update');
      x.setRequestHeader('Content-Type', 'application/octet-stream');
      x.setRequestHeader('Accept', 'application/json');
      if (csrf) x.setRequestHeader('X-CSRF-Token', csrf);
      x.upload.addEventListener('progress', (e) => { if (e.lengthComputable) onProgress(e.loaded, e.total); });
      x.addEventListener('load', () => {
        let data = null;
        try { data = JSON.parse(x.responseText); } catch (e) { data = { detail: x.responseText }; }
        resolve({ status: x.status, ok: x.status >= 200 && x.status < 300, data });
      });
      x.addEventListener('error', () => resolve({ status: 0, ok: false, data: { detail: 'the upload broke off' } }));
      x.send(file);
    });
  }

  // The panel's own HTTPS certificate; an admin replaces it with a PEM chain and key (new connections get it).
  function tlsCard(t) {
    const card = el('section', { class: 'card', id: 'tls' }, el('h2', {}, 'HTTPS certificate'));
    if (!t.ok) {
      card.append(el('p', { class: 'danger' }, (t.data && t.data.detail) || 'unavailable'));
      return card;
    }
    const c = t.data;
    const pemFile = (name) => el('input', { type: 'file', name, accept: '.pem,.crt,.key', required: '' });
    const fieldFor = (label, name) => el('label', {}, el('span', {}, label), pemFile(name),
      el('span', { class: 'field-error', 'data-error-for': name }));
    const form = el('form', { id: 'tls-form', class: 'admin-only', novalidate: '' },
      fieldFor('Certificate (PEM, chain allowed, leaf first)', 'certificatePem'),
      fieldFor('Private key (PEM, not encrypted)', 'privateKeyPem'),
      el('p', { class: 'form-error', 'data-error-for': '_' }),
      el('div', { class: 'actions' }, el('button', { type: 'submit', class: 'primary' }, 'Replace certificate')));
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      const [cert, key] = ['certificatePem', 'privateKeyPem'].map((n) => form.elements[n].files[0]);
      const res = await EG.api('PUT', '/system/tls', {
        certificatePem: cert ? await cert.text() : '', privateKeyPem: key ? await key.text() : '' });
      if (!res.ok) { EG.showErrors(form, res); return; }
      EG.toast('Certificate replaced: new connections use it (the browser may ask to trust it again)', 'ok');
      show();
    });
    card.append(el('table', { class: 'kv', id: 'tls-info' },
      row('Subject', c.subject), row('Issuer', c.issuer + (c.selfSigned ? ' (self-signed)' : '')),
      row('Names', list(c.subjectAltNames)), row('Valid', c.notBefore + ' to ' + c.notAfter),
      row('Key', c.keyType || '—'), row('SHA-256', el('span', { class: 'mono' }, c.sha256))), form);
    return card;
  }

  async function show() {
    const card = el('section', { class: 'card' }, el('h1', {}, 'System'), el('p', { class: 'muted' }, 'Loading…'));
    const g = EG.mount(el('div', {}, card), 'system');
    const [sys, upd, tls] = await Promise.all([EG.api('GET', '/system'), EG.api('GET', '/system/update'),
      EG.api('GET', '/system/tls')]);
    if (!EG.current(g)) return;
    if (!sys.ok) {
      card.replaceChildren(el('h1', {}, 'System'), el('p', { class: 'danger' }, (sys.data && sys.data.detail) || 'unavailable'));
      return;
    }
    const s = sys.data;
    const hw = s.hardware;
    const cpu = hw.cpuFeatures || {};
    const warnings = el('ul', { class: 'warnings', id: 'hw-warnings' },
      ...(hw.warnings || []).map((w) => el('li', { class: 'warn' }, w)));
    const slots = el('table', { class: 'grid', id: 'slots' },
      el('thead', {}, el('tr', {}, el('th', {}, 'Slot'), el('th', {}, 'State'), el('th', {}, 'Version'))),
      el('tbody', {}, ...s.slots.map((x) => el('tr', {}, el('td', { class: 'strong' }, x.name),
        el('td', {}, el('span', { class: 'badge' }, x.state)), el('td', {}, x.version || '—')))));

    const info = el('section', { class: 'card' }, el('h1', {}, 'System'),
      el('table', { class: 'kv', id: 'system-info' },
        row('Version', s.version), row('Active slot', s.activeSlot),
        row('Trial boot', s.trial.state + (s.trial.detail ? ' — ' + s.trial.detail : '')),
        row('Data plane', s.dataPlane), row('Uptime', Math.round(s.uptimeSeconds / 60) + ' min')),
      slots);
    const profile = el('section', { class: 'card' }, el('h2', {}, 'Hardware profile'),
      el('table', { class: 'kv', id: 'hw-profile' },
        row('Profile', hw.profile || '—', hw.description ? el('span', { class: 'muted' }, ' ' + hw.description) : ''),
        row('Matched by', hw.matchedBy || '—'),
        row('CPU features expected', list(cpu.expected)), row('found', list(cpu.found)),
        row('missing', el('span', { class: cpu.missing && cpu.missing.length ? 'warn' : '' }, list(cpu.missing))),
        row('Backend / workers', hw.backend + ' / ' + (hw.workers || 'auto')), row('Watchdog', hw.watchdog)),
      warnings);

    const message = el('p', { id: 'update-message', class: 'muted', role: 'status' },
      upd.ok ? upd.data.state + ': ' + upd.data.message : '');
    const file = el('input', { type: 'file', name: 'bundle', accept: '.bundle', required: '' });
    const progress = el('progress', { max: '100', value: '0', hidden: '' });
    const send = el('button', { type: 'submit' }, 'Upload and install');
    const form = el('form', { id: 'update-form', class: 'admin-only' },
      el('label', {}, 'Signed update bundle (edgegw-<version>.bundle) ', file), send, progress);
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      if (!file.files.length) return;
      send.disabled = true; send.textContent = 'Uploading…'; progress.hidden = false;
      const session = await EG.api('GET', '/session');
      const res = await upload(file.files[0], session.ok ? session.data.csrfToken : null, (done, total) => {
        progress.value = String(Math.floor(100 * done / total));
        message.textContent = 'uploading ' + EG.fmtBytes(done) + ' of ' + EG.fmtBytes(total);
      });
      send.disabled = false; send.textContent = 'Upload and install'; progress.hidden = true;
      message.className = res.ok ? '' : 'danger';
      message.textContent = !res.ok ? (res.data && res.data.detail) || ('HTTP ' + res.status)
        : res.data.message + (res.data.state === 'installed' ? ' — press Reboot to try it once'
          : ' — being written; reload this page to follow it, then press Reboot');
      EG.toast(res.ok ? 'Bundle accepted' : 'Update refused', res.ok ? 'ok' : 'err');
    });
    const reboot = el('button', { type: 'button', id: 'reboot', class: 'admin-only danger' }, 'Reboot');
    reboot.addEventListener('click', async () => {
      if (!window.confirm('Reboot the appliance now? Tunnels go down until it is back.')) return;
      reboot.disabled = true;
      const r = await EG.api('POST', '/system/reboot', {});
      reboot.disabled = false;
      EG.toast(r.ok ? r.data.message : (r.data && r.data.detail) || 'reboot refused', r.ok ? 'ok' : 'err');
    });
    const updates = el('section', { class: 'card' }, el('h2', {}, 'Firmware update'),
      s.updates.available ? '' : el('p', { class: 'warn' }, s.updates.reason),
      message, form, el('p', {}, reboot));

    EG.mount(el('div', {}, info, profile, tlsCard(tls), updates), 'system');
  }

  EG.page('system', show);
})();
