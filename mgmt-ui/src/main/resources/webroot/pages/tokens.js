// API tokens page (#/tokens): your tokens (an admin sees everybody's), create one (its secret is shown once,
// with a copy button), revoke.
'use strict';

(function () {
  const { api, el, mount, current, toast, showErrors, formData, can } = window.EG;
  const ROLES = ['viewer', 'operator', 'admin'];

  async function revoke(t) {
    if (!confirm('Revoke token ' + t.name + ' of ' + t.owner + '? Scripts using it stop working at once.')) return;
    const res = await api('DELETE', '/tokens/' + encodeURIComponent(t.id));
    if (res.ok) { toast('Token ' + t.name + ' revoked'); list(); }
    else toast((res.data && res.data.detail) || 'Failed', 'err');
  }

  async function copy(text, button) {
    try {
      await navigator.clipboard.writeText(text);
      button.textContent = 'Copied';
    } catch (e) {
      // No clipboard access (e.g. permissions): select the text so that Ctrl-C copies it.
      const range = document.createRange();
      range.selectNodeContents(document.getElementById('token-secret'));
      const sel = window.getSelection();
      sel.removeAllRanges();
      sel.addRange(range);
      button.textContent = 'Selected: press Ctrl-C';
    }
  }

  // The secret, once: it is not kept by the server (only its SHA-256) and leaves the page with this view.
  function showSecret(box, secret) {
    const button = el('button', { type: 'button', class: 'small', id: 'copy-secret' }, 'Copy');
    button.addEventListener('click', () => copy(secret, button));
    box.replaceChildren(el('p', { class: 'strong' }, 'Copy this token now: it is not shown again.'),
      el('p', {}, el('code', { id: 'token-secret', class: 'mono secret' }, secret), ' ', button));
    box.hidden = false;
  }

  let tbody = null;
  let gen = 0;

  async function list() {
    const res = await api('GET', '/tokens');
    if (!res.ok || !current(gen)) return;
    document.getElementById('no-tokens').hidden = res.data.length > 0;
    tbody.replaceChildren(...res.data.map(t => el('tr', { 'data-token': t.id },
      el('td', { class: 'strong' }, t.name), el('td', {}, t.owner), el('td', {}, el('span', { class: 'badge' }, t.role)),
      el('td', {}, new Date(t.created).toLocaleString()),
      el('td', { class: 'row-actions' }, el('button', { type: 'button', class: 'small danger',
        'aria-label': 'Revoke token ' + t.name, on: { click: () => revoke(t) } }, 'Revoke')))));
  }

  function show() {
    tbody = el('tbody', { id: 'tokens' });
    const roles = el('select', { name: 'role' }, ...ROLES.filter(r => can(r)).map(r => el('option', { value: r }, r)));
    const form = el('form', { id: 'token-form', novalidate: '' },
      el('label', {}, 'Name', el('input', { name: 'name', placeholder: 'ci-pipeline', spellcheck: 'false', required: '' }),
        el('span', { class: 'field-error', 'data-error-for': 'name' })),
      el('label', {}, 'Role', roles, el('span', { class: 'field-error', 'data-error-for': 'role' })),
      el('p', { class: 'form-error', 'data-error-for': '_' }),
      el('div', { class: 'actions' }, el('button', { type: 'submit', class: 'primary' }, 'Create token')));
    const secretBox = el('div', { id: 'new-token', class: 'card' });
    secretBox.hidden = true;
    gen = mount(el('section', {},
      el('div', { class: 'page-head' }, el('h1', {}, 'API tokens')),
      el('p', { class: 'muted' }, 'Send a token as Authorization: Bearer … (gatewayctl --token). Its role is never more ' +
        'than its owner\'s.'),
      secretBox,
      el('div', { class: 'card' }, el('table', { class: 'grid' },
        el('thead', {}, el('tr', {}, el('th', {}, 'Name'), el('th', {}, 'Owner'), el('th', {}, 'Role'),
          el('th', {}, 'Created'), el('th', {}))), tbody),
        el('p', { class: 'empty', id: 'no-tokens', hidden: '' }, 'No tokens yet.')),
      el('div', { class: 'card narrow' }, el('h2', {}, 'New token'), form)), 'tokens');
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      const f = formData(form);
      const res = await api('POST', '/tokens', { name: f.name, role: f.role });
      if (!res.ok) { showErrors(form, res); return; }
      form.reset();
      showSecret(secretBox, res.data.secret);
      list();
    });
    list();
  }

  window.EG.page('tokens', show);
})();
