import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { startOfDayInstant } from '@workflows/calendar/calendar';
import type { CommitteeMeeting } from '@workflows/calendar/meetings';
import type { Actor } from '@app/audit/actor';
import { ClockService } from '@app/clock/clock.service';
import { findMeeting, insertMeeting } from '@app/meetings/committee-meeting.repository';
import { WorkflowEngineService } from '@app/workflow-engine/workflow-engine.service';
import type { CreateFundingDecisionDto } from './dto/funding-decision.dto';
import { fundingDecisionCase } from './funding-decision.kind';
import { FundingDecisionsService } from './funding-decisions.service';

const COMMITTEE = 'Bildningsnämnden';

/**
 * Bildningsnämnden's sammanträdesplan for the demo. The seed names only "septembernämnden" and
 * "decembernämnden" 2018: every date here is an EXAMPLE (Tuesdays, papers due two weeks before).
 */
const DEMO_MEETINGS: Array<[id: string, date: string, papersDueOn: string]> = [
  ['bin-2018-06', '2018-06-19', '2018-06-05'],
  ['bin-2018-09', '2018-09-25', '2018-09-11'],
  ['bin-2018-12', '2018-12-18', '2018-12-04'],
  ['bin-2026-05', '2026-05-26', '2026-05-12'],
  ['bin-2026-06', '2026-06-16', '2026-06-02'],
  ['bin-2026-09', '2026-09-22', '2026-09-08'],
  ['bin-2026-11', '2026-11-17', '2026-11-03'],
  ['bin-2026-12', '2026-12-15', '2026-12-01'],
  ['bin-2027-02', '2027-02-23', '2027-02-09'],
  ['bin-2027-04', '2027-04-20', '2027-04-06'],
  ['bin-2027-06', '2027-06-15', '2027-06-01'],
];

type Step = { on: string; event: Record<string, unknown> & { type: string } };

interface DemoDecision {
  dto: (partnerId: string, officials: Array<{ personId: string; name: string }>) => CreateFundingDecisionDto;
  preparedOn: string;
  story: Step[];
}

const RECIPIENTS = [
  { name: 'Leanlink – Stöd och Service' },
  { name: 'Jobb- och kunskapstorget' },
  { name: 'Socialförvaltningen (AFI)' },
  { name: 'Arbetsförmedlingen' },
];

/** Seed 004, lived from the proposal to the written evaluation at the December 2018 meeting. */
const SEED_004: DemoDecision = {
  preparedOn: '2018-06-01',
  dto: (partnerId, officials) => ({
    committee: COMMITTEE,
    title: 'Arbetsmarknadsinriktade insatser i samarbete med Idrott & Service (LeanLink)',
    preparedBy: 'Utbildningsförvaltningen',
    proposal: {
      summary: 'Bildningsnämnden beviljar medel till genomförande av arbetsmarknadsinriktade insatser i samarbete med Idrott & Service. Medlen bekostar två arbetsledartjänster på Idrott & Service juni–december 2018 för 40 deltagare.',
      amountKr: 530_000,
      budgetLine: 'Arbetsmarknadsinsatser',
      partner: { organisationId: partnerId },
      period: { startDate: '2018-06-01', endDate: '2018-12-31' },
      officials,
      recipients: RECIPIENTS,
      followUps: [
        { key: 'muntlig-avstamning-september', kind: 'oral_check_in', meetingId: 'bin-2018-09' },
        { key: 'skriftlig-utvardering-december', kind: 'written_evaluation', meetingId: 'bin-2018-12' },
      ],
    },
  }),
  story: [
    { on: '2018-06-01', event: { type: 'PLACE_ON_AGENDA', meetingId: 'bin-2018-06' } },
    // The seed has no minutes: the paragraph is an example.
    { on: '2018-06-19', event: { type: 'DECIDE', outcome: 'granted', paragraph: '§ 87' } },
    { on: '2018-06-20', event: { type: 'SEND_DECISION' } },
    { on: '2018-09-25', event: { type: 'RECORD_FOLLOW_UP', key: 'muntlig-avstamning-september', heldOn: '2018-09-25', note: 'Muntlig avstämning om hur arbetet fortskrider.' } },
    { on: '2018-12-18', event: { type: 'RECORD_FOLLOW_UP', key: 'skriftlig-utvardering-december', heldOn: '2018-12-18', note: 'Utvärderingen presenterades skriftligen.' } },
  ],
};

