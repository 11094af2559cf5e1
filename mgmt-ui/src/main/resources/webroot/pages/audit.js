// Audit log (#/audit, admins): who did what, from where, newest first.
'use strict';

(function () {
  const { api, el, mount, current } = window.EG;

  async function show(args) {
    const limit = args && args[0] === 'all' ? 10000 : 200;
    const tbody = el('tbody', { id: 'audit' });
    const g = mount(el('section', {},
      el('div', { class: 'page-head' }, el('h1', {}, 'Audit log'),
        limit === 200 ? el('a', { class: 'button small', href: '/#/audit/all' }, 'Show up to 10 000') : ''),
      el('div', { class: 'card' }, el('table', { class: 'grid' },
        el('thead', {}, el('tr', {}, el('th', {}, 'When'), el('th', {}, 'Who'), el('th', {}, 'Action'),
          el('th', {}, 'Target'), el('th', {}, 'From'), el('th', {}, 'Detail'))), tbody))), 'audit');
    const res = await api('GET', '/audit?limit=' + limit);
    if (!res.ok || !current(g)) return;
    tbody.replaceChildren(...res.data.map(e => el('tr', {},
      el('td', {}, new Date(e.at).toLocaleString()), el('td', { class: 'strong' }, e.actor),
      el('td', {}, el('span', { class: 'badge' + (e.action.endsWith('failed') || e.action.endsWith('throttled')
        ? ' state-down' : '') }, e.action)),
      el('td', { class: 'mono' }, e.target), el('td', { class: 'mono' }, e.source), el('td', { class: 'muted' }, e.detail))));
  }

  window.EG.page('audit', show);
})();
