// `npm run first-admin -- --name … --email … --organisation … --organisation-number …`: a new installation's
// first administrator, who then registers everyone else. Password from FIRST_ADMIN_PASSWORD, or none
// (sign-in through the identity provider).
import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { isEmail } from 'class-validator';
import { createCommandContext } from '@app/bootstrap';
import { ConfigError } from '@app/config/app-config';
import { parseOrganisationNumber } from '@app/organisations/organisation-number';
import { AccountsService } from './accounts.service';
import { passwordProblem } from './password-policy';

class UsageError extends Error {
  constructor(readonly problems: string[]) {
    super(`Kan inte skapa administratören:\n- ${problems.join('\n- ')}`);
  }
}

function argumentsOrExplain(): { name: string; email: string; organisationName: string; organisationNumber: string; password?: string } {
  const { values } = parseArgs({ options: { name: { type: 'string' }, email: { type: 'string' }, organisation: { type: 'string' }, 'organisation-number': { type: 'string' } } });
  const problems: string[] = [];
  if (!values.name?.trim()) problems.push('--name "För- och efternamn" saknas');
  if (!values.email || !isEmail(values.email)) problems.push('--email ska vara en e-postadress');
  if (!values.organisation?.trim()) problems.push('--organisation "Kommunens namn" saknas');
  const number = parseOrganisationNumber(values['organisation-number'] ?? '');
  if (!number.ok) problems.push(`--organisation-number: ${number.message}`);
  const password = process.env.FIRST_ADMIN_PASSWORD;
  const weak = password === undefined ? null : passwordProblem(password, { email: values.email, name: values.name });
  if (weak) problems.push(`FIRST_ADMIN_PASSWORD: ${weak}`);
  if (problems.length > 0 || !number.ok) throw new UsageError(problems);
  return { name: values.name as string, email: values.email as string, organisationName: values.organisation as string, organisationNumber: number.value, password };
}

async function createFirstAdministrator(): Promise<void> {
  const input = argumentsOrExplain();
  const { app, logger } = await createCommandContext();
  try {
    const id = await app.get(AccountsService).createFirstAdministrator(input);
    logger.log(`Administratören ${input.name} <${input.email}> är skapad (person-id ${id}).`, 'Konton');
  } finally {
    await app.close();
  }
}

createFirstAdministrator().catch((error: unknown) => {
  console.error(error instanceof ConfigError || error instanceof UsageError ? error.message : error);
  process.exit(1);
});