/** A current decision in progress (an example, not from the seeds): the check-in held, the evaluation ahead. */
const CURRENT: DemoDecision = {
  preparedOn: '2026-05-04',
  dto: (partnerId, officials) => ({
    committee: COMMITTEE,
    title: 'Handledarservice för deltagare i arbetsmarknadsinsatser 2026/27 (exempel)',
    preparedBy: 'Utbildningsförvaltningen',
    proposal: {
      summary: 'Bildningsnämnden beviljar medel till en gemensam handledarservice hos Idrott & Service för deltagare i arbetsmarknadsinsatser, augusti 2026–juni 2027.',
      amountKr: 480_000,
      budgetLine: 'Arbetsmarknadsinsatser',
      partner: { organisationId: partnerId },
      period: { startDate: '2026-08-01', endDate: '2027-06-30' },
      officials,
      recipients: RECIPIENTS,
      followUps: [
        { key: 'muntlig-avstamning-november', kind: 'oral_check_in', meetingId: 'bin-2026-11' },
        { key: 'muntlig-avstamning-februari', kind: 'oral_check_in', meetingId: 'bin-2027-02' },
        { key: 'skriftlig-utvardering-juni', kind: 'written_evaluation', meetingId: 'bin-2027-06' },
      ],
    },
  }),
  story: [
    { on: '2026-05-04', event: { type: 'PLACE_ON_AGENDA', meetingId: 'bin-2026-05' } },
    { on: '2026-05-26', event: { type: 'REFER_BACK', reason: 'Nämnden vill se hur deltagarna fördelas mellan AFI och Etableringsteamet innan beslut.' } },
    { on: '2026-05-28', event: { type: 'PLACE_ON_AGENDA', meetingId: 'bin-2026-06' } },
    { on: '2026-06-16', event: { type: 'DECIDE', outcome: 'granted', paragraph: '§ 54' } },
    { on: '2026-06-17', event: { type: 'SEND_DECISION' } },
    { on: '2026-11-17', event: { type: 'RECORD_FOLLOW_UP', key: 'muntlig-avstamning-november', heldOn: '2026-11-17' } },
  ],
};

const officeHours = (date: string): Date => new Date(new Date(startOfDayInstant(date)).getTime() + 9 * 3600_000);

/**
 * The funding decisions of the demo data, lived through the engine like the agreements: the clock
 * at each step's date, deadlines fired by the sweeper on the way (`catchUpTo`), the history replayed
 * (no e-mail to the recipients of a decision expedited years ago).
 */
@Injectable()
export class FundingDecisionDemo {
  private readonly logger = new Logger('Demodata');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly decisions: FundingDecisionsService,
    private readonly engine: WorkflowEngineService,
    private readonly clock: ClockService,
  ) {}

  async live(options: { secretariat: Actor; municipalityId: string; realNow: Date; catchUpTo: (at: Date) => Promise<void> }): Promise<number> {
    const manager = this.dataSource.manager;
    for (const [id, date, papersDueOn] of DEMO_MEETINGS) {
      const meeting: CommitteeMeeting = { meetingId: id, committee: COMMITTEE, date, papersDueOn };
      await insertMeeting(manager, meeting, options.secretariat.personId, this.clock.now());
    }
    // The seed gives Leanlink no organisationsnummer: a fictional one with a valid check digit.
    const [partner] = await manager.query<Array<{ id: string }>>(
      `INSERT INTO organisation (name, organisation_number, kind) VALUES ('Idrott & Service (Leanlink)', '212000-0506', 'municipality') RETURNING id`,
    );
    const officials = [];
    for (const [name, email] of [
      ['Anne Hallberg', 'anne.hallberg@example.se'],
      ['Helena Paulsson', 'helena.paulsson@example.se'],
    ]) {
      // Helena Paulsson is already in the demo (she signs for the municipality elsewhere): the same person.
      const [known] = await manager.query<Array<{ id: string }>>(`SELECT id FROM person WHERE name = $1 AND organisation_id = $2`, [name, options.municipalityId]);
      const [person] = known
        ? [known]
        : await manager.query<Array<{ id: string }>>(`INSERT INTO person (name, email, title, organisation_id) VALUES ($1, $2, 'handläggare', $3) RETURNING id`, [name, email, options.municipalityId]);
      officials.push({ personId: person.id, name });
    }
    let count = 0;
    for (const demo of [SEED_004, CURRENT]) {
      if (officeHours(demo.preparedOn) > options.realNow) continue;
      await options.catchUpTo(officeHours(demo.preparedOn));
      const { id } = await this.decisions.create(demo.dto(partner.id, officials), options.secretariat);
      count += 1;
      for (const step of demo.story) {
        const at = officeHours(step.on);
        if (at > options.realNow) break;
        await options.catchUpTo(at);
        const event = { ...step.event };
        if (typeof event.meetingId === 'string') {
          event.meeting = await findMeeting(manager, event.meetingId);
          delete event.meetingId;
        }
        await this.engine.apply(fundingDecisionCase(id), event, options.secretariat, { replay: true });
      }
    }
    this.logger.log(`Demodata: ${count} beslut om medel.`);
    return count;
  }
}
