import { Injectable } from '@nestjs/common';
import { NOTICE_KINDS, NOTICE_LABELS, type NoticeKind } from '@workflows/agreement/notices';
import type { Actor } from '@app/audit/actor';
import { requireSignedIn } from '@app/auth/access';
import { ClockService } from '@app/clock/clock.service';
import { DomainError } from '@app/common/domain-error';
import { NoticePreferencesRepository } from './notice-preferences.repository';

export interface NoticeChoice {
  kind: NoticeKind;
  label: string;
  /** Who normally gets it. */
  who: string;
  /** By e-mail: true unless the person turned it off. */
  email: boolean;
}

export interface NoticePreferences {
  notices: NoticeChoice[];
  off: NoticeKind[];
  /** Reminders about deadlines always come: they cannot be turned off. */
  reminders: { email: true; note: string };
}

export const REMINDERS_ALWAYS_ON = 'Påminnelser om datum (beslut om förlängning, signatur som saknas, uppföljningsmöte, årsrapport) kommer alltid och kan inte stängas av.';

export const isNoticeKind = (value: unknown): value is NoticeKind => typeof value === 'string' && (NOTICE_KINDS as readonly string[]).includes(value);

/** A person's own choice of the notices they get by e-mail. */
@Injectable()
export class NoticePreferencesService {
  constructor(
    private readonly repository: NoticePreferencesRepository,
    private readonly clock: ClockService,
  ) {}

  async get(actor: Actor): Promise<NoticePreferences> {
    const off = await this.repository.offFor(requireSignedIn(actor));
    return {
      notices: NOTICE_KINDS.map((kind) => ({ kind, ...NOTICE_LABELS[kind], email: !off.includes(kind) })),
      off,
      reminders: { email: true, note: REMINDERS_ALWAYS_ON },
    };
  }

  /** Exactly these kinds off, the rest on; an unknown kind is refused with its name. */
  async setOff(actor: Actor, off: readonly unknown[]): Promise<NoticePreferences> {
    const personId = requireSignedIn(actor);
    const unknown = off.filter((k) => !isNoticeKind(k));
    if (unknown.length > 0) {
      throw DomainError.validation([{ field: 'off', message: `off innehåller okända meddelanden: ${unknown.map(String).join(', ')}. Kända: ${NOTICE_KINDS.join(', ')}.` }]);
    }
    await this.repository.setOff(personId, [...new Set(off as NoticeKind[])], this.clock.now());
    return this.get(actor);
  }
}
