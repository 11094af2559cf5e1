// Your account (#/account): change your own password. Your other sessions end; this one and your tokens stay.
'use strict';

(function () {
  const { api, el, mount, toast, showErrors, state } = window.EG;

  function field(label, name, autocomplete) {
    return el('label', {}, label, el('input', { name, type: 'password', autocomplete, required: '' }),
      el('span', { class: 'field-error', 'data-error-for': name }));
  }

  function show() {
    const form = el('form', { id: 'password-form', novalidate: '' },
      field('Current password', 'currentPassword', 'current-password'),
      field('New password (12 characters or more)', 'newPassword', 'new-password'),
      field('Repeat the new password', 'newPassword2', 'new-password'),
      el('p', { class: 'form-error', 'data-error-for': '_' }),
      el('div', { class: 'actions' }, el('button', { type: 'submit', class: 'primary' }, 'Change password')));
    mount(el('section', { class: 'card narrow' }, el('h1', {}, 'Your account'),
      el('p', { class: 'muted' }, 'Logged in as ' + state().user + ' (' + state().role + '). Changing the password ' +
        'logs out your other sessions; this one and your API tokens stay.'), form), 'account');
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      const v = (n) => form.elements[n].value;
      if (v('newPassword') !== v('newPassword2')) {
        showErrors(form, { data: { errors: [{ field: 'newPassword2', message: 'passwords differ' }] } });
        return;
      }
      const res = await api('PUT', '/session/password', { currentPassword: v('currentPassword'), newPassword: v('newPassword') });
      if (!res.ok) { showErrors(form, res); return; }
      form.reset();
      showErrors(form, { data: { errors: [] } });
      form.querySelector('[data-error-for="_"]').textContent = '';
      toast('Password changed');
    });
  }

  window.EG.page('account', show);
})();
