// Tunnel detail (#/tunnel/<name>): the IKE SA, its CHILD SAs, drops by reason, the last error; operators get
// initiate / terminate / rekey buttons. Refreshed every 3 s.
'use strict';

(function () {
  const { el } = EG;
  const dash = (v) => (v === null || v === undefined || v === '' ? '–' : String(v));
  const secs = (s) => (s === undefined || s < 0 ? '–' : s >= 3600 ? Math.floor(s / 3600) + ' h ' + Math.floor(s % 3600 / 60) + ' min'
    : s >= 60 ? Math.floor(s / 60) + ' min ' + (s % 60) + ' s' : s + ' s');
  const kv = (pairs) => el('dl', { class: 'kv' }, ...pairs.flatMap(([k, v]) => [el('dt', {}, k), el('dd', {}, v)]));

  function ikeCard(ike) {
    if (!ike) return el('div', { class: 'card', id: 'ike' }, el('h2', {}, 'IKE SA'), el('p', { class: 'empty' }, 'No IKE SA.'));
    return el('div', { class: 'card', id: 'ike' }, el('h2', {}, 'IKE SA'), kv([
      ['State', EG.stateBadge(ike.state)],
      ['Role', ike.initiator ? 'initiator' : 'responder'],
      ['SPIs (ours / theirs)', el('span', { class: 'mono' }, ike.localSpi + ' / ' + ike.remoteSpi)],
      ['Algorithms', el('span', { class: 'mono', id: 'ike-algs' },
        [ike.encryption, ike.integrity, ike.prf, ike.dhGroup].filter(Boolean).join('-') || '–')],
      ['Local', el('span', { class: 'mono' }, ike.local)],
      ['Remote', el('span', { class: 'mono' }, ike.remote)],
      ['NAT', (ike.natLocal ? 'in front of us' : '') + (ike.natLocal && ike.natRemote ? ', ' : '')
        + (ike.natRemote ? 'in front of the peer' : '') || 'none detected'],
      ['Established', ike.establishedAt ? new Date(ike.establishedAt).toLocaleString() : '–'],
      ['Next rekey in', secs(ike.rekeySeconds)]
    ]));
  }

  function childCard(children) {
    const rows = children.map((c) => el('tr', {},
      el('td', { class: 'mono' }, c.spiIn + ' / ' + c.spiOut),
      el('td', { class: 'mono' }, c.suite),
      el('td', { class: 'mono' }, c.localTs.join(', ') + ' ⇄ ' + c.remoteTs.join(', ')),
      el('td', { class: 'num' }, EG.fmtBytes(c.bytesIn) + ' / ' + EG.fmtBytes(c.bytesOut)),
      el('td', { class: 'num' }, c.packetsIn + ' / ' + c.packetsOut),
      el('td', { class: 'num' }, secs(c.rekeySeconds))));
    return el('div', { class: 'card' }, el('h2', {}, 'CHILD SAs'),
      children.length ? el('table', { class: 'grid' },
        el('thead', {}, el('tr', {}, el('th', {}, 'SPI in / out'), el('th', {}, 'Suite'), el('th', {}, 'Traffic selectors'),
          el('th', { class: 'num' }, 'Bytes in / out'), el('th', { class: 'num' }, 'Packets in / out'),
          el('th', { class: 'num' }, 'Rekey in'))),
        el('tbody', { id: 'children' }, ...rows)) : el('p', { class: 'empty' }, 'No CHILD SA installed.'));
  }

  function dropsCard(t) {
    const reasons = Object.entries(t.dropsByReason || {});
    return el('div', { class: 'card' }, el('h2', {}, 'Drops (' + t.drops + ')'),
      reasons.length ? kv(reasons.map(([k, v]) => [k, String(v)])) : el('p', { class: 'empty' }, 'No drops.'));
  }

  async function act(name, action, body, reload) {
    const res = await EG.api('POST', '/status/tunnels/' + encodeURIComponent(name) + '/' + action, body);
    EG.toast(res.ok ? action + ': ' + (res.data.detail || 'requested') : (res.data && res.data.detail) || 'Failed',
      res.ok ? 'ok' : 'err');
    reload();
  }

  async function show(args) {
    const name = args[0] || '';
    const body = el('div', { id: 'tunnel-body' });
    const buttons = el('span', { class: 'actions' });
    const root = el('section', {}, el('div', { class: 'page-head' },
      el('h1', {}, 'Tunnel ', el('span', { class: 'mono', id: 'tunnel-name' }, name)), buttons), body);
    const g = EG.mount(root, 'dashboard');
    const load = async () => {
      const res = await EG.api('GET', '/status/tunnels/' + encodeURIComponent(name));
      if (!EG.current(g)) return;
      if (!res.ok) {
        body.replaceChildren(el('p', { class: 'empty' }, (res.data && res.data.detail) || 'No such tunnel.'));
        return;
      }
      const t = res.data;
      body.replaceChildren(
        el('div', { class: 'card' }, kv([
          ['State', EG.stateBadge(t.stateWord, t.detail, 'tunnel-state')],
          ['Traffic in / out', EG.fmtBytes(t.bytesIn) + ' / ' + EG.fmtBytes(t.bytesOut)
            + ' (' + t.packetsIn + ' / ' + t.packetsOut + ' packets)'],
          ['Last error', el('span', { id: 'last-error' }, dash(t.lastError))]])),
        ikeCard(t.ike), childCard(t.children || []), dropsCard(t));
    };
    if (EG.can('operator')) {
      const b = (label, action, req, id) => el('button', { type: 'button', class: 'small', id,
        on: { click: () => act(name, action, req, load) } }, label);
      buttons.replaceChildren(b('Initiate', 'initiate', undefined, 'act-initiate'),
        b('Terminate', 'terminate', undefined, 'act-terminate'),
        b('Rekey IKE', 'rekey', { scope: 'ike' }, 'act-rekey-ike'),
        b('Rekey CHILD', 'rekey', { scope: 'child' }, 'act-rekey-child'));
    }
    await load();
    EG.setTimer(load, 3000);
  }

  EG.page('tunnel', show);
})();
