import type { Response } from 'express';
import type { Actor } from '@app/audit/actor';
import type { FieldProblem } from '@app/common/domain-error';
import type { CreatedResource } from '@app/idempotency/idempotency.context';
import type { IdempotencyService } from '@app/idempotency/idempotency.service';
import { FORM_TOKEN } from './forms';
import { formText, problemsOf, type FormBody } from './form-input';
import { errorPage } from './web-exception.filter';

export interface FormPost {
  actor: Actor;
  body: FormBody;
  /** The form's address, part of what its one-time token is bound to. */
  path: string;
  /** Does the work and says where the browser goes next. */
  run: () => Promise<string>;
  /** Where a repeated submit goes when the first one's work is already committed (its resource named). */
  locationOf: (resource: CreatedResource) => string;
  /** The form again with the API's field problems (400); without it, or when it gives null, the error goes on like any other. */
  rerender?: (problems: FieldProblem[]) => Promise<string | null> | string | null;
}

/**
 * Every form's POST-redirect-GET: the one-time token (IdempotencyService.submitForm) makes a reload or
 * a double click harmless — the work runs once and the browser goes on with 303 —, a token already used
 * for other input, or still in progress, gets its notice page, and the API's field problems re-render
 * the form. Other errors are thrown to the caller (and WebExceptionFilter).
 */
export async function postForm(res: Response, once: IdempotencyService, form: FormPost): Promise<void> {
  try {
    const outcome = await once.submitForm({ personId: form.actor.personId, token: formText(form.body, FORM_TOKEN), path: form.path, body: form.body }, form.run, form.locationOf);
    if (outcome.kind === 'notice') return void res.status(outcome.status).type('html').send(errorPage(outcome.title, outcome.message, form.actor));
    res.redirect(303, outcome.location);
  } catch (error) {
    const problems = problemsOf(error);
    const page = problems && form.rerender ? await form.rerender(problems) : null;
    if (page === null) throw error;
    res.status(400).type('html').send(page);
  }
}
