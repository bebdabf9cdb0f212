import { weeklyDigestMail, type DigestItem } from './weekly-digest-mail';

const item = (date: string, title: string, overdue = false): DigestItem => ({
  agreementId: '8d4bc068-7190-4013-be26-27d2808ce9e1',
  title,
  diarienummer: 'AN 2023-0042',
  date,
  what: 'sista giltighetsdag',
  stateLabel: 'Gällande',
  overdue,
  uid: overdue ? null : `iop-${title}@iop.example.se`,
  summary: overdue ? null : `IOP ${title}: sista giltighetsdag`,
});

describe('the weekly digest mail', () => {
  const input = { week: '2025-W41', today: '2025-10-06', horizonDays: 90, publicBaseUrl: 'https://iop.example.se', stamp: new Date('2025-10-06T05:00:00Z') };

  it('says when it lists only the nearest dates, and links to Bevakning for the rest', () => {
    const mail = weeklyDigestMail({ ...input, items: [item('2025-09-30', 'Cykelköket', true), item('2025-12-31', 'Bromodellen')], truncated: true });
    expect(mail.text).toContain('Det finns fler datum än de 2 som står här; alla finns under Bevakning: https://iop.example.se/bevakning');
    expect(mail.html).toContain('<a href="https://iop.example.se/bevakning">Bevakning</a>');
    expect(mail.subject).toBe('IOP veckobrev 2025-W41: 1 försenat, 1 eller fler datum de närmaste 90 dagarna');
    // The overdue first, as always.
    expect(mail.text.indexOf('Cykelköket')).toBeLessThan(mail.text.indexOf('Bromodellen'));
  });

  it('says nothing of the kind when every date is listed', () => {
    const mail = weeklyDigestMail({ ...input, items: [item('2025-12-31', 'Bromodellen')] });
    expect(mail.text).not.toContain('Det finns fler datum');
    expect(mail.html).not.toContain('/bevakning');
  });
});
