import type { Actor } from '@app/audit/actor';
import { watchPage } from './watch.view';

const secretariat: Actor = {
  personId: '6f1c1d2e-0000-4000-8000-000000000001',
  name: 'Nämndsekreterare Nina',
  role: 'secretariat',
  organisationId: '6f1c1d2e-0000-4000-8000-000000000002',
  organisationName: 'Linköpings kommun',
  organisationKind: 'municipality',
  roles: ['secretariat'],
};

const item = {
  agreementId: '8d4bc068-7190-4013-be26-27d2808ce9e1',
  title: 'Bromodellen',
  diarienummer: 'AN 2023-0042',
  date: '2025-12-31',
  what: 'sista giltighetsdag',
  stateLabel: 'Gällande',
  state: 'active',
  overdue: false,
  uid: null,
  summary: null,
};

describe('Bevakning', () => {
  const base = { actor: secretariat, today: '2025-10-06', horizonEnd: '2026-10-06', filter: { state: '', partner: '' }, partners: [], cases: [], casesTruncated: false };

  it('says so when it shows only the nearest dates, and how to see fewer', () => {
    const page = watchPage({ ...base, items: [item], truncated: true });
    expect(page).toContain('Sidan visar de 1 närmaste datumen; det finns fler. Välj ett tillstånd eller en part för att se färre.');
  });

  it('says nothing of the kind when every date is shown', () => {
    expect(watchPage({ ...base, items: [item], truncated: false })).not.toContain('det finns fler');
  });
});
