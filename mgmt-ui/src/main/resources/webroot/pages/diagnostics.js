// Diagnostics (#/diagnostics, operator): ping through a tunnel from this gateway's address inside the
// connection's local networks, and show ping's output.
'use strict';

(function () {
  const { el } = EG;

  async function show() {
    if (!EG.can('operator')) {
      EG.mount(el('section', {}, el('h1', {}, 'Diagnostics'), el('p', { class: 'empty' },
        'Diagnostics need the operator role.')), 'diagnostics');
      return;
    }
    const connection = el('select', { name: 'connection', required: 'required' });
    const field = (label, input, name) => el('label', {}, label, input,
      el('span', { class: 'field-error', 'data-error-for': name }));
    const form = el('form', { id: 'ping-form', novalidate: 'novalidate' },
      field('Connection ', connection, 'connection'),
      field('Target address ', el('input', { name: 'target', placeholder: '10.96.1.10', spellcheck: 'false', required: 'required' }), 'target'),
      field('Source address (optional) ', el('input', { name: 'source', placeholder: 'picked in the local networks', spellcheck: 'false' }), 'source'),
      field('Count ', el('input', { name: 'count', type: 'number', min: '1', max: '10', value: '3' }), 'count'),
      el('p', { class: 'form-error', 'data-error-for': '_' }),
      el('div', { class: 'actions' }, el('button', { type: 'submit', class: 'primary', id: 'ping-run' }, 'Ping')));
    const summary = el('p', { id: 'ping-summary', class: 'muted' });
    const output = el('pre', { id: 'ping-output', class: 'output' });
    const root = el('section', {}, el('div', { class: 'page-head' }, el('h1', {}, 'Diagnostics')),
      el('div', { class: 'card narrow-left' }, el('h2', {}, 'Ping through a tunnel'), form),
      el('div', { class: 'card' }, el('h2', {}, 'Result'), summary, output));
    const g = EG.mount(root, 'diagnostics');
    // The handler before the connections load (a quick submit must not reload the page); the button waits for them.
    const run = form.querySelector('#ping-run');
    run.disabled = true;
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      if (run.disabled) return;
      const d = EG.formData(form);
      const body = { connection: d.connection, target: d.target, count: Number(d.count || 3) };
      if (d.source) body.source = d.source;
      summary.textContent = 'running…';
      output.textContent = '';
      const r = await EG.api('POST', '/diagnostics/ping', body);
      if (!EG.current(g)) return;
      EG.showErrors(form, r);
      if (!r.ok) { summary.textContent = (r.data && r.data.detail) || 'failed'; return; }
      const p = r.data;
      summary.textContent = p.received + ' of ' + p.sent + ' replies from ' + p.target + ' (source ' + p.source + ')'
        + (p.rttAvgMs !== undefined ? ', rtt avg ' + p.rttAvgMs + ' ms' : '') + (p.timedOut ? ', timed out' : '');
      output.textContent = p.output.join('\n');
    });
    const res = await EG.api('GET', '/connections');
    if (!EG.current(g)) return;
    connection.replaceChildren(...(res.ok ? res.data : []).map((c) => el('option', { value: c.name }, c.name)));
    run.disabled = false;
  }

  EG.page('diagnostics', show);
})();
