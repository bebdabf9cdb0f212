import type { ReminderAudience } from '@workflows/agreement/reminders';
import type { AgreementContext } from '@workflows/agreement/types';
import type { MemberContact } from '@app/agreements/agreement.repository';

export interface Recipient {
  email: string;
  name: string | null;
  /** The secretariat's own copy of a message addressed to others. */
  copy: boolean;
}

/**
 * Who receives a reminder for an audience; one entry per address (case-insensitive), secretariat last.
 * `members` reads the agreement's people in a role, by address (AgreementRepository.contactsInRole).
 */
export async function recipientsFor(
  members: (role: 'signatory' | 'samverkansgrupp') => Promise<MemberContact[]>,
  audience: ReminderAudience,
  context: AgreementContext,
  secretariatEmail: string,
): Promise<Recipient[]> {
  let people: Recipient[] = [];
  let secretariatIsCopy = false;
  switch (audience) {
    case 'samverkansgrupp_and_secretariat':
      people = (await members('samverkansgrupp')).map((m) => ({ email: m.email, name: m.name, copy: false }));
      break;
    case 'secretariat':
      break;
    case 'unsigned_signatories': {
      const signed = new Set(context.signatures.map((s) => s.organisationId));
      people = (await members('signatory')).filter((m) => !signed.has(m.organisation_id)).map((m) => ({ email: m.email, name: m.name, copy: false }));
      secretariatIsCopy = true;
      break;
    }
  }
  const seen = new Set<string>();
  const unique: Recipient[] = [];
  for (const r of [...people, { email: secretariatEmail, name: 'Nämndkansliet', copy: secretariatIsCopy }]) {
    const key = r.email.toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    unique.push({ ...r, email: key });
  }
  return unique;
}
