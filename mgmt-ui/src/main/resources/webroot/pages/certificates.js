// Certificates page (#/certificates): the configuration's CAs and gateway certificates; admins create a CA,
// issue from it, make a key + CSR and upload the signed certificate, import PEM or PKCS#12, delete. Private keys
// are made on the device and never come back: downloads are the certificate (or the CSR) only.
(function () {
  'use strict';
  const { api, el, mount, current, can, toast, showErrors, formData } = window.EG;

  const field = (label, input, name, hint) => el('label', {},
    el('span', {}, label, hint ? el('span', { class: 'hint' }, ' (' + hint + ')') : ''), input,
    el('span', { class: 'field-error', 'data-error-for': name }));
  const input = (name, attrs) => el('input', Object.assign({ name, spellcheck: 'false' }, attrs || {}));
  const select = (name, options) => el('select', { name }, ...options.map(([v, t]) => el('option', { value: v }, t)));
  const fileInput = (name) => el('input', { type: 'file', name, 'data-file': name });

  function form(id, title, fields, submit, onSubmit) {
    const f = el('form', { id, novalidate: '' }, ...fields, el('p', { class: 'form-error', 'data-error-for': '_' }),
      el('div', { class: 'actions' }, el('button', { type: 'submit', class: 'primary' }, submit)));
    f.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      const res = await onSubmit(f);
      if (!res) return;
      if (!res.ok) { showErrors(f, res); return; }
      toast(title + ': done');
      show([]);
    });
    return el('section', { class: 'card' }, el('h2', {}, title), f);
  }

  // A chosen file as text (PEM) or as base64 (PKCS#12).
  function readFile(file, binary) {
    return new Promise((resolve, reject) => {
      const r = new FileReader();
      r.onload = () => resolve(binary ? String(r.result).replace(/^data:[^,]*,/, '') : String(r.result));
      r.onerror = () => reject(r.error);
      if (binary) r.readAsDataURL(file); else r.readAsText(file);
    });
  }

  function row(c) {
    const base = '/api/v1/certificates/' + encodeURIComponent(c.name);
    return el('tr', { 'data-certificate': c.name },
      el('td', { class: 'strong' }, c.name),
      el('td', {}, el('span', { class: 'badge' }, c.kind)),
      el('td', { class: 'mono' }, c.subject),
      el('td', { class: 'mono' }, c.selfSigned ? (c.kind === 'CA' ? 'self-signed' : 'awaiting signed certificate')
        : c.issuer),
      el('td', { class: 'mono' }, c.subjectAltNames.join(', ')),
      el('td', {}, new Date(c.notAfter).toLocaleDateString()),
      el('td', {}, c.hasKey ? 'on device' : '–'),
      el('td', {}, c.usedBy.join(', ')),
      el('td', { class: 'row-actions' },
        el('a', { class: 'button small', href: base + '/pem', download: c.name + '.pem' }, 'Download'),
        c.kind === 'GATEWAY' && c.hasKey
          ? el('a', { class: 'button small', href: base + '/csr', download: c.name + '.csr' }, 'CSR') : '',
        can('admin') ? el('button', { type: 'button', class: 'small danger', 'aria-label': 'Delete certificate ' + c.name,
          on: { click: () => remove(c.name) } }, 'Delete') : ''));
  }

  async function remove(name) {
    if (!confirm('Delete certificate ' + name + '?')) return;
    const res = await api('DELETE', '/certificates/' + encodeURIComponent(name));
    if (res.ok) { toast('Certificate ' + name + ' deleted'); show([]); } else {
      toast((res.data && res.data.errors ? res.data.errors.map(e => e.message).join('; ') : res.data && res.data.detail)
        || 'Failed', 'err');
    }
  }

  function adminForms(certs) {
    const cas = certs.filter(c => c.kind === 'CA' && c.hasKey).map(c => [c.name, c.name]);
    const pending = certs.filter(c => c.kind === 'GATEWAY' && c.hasKey).map(c => [c.name, c.name]);
    const csrOut = el('pre', { class: 'mono', id: 'csr-out', hidden: '' });
    return [
      form('ca-form', 'Generate a CA', [field('Name', input('name', { placeholder: 'onprem-ca' }), 'name'),
        field('Common name', input('commonName', { placeholder: 'edgegw on-prem CA' }), 'commonName'),
        field('Valid for days', input('days', { type: 'number', value: '3650' }), 'days')], 'Generate',
      (f) => { const d = formData(f); d.days = Number(d.days); return api('POST', '/certificates/ca', d); }),
      form('issue-form', 'Issue a gateway certificate', [field('Name', input('name', { placeholder: 'gw' }), 'name'),
        field('CA', select('ca', [['', '— choose —'], ...cas]), 'ca', 'one of ours, with its key'),
        field('Common name', input('commonName', { placeholder: 'gw.onprem.example' }), 'commonName'),
        field('Subject alternative names', input('subjectAltNames', { placeholder: 'gw.onprem.example, 192.0.2.1' }),
          'subjectAltNames', 'the IKE identities it proves'),
        field('Valid for days', input('days', { type: 'number', value: '365' }), 'days'),
        field('Key', select('keyType', [['ecdsa-p256', 'ECDSA P-256'], ['rsa-2048', 'RSA 2048'], ['ed25519', 'Ed25519']]),
          'keyType')], 'Issue',
      (f) => { const d = formData(f); d.days = Number(d.days); return api('POST', '/certificates/issue', d); }),
      form('csr-form', 'Key and signing request for an external CA', [
        field('Name', input('name', { placeholder: 'gw-ext' }), 'name'),
        field('Common name', input('commonName', { placeholder: 'gw.onprem.example' }), 'commonName'),
        field('Subject alternative names', input('subjectAltNames'), 'subjectAltNames'), csrOut], 'Make key and CSR',
      async (f) => {
        const res = await api('POST', '/certificates/csr', formData(f));
        if (res.ok) { csrOut.textContent = res.data.csr; csrOut.hidden = false; toast('CSR ready: have it signed'); }
        return res.ok ? null : res;
      }),
      form('signed-form', 'Upload the signed certificate for a key', [
        field('Certificate', select('name', [['', '— choose —'], ...pending]), 'name'),
        field('Signed certificate (PEM file)', fileInput('certificate'), 'certificate')], 'Upload',
      async (f) => {
        const file = f.elements.certificate.files[0];
        const pem = file ? await readFile(file, false) : '';
        return api('PUT', '/certificates/' + encodeURIComponent(f.elements.name.value || '-') + '/signed',
          { certificate: pem });
      }),
      form('import-form', 'Import', [field('Name', input('name'), 'name'),
        field('Kind', select('kind', [['', 'as the certificate says'], ['CA', 'CA'], ['GATEWAY', 'Gateway']]), 'kind'),
        field('Certificate (PEM file)', fileInput('certificate'), 'certificate'),
        field('Private key (PEM file)', fileInput('privateKey'), 'privateKey', 'ours only'),
        field('or PKCS#12 file', fileInput('pkcs12'), 'pkcs12'),
        field('PKCS#12 password', el('input', { name: 'password', type: 'password', autocomplete: 'off' }), 'password')],
      'Import', async (f) => {
        const body = { name: f.elements.name.value.trim() };
        if (f.elements.kind.value) body.kind = f.elements.kind.value;
        const [cert, key, p12] = ['certificate', 'privateKey', 'pkcs12'].map(n => f.elements[n].files[0]);
        if (p12) { body.pkcs12 = await readFile(p12, true); body.password = f.elements.password.value; }
        if (cert) body.certificate = await readFile(cert, false);
        if (key) body.privateKey = await readFile(key, false);
        return api('POST', '/certificates/import', body);
      })
    ];
  }

  async function show() {
    const body = el('tbody', { id: 'certificates' });
    const empty = el('p', { class: 'empty', id: 'no-certificates', hidden: '' }, 'No certificates yet.');
    const forms = el('div', { class: 'stack', id: 'certificate-forms' });
    const g = mount(el('section', {},
      el('div', { class: 'page-head' }, el('h1', {}, 'Certificates')),
      el('div', { class: 'card' }, el('table', { class: 'grid' },
        el('thead', {}, el('tr', {}, ...['Name', 'Kind', 'Subject', 'Issuer', 'Alternative names', 'Valid until',
          'Private key', 'Used by', ''].map(h => el('th', {}, h)))), body), empty),
      forms), 'certificates');
    const res = await api('GET', '/certificates');
    if (!res.ok || !current(g)) return;
    empty.hidden = res.data.length > 0;
    body.replaceChildren(...res.data.map(row));
    if (can('admin')) forms.replaceChildren(...adminForms(res.data));
  }

  window.EG.page('certificates', show);
})();
