import type { CaptureLeadInput } from '@chatbot/shared';
import { html, type TemplateResult } from 'lit';
import type { WindowLocale } from '../i18n/window.catalog';

/** The checks the server makes too, so the visitor hears of a typo before sending. */
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]{2,}$/;
const PHONE = /^\+?[0-9 ().-]{5,40}$/;

export type LeadFormErrors = Partial<Record<'email' | 'phone' | 'form', string>>;

/** The form's fields as the server takes them, or the errors to show. */
export function readLeadForm(
  form: HTMLFormElement,
  { t }: WindowLocale,
): { lead: CaptureLeadInput; errors: null } | { lead: null; errors: LeadFormErrors } {
  const data = new FormData(form);
  const text = (name: string) => String(data.get(name) ?? '').trim();
  const errors: LeadFormErrors = {};
  const email = text('email');
  const phone = text('phone');
  if (!EMAIL.test(email) || email.length > 254) errors.email = t('invalidEmail');
  if (phone && !PHONE.test(phone)) errors.phone = t('invalidPhone');
  if (Object.keys(errors).length > 0) return { lead: null, errors };
  const lead: CaptureLeadInput = { email, consent: data.get('consent') === 'on' };
  for (const name of ['name', 'phone', 'company'] as const) {
    const value = text(name);
    if (value) lead[name] = value.slice(0, name === 'phone' ? 40 : 120);
  }
  return { lead, errors: null };
}

/** The contact form: email required, name, phone and company optional, and consent asked for. */
export function leadForm(
  { t }: WindowLocale,
  state: { errors: LeadFormErrors; busy: boolean },
  on: { submit: (event: SubmitEvent) => void; cancel: () => void },
): TemplateResult {
  const field = (name: 'email' | 'name' | 'phone' | 'company', type: string, autocomplete: string) => {
    const error = name === 'email' || name === 'phone' ? state.errors[name] : undefined;
    return html`<label>
      <span>${t(name)}${name === 'email' ? ' *' : html` <small>(${t('optional')})</small>`}</span>
      <input
        name=${name}
        type=${type}
        autocomplete=${autocomplete}
        maxlength=${name === 'email' ? 254 : 120}
        ?required=${name === 'email'}
        aria-invalid=${error ? 'true' : 'false'}
        aria-describedby=${error ? `${name}-error` : ''}
      />
      ${error ? html`<span class="field-error" id="${name}-error">${error}</span>` : null}
    </label>`;
  };
  return html`<form
    class="lead"
    part="lead-form"
    novalidate
    aria-labelledby="lead-title"
    @submit=${on.submit}
  >
    <h3 id="lead-title">${t('leadTitle')}</h3>
    <p>${t('leadIntro')}</p>
    ${field('email', 'email', 'email')} ${field('name', 'text', 'name')} ${field('phone', 'tel', 'tel')}
    ${field('company', 'text', 'organization')}
    <label class="check"><input type="checkbox" name="consent" /><span>${t('consent')}</span></label>
    ${state.errors.form ? html`<p class="error" role="alert">${state.errors.form}</p>` : null}
    <div class="buttons">
      <button type="button" class="link-button" @click=${on.cancel}>${t('cancel')}</button>
      <button type="submit" class="primary" ?disabled=${state.busy}>${t('submit')}</button>
    </div>
  </form>`;
}
