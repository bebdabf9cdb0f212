import type { EntityManager } from 'typeorm';
import type { ReminderAudience } from '@workflows/agreement/reminders';
import type { AgreementContext } from '@workflows/agreement/types';

export interface Recipient {
  email: string;
  name: string | null;
  /** The secretariat's own copy of a message addressed to others. */
  copy: boolean;
}

interface MemberRow {
  email: string;
  name: string;
  organisation_id: string;
}

/** Who receives a reminder for an audience; one entry per address (case-insensitive), secretariat last. */
export async function recipientsFor(
  manager: EntityManager,
  agreementId: string,
  audience: ReminderAudience,
  context: AgreementContext,
  secretariatEmail: string,
): Promise<Recipient[]> {
  const members = async (role: 'signatory' | 'samverkansgrupp'): Promise<MemberRow[]> =>
    manager.query<MemberRow[]>(
      `SELECT p.email, p.name, m.organisation_id
         FROM agreement_member m JOIN person p ON p.id = m.person_id
        WHERE m.agreement_id = $1 AND m.role = $2
        ORDER BY p.email`,
      [agreementId, role],
    );
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
