// Users page (#/users, admins): list, create with a role, change a role, reset a password, delete. The server
// refuses to demote or delete the last admin (409); its message is shown as is.
'use strict';

(function () {
  const { api, el, mount, current, toast, showErrors, formData } = window.EG;
  const ROLES = ['viewer', 'operator', 'admin'];

  function roleSelect(name, value, attrs) {
    return el('select', Object.assign({ name }, attrs || {}),
      ...ROLES.map(r => { const o = el('option', { value: r }, r); o.selected = r === value; return o; }));
  }

  function field(label, input, name) {
    return el('label', {}, label, input, el('span', { class: 'field-error', 'data-error-for': name }));
  }

  function failure(res) {
    const d = res.data || {};
    return (d.errors ? d.errors.map(e => e.field + ': ' + e.message).join('; ') : d.detail) || 'Failed';
  }

  async function setRole(user, select) {
    const res = await api('PUT', '/users/' + encodeURIComponent(user.name), { role: select.value });
    if (res.ok) toast('Role of ' + user.name + ' is now ' + select.value);
    else { toast(failure(res), 'err'); select.value = user.role; }
  }

  async function remove(user) {
    if (!confirm('Delete user ' + user.name + '? Their tokens are revoked and their sessions end.')) return;
    const res = await api('DELETE', '/users/' + encodeURIComponent(user.name));
    if (res.ok) { toast('User ' + user.name + ' deleted'); show(); } else toast(failure(res), 'err');
  }

  // Password reset: a small form in a row under the user's.
  function resetRow(user, tbody, after) {
    const old = tbody.querySelector('tr.reset-row');
    if (old) old.remove();
    const form = el('form', { id: 'reset-form', novalidate: '' },
      field('New password for ' + user.name + ' (12 characters or more)',
        el('input', { name: 'password', type: 'password', autocomplete: 'new-password', required: '' }), 'password'),
      el('p', { class: 'form-error', 'data-error-for': '_' }),
      el('div', { class: 'actions' },
        el('button', { type: 'button', class: 'ghost', on: { click: () => row.remove() } }, 'Cancel'),
        el('button', { type: 'submit', class: 'primary' }, 'Set password')));
    const row = el('tr', { class: 'reset-row' }, el('td', { colspan: '4' }, form));
    after.after(row);
    form.elements.password.focus();
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      const res = await api('PUT', '/users/' + encodeURIComponent(user.name), { password: form.elements.password.value });
      if (!res.ok) { showErrors(form, res); return; }
      toast('Password of ' + user.name + ' changed; their sessions ended');
      row.remove();
    });
  }

  function createForm() {
    const form = el('form', { id: 'user-form', novalidate: '' },
      field('Name', el('input', { name: 'name', placeholder: 'jane', spellcheck: 'false', required: '' }), 'name'),
      field('Role', roleSelect('role', 'viewer'), 'role'),
      field('Password (12 characters or more)',
        el('input', { name: 'password', type: 'password', autocomplete: 'new-password', required: '' }), 'password'),
      el('p', { class: 'form-error', 'data-error-for': '_' }),
      el('div', { class: 'actions' }, el('button', { type: 'submit', class: 'primary' }, 'Create user')));
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      const f = formData(form);
      const res = await api('POST', '/users', { name: f.name, role: f.role, password: form.elements.password.value });
      if (!res.ok) { showErrors(form, res); const bad = form.querySelector('.invalid'); if (bad) bad.focus(); return; }
      toast('User ' + f.name + ' created');
      show();
    });
    return form;
  }

  async function show() {
    const tbody = el('tbody', { id: 'users' });
    const g = mount(el('section', {},
      el('div', { class: 'page-head' }, el('h1', {}, 'Users')),
      el('div', { class: 'card' }, el('table', { class: 'grid' },
        el('thead', {}, el('tr', {}, el('th', {}, 'Name'), el('th', {}, 'Role'), el('th', {}, 'Created'), el('th', {}))),
        tbody)),
      el('div', { class: 'card narrow' }, el('h2', {}, 'New user'), createForm())), 'users');
    const res = await api('GET', '/users');
    if (!res.ok || !current(g)) return;
    tbody.replaceChildren(...res.data.map(u => {
      const select = roleSelect('role-' + u.name, u.role, { 'aria-label': 'Role of ' + u.name });
      select.addEventListener('change', () => setRole(u, select));
      const tr = el('tr', { 'data-user': u.name }, el('td', { class: 'strong' }, u.name), el('td', {}, select),
        el('td', {}, new Date(u.created).toLocaleString()),
        el('td', { class: 'row-actions' }, el('span', {},
          el('button', { type: 'button', class: 'small', 'aria-label': 'Reset password of ' + u.name,
            on: { click: () => resetRow(u, tbody, tr) } }, 'Reset password'),
          el('button', { type: 'button', class: 'small danger', 'aria-label': 'Delete user ' + u.name,
            on: { click: () => remove(u) } }, 'Delete'))));
      return tr;
    }));
  }

  window.EG.page('users', show);
})();
