// Log tail (#/logs, operator): the appliance's last log records with a level and a text filter; new records are
// fetched every 2 s with since=<last seq> while auto-refresh is on.
'use strict';

(function () {
  const { el } = EG;
  const KEEP = 1000; // rows on the page

  function show() {
    if (!EG.can('operator')) {
      EG.mount(el('section', {}, el('h1', {}, 'Logs'), el('p', { class: 'empty' },
        'The log tail needs the operator role (log lines name addresses and identities).')), 'logs');
      return;
    }
    const level = el('select', { name: 'level', id: 'log-level' },
      ...['trace', 'debug', 'info', 'warning', 'error'].map((l) => el('option', { value: l }, l)));
    level.value = 'info';
    const text = el('input', { name: 'q', id: 'log-q', placeholder: 'text in the message', spellcheck: 'false' });
    const auto = el('input', { type: 'checkbox', id: 'log-auto', checked: 'checked' });
    const rows = el('tbody', { id: 'log-rows' });
    const empty = el('p', { class: 'empty', id: 'no-logs', hidden: 'hidden' }, 'No records match.');
    const root = el('section', {},
      el('div', { class: 'page-head' }, el('h1', {}, 'Logs'),
        el('form', { class: 'filters', id: 'log-filters' }, el('label', {}, 'Level ', level), el('label', {}, 'Text ', text),
          el('label', { class: 'check' }, auto, ' auto-refresh'))),
      el('div', { class: 'card' }, el('table', { class: 'grid logs' },
        el('thead', {}, el('tr', {}, el('th', {}, 'Time'), el('th', {}, 'Level'), el('th', {}, 'Logger'), el('th', {}, 'Message'))),
        rows), empty));
    const g = EG.mount(root, 'logs');
    let since = 0;
    const row = (r) => el('tr', { class: 'log-' + r.level.toLowerCase() },
      el('td', { class: 'mono nowrap' }, new Date(r.at).toLocaleTimeString()),
      el('td', {}, r.level), el('td', { class: 'mono' }, r.logger.replace(/^.*\./, '')),
      el('td', { class: 'mono wrap' }, r.message));
    const load = async (reset) => {
      if (reset) { since = 0; rows.replaceChildren(); }
      const q = new URLSearchParams({ level: level.value, limit: '500' });
      if (text.value) q.set('q', text.value);
      if (since) q.set('since', String(since));
      const res = await EG.api('GET', '/logs?' + q);
      if (!EG.current(g) || !res.ok) return;
      for (const r of res.data) { rows.append(row(r)); since = Math.max(since, r.seq); }
      while (rows.children.length > KEEP) rows.firstChild.remove();
      empty.hidden = rows.children.length > 0;
    };
    level.addEventListener('change', () => load(true));
    let typing;
    text.addEventListener('input', () => { clearTimeout(typing); typing = setTimeout(() => load(true), 300); });
    root.querySelector('form').addEventListener('submit', (e) => { e.preventDefault(); load(true); });
    load(true);
    EG.setTimer(() => { if (auto.checked) load(false); }, 2000);
  }

  EG.page('logs', show);
})();
