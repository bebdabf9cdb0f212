import request from 'supertest';
import { PASSWORD } from './session';
import type { WebTestApp } from './web-app';

/** Form fields as a browser would send them: every field once per value, in order. */
export type FormFields = Array<[string, string]>;

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", '#x27': "'", apos: "'" };
const decode = (s: string): string => s.replace(/&(#?\w+);/g, (m, e: string) => ENTITIES[e] ?? m);
const attribute = (tag: string, name: string): string | null => {
  const m = new RegExp(`\\s${name}="([^"]*)"`).exec(tag);
  return m ? decode(m[1] ?? '') : null;
};

/**
 * The fields of the form posting to `action` on an HTML page, with what a browser would submit
 * untouched: inputs (checkboxes only when checked), textareas, and each select's selected option.
 */
export function formFields(page: string, action: string): FormFields {
  const start = page.indexOf(`action="${action}"`);
  if (start < 0) throw new Error(`Inget formulär till ${action} på sidan`);
  const form = page.slice(start, page.indexOf('</form>', start));
  const fields: FormFields = [];
  for (const m of form.matchAll(/<input\b[^>]*>|<textarea\b[^>]*>([\s\S]*?)<\/textarea>|<select\b[^>]*>([\s\S]*?)<\/select>/g)) {
    const tag = m[0];
    const name = attribute(tag, 'name');
    if (!name) continue;
    if (tag.startsWith('<input')) {
      const type = attribute(tag, 'type') ?? 'text';
      if ((type === 'checkbox' || type === 'radio') && !/\schecked\b/.test(tag)) continue;
      if (type === 'submit') continue;
      fields.push([name, attribute(tag, 'value') ?? (type === 'checkbox' ? 'on' : '')]);
    } else if (tag.startsWith('<textarea')) {
      fields.push([name, decode(m[1] ?? '')]);
    } else {
      const options = [...(m[2] ?? '').matchAll(/<option\b[^>]*>/g)].map((o) => o[0]);
      const chosen = options.find((o) => /\sselected\b/.test(o)) ?? options[0];
      fields.push([name, chosen ? (attribute(chosen, 'value') ?? '') : '']);
    }
  }
  return fields;
}

/** The fields with these names set (replaced, or added at the end). */
export function withValues(fields: FormFields, values: Record<string, string>): FormFields {
  const rest = fields.filter(([n]) => !(n in values));
  return [...rest, ...Object.entries(values)];
}

export const encodeForm = (fields: FormFields): string => new URLSearchParams(fields).toString();

/** A browser's session without the browser: the sign-in form posted from our own origin, then its cookie on every request. */
export class HttpSession {
  private constructor(
    private readonly t: WebTestApp,
    readonly cookie: string,
  ) {}

  static async signIn(t: WebTestApp, email: string): Promise<HttpSession> {
    const answer = await request(t.baseUrl).post('/logga-in').set('Origin', t.baseUrl).type('form').send(encodeForm([['email', email], ['password', PASSWORD]]));
    if (answer.status !== 303) throw new Error(`Inloggningen som ${email} gav ${answer.status}`);
    const cookies = ([] as string[]).concat(answer.headers['set-cookie'] ?? []);
    const session = cookies.map((c) => c.split(';')[0] ?? '').find((c) => c.startsWith('iop_session='));
    if (!session) throw new Error('Ingen sessionskaka efter inloggningen');
    return new HttpSession(t, session);
  }

  get(path: string, accept = 'text/html'): request.Test {
    return request(this.t.baseUrl).get(path).set('Cookie', this.cookie).set('Accept', accept);
  }

  /** A form posted as a browser posts it (same origin, urlencoded). */
  post(path: string, fields: FormFields): request.Test {
    return request(this.t.baseUrl).post(path).set('Cookie', this.cookie).set('Origin', this.t.baseUrl).set('Accept', 'text/html').type('form').send(encodeForm(fields));
  }

  /** The form's page, and its fields as a browser would submit them. */
  async form(pagePath: string, action = pagePath): Promise<FormFields> {
    const answer = await this.get(pagePath);
    if (answer.status !== 200) throw new Error(`${pagePath} gav ${answer.status}: ${answer.text.slice(0, 300)}`);
    return formFields(answer.text, action);
  }
}
