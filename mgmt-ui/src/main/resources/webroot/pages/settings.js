// Settings page (#/settings): interface roles, data plane and logging; admins save them whole (one revision).
(function () {
  'use strict';
  const { api, el, mount, current, can, toast, showErrors } = window.EG;

  const options = (values, chosen) => values.map(v => {
    const o = el('option', { value: v }, v);
    if (v === chosen) o.selected = true;
    return o;
  });
  const slot = (name) => el('span', { class: 'field-error', 'data-error-for': name });

  function nicRow(list, nic) {
    const i = list.children.length;
    const row = el('div', { class: 'nic-row', 'data-nic': '' },
      el('label', {}, 'Interface', el('input', { name: 'interfaces[' + i + '].name', value: nic.name,
        placeholder: 'eth0', spellcheck: 'false' }), slot('interfaces[' + i + '].name')),
      el('label', {}, 'Role', el('select', { name: 'interfaces[' + i + '].role' },
        ...options(['wan', 'lan', 'mgmt'], nic.role)), slot('interfaces[' + i + '].role')),
      el('button', { type: 'button', class: 'small ghost', on: { click: () => row.remove() } }, 'Remove'));
    list.append(row);
  }

  async function show() {
    const res = await api('GET', '/settings');
    const s = res.ok ? res.data : null;
    const list = el('div', { id: 'nics' });
    const form = el('form', { id: 'settings-form', novalidate: '' },
      el('h2', {}, 'Interfaces'), list,
      el('button', { type: 'button', class: 'small', id: 'add-nic', on: { click: () => nicRow(list, { name: '', role: 'lan' }) } },
        'Add interface'),
      el('h2', {}, 'Data plane'),
      el('label', {}, 'Backend', el('select', { name: 'backend' }, ...options(['tun', 'dpdk'], s && s.dataPlane.backend)),
        slot('dataPlane.backend')),
      el('label', {}, el('span', {}, 'Workers', el('span', { class: 'hint' }, ' (0: one per core)')),
        el('input', { name: 'workers', type: 'number', min: '0', max: '256', value: s ? s.dataPlane.workers : 0 }),
        slot('dataPlane.workers')),
      el('h2', {}, 'Logging'),
      el('label', {}, 'Level', el('select', { name: 'level' },
        ...options(['error', 'warning', 'info', 'debug', 'trace'], s && s.logging.level)), slot('logging.level')),
      el('label', {}, el('span', {}, 'Status line every', el('span', { class: 'hint' }, ' (seconds, 0: never)')),
        el('input', { name: 'statusInterval', type: 'number', min: '0', value: s ? s.logging.statusInterval : 5 }),
        slot('logging.statusInterval')),
      el('p', { class: 'form-error', 'data-error-for': '_' }),
      el('div', { class: 'actions' }, can('admin') ? el('button', { type: 'submit', class: 'primary' }, 'Save') : ''));
    const g = mount(el('section', { class: 'card' }, el('h1', {}, 'Settings'), form), 'settings');
    // The handler first: even a form that failed to load must not submit itself the browser's way.
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      if (!s) return;
      const body = {
        interfaces: [...list.querySelectorAll('[data-nic]')].map(r => ({
          name: r.querySelector('input').value.trim(), role: r.querySelector('select').value })),
        dataPlane: { backend: form.elements.backend.value, workers: Number(form.elements.workers.value) },
        logging: { level: form.elements.level.value, statusInterval: Number(form.elements.statusInterval.value) }
      };
      const out = await api('PUT', '/settings', body);
      if (!out.ok) { showErrors(form, out); return; }
      toast('Settings saved');
      show();
    });
    if (!s || !current(g)) return;
    for (const nic of s.interfaces) nicRow(list, nic);
  }

  window.EG.page('settings', show);
})();
