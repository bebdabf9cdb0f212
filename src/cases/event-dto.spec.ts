import { Body, Controller, HttpCode, Post, type INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import request from 'supertest';
import { SendEventDto, PERSON_EVENT_TYPES } from '@app/agreements/dto/send-event.dto';
import { DomainErrorFilter } from '@app/common/domain-error.filter';
import { strictValidationPipe } from '@app/common/validation';
import { CreateFundingDecisionDto, FUNDING_PERSON_EVENTS, FundingEventDto } from '@app/funding-decisions/dto/funding-decision.dto';
import { agreementDefinition } from '@workflows/agreement/definition';
import { fundingDecisionDefinition } from '@workflows/funding-decision/definition';
import type { CaseKindDefinition } from '@workflows/kernel/kernel';
import { bodyFields, eventDto, missingFields } from './event-dto';

/** Echoes the body as validated, through the app's own pipe and error filter. */
@Controller()
class EchoController {
  @Post('agreement')
  @HttpCode(200)
  agreement(@Body() dto: SendEventDto) {
    return { ...dto, isDto: dto instanceof SendEventDto };
  }

  @Post('funding')
  @HttpCode(200)
  funding(@Body() dto: FundingEventDto) {
    return dto;
  }

  @Post('create-funding')
  @HttpCode(200)
  createFunding(@Body() dto: CreateFundingDecisionDto) {
    return dto;
  }
}

type Problem = { field: string; message: string };

describe('event DTOs derived from the case definitions', () => {
  let app: INestApplication;
  let doc: OpenAPIObject;
  const ORG = '5b0f2c8e-6a53-4d0e-9a3f-1c2d3e4f5a6b';

  beforeAll(async () => {
    const module = await Test.createTestingModule({ controllers: [EchoController] }).compile();
    app = module.createNestApplication({ logger: false });
    app.useGlobalPipes(strictValidationPipe());
    app.useGlobalFilters(new DomainErrorFilter());
    await app.init();
    doc = SwaggerModule.createDocument(app, new DocumentBuilder().build());
  });
  afterAll(() => app.close());

  const refused = async (path: string, body: object): Promise<Problem[]> => {
    const res = await request(app.getHttpServer()).post(path).send(body).expect(400);
    expect(res.body).toMatchObject({ error: 'validation_failed', message: 'Uppgifterna är inte giltiga.' });
    return res.body.problems as Problem[];
  };

  it('takes a well-formed body, as the DTO class', async () => {
    const body = { type: 'RECORD_SETTLEMENT', lines: [{ organisationId: ORG, amountKr: 150000 }], note: 'Slutreglering', expectedVersion: 3 };
    const res = await request(app.getHttpServer()).post('/agreement').send(body).expect(200);
    expect(res.body).toEqual({ ...body, isDto: true });
    await request(app.getHttpServer()).post('/funding').send({ type: 'RECORD_FOLLOW_UP', key: 'muntlig-1', heldOn: '2018-09-25' }).expect(200);
  });

  it('lists the person events as the type, and refuses others by name', async () => {
    expect(PERSON_EVENT_TYPES).toEqual([
      'ACCEPT_INITIATIVE',
      'DECLINE_INITIATIVE',
      'SEND_FOR_SIGNING',
      'SIGN',
      'RETURN_TO_DRAFT',
      'CONSENT_TO_EXTENSION',
      'REFUSE_EXTENSION',
      'CONSENT_TO_TERMINATION',
      'DECLARE_TERMINATION',
      'RECORD_SETTLEMENT',
      'AGREE_TO_AMENDMENT',
      'REFUSE_AMENDMENT',
      'WITHDRAW_AMENDMENT',
    ]);
    expect(FUNDING_PERSON_EVENTS).toEqual(['UPDATE_PROPOSAL', 'PLACE_ON_AGENDA', 'TAKE_OFF_AGENDA', 'DECIDE', 'REFER_BACK', 'WITHDRAW', 'RECORD_FOLLOW_UP', 'SEND_DECISION']);
    // A clock event, an event with an address of its own, and nonsense.
    for (const type of ['END_DATE_PASSED', 'UPDATE_TERMS', 'NO_SUCH_EVENT']) {
      expect(await refused('/agreement', { type })).toEqual([{ field: 'type', message: `type ska vara en av: ${PERSON_EVENT_TYPES.join(', ')}` }]);
    }
    expect(await refused('/funding', { type: 'MEETING_RESCHEDULED' })).toEqual([{ field: 'type', message: `type ska vara en av: ${FUNDING_PERSON_EVENTS.join(', ')}` }]);
  });

  it('names each bad field in Swedish: a bad uuid, a bad date, a text too long, a value not among the choices, an unknown field', async () => {
    expect(await refused('/agreement', { type: 'SIGN', organisationId: 'inte-ett-id' })).toEqual([{ field: 'organisationId', message: 'organisationId ska vara ett uuid' }]);
    expect(await refused('/agreement', { type: 'DECLINE_INITIATIVE', reason: 'x'.repeat(5001) })).toEqual([{ field: 'reason', message: 'reason får vara högst 5000 tecken' }]);
    expect(await refused('/agreement', { type: 'DECLINE_INITIATIVE', reason: 42 })).toEqual(
      expect.arrayContaining([{ field: 'reason', message: 'reason ska vara text' }]),
    );
    expect(await refused('/agreement', { type: 'DECLARE_TERMINATION', ground: 'tristess' })).toEqual([
      { field: 'ground', message: 'ground ska vara en av: material_breach, insolvency, misconduct' },
    ]);
    expect(await refused('/agreement', { type: 'SIGN', budgetMagic: 1 })).toEqual([{ field: 'budgetMagic', message: 'budgetMagic är ett okänt fält' }]);
    expect(await refused('/agreement', { type: 'SIGN', expectedVersion: 1.5 })).toEqual([{ field: 'expectedVersion', message: 'expectedVersion ska vara ett heltal' }]);
    for (const heldOn of ['25/9 2018', '2018-02-30', 20180925]) {
      expect(await refused('/funding', { type: 'RECORD_FOLLOW_UP', key: 'k', heldOn })).toEqual([{ field: 'heldOn', message: 'heldOn ska vara ett datum på formen ÅÅÅÅ-MM-DD' }]);
    }
    expect(await refused('/funding', { type: 'DECIDE', paragraph: '§'.repeat(51) })).toEqual([{ field: 'paragraph', message: 'paragraph får vara högst 50 tecken' }]);
    // The body names the meeting by its id; the event's own name is not a field of the body.
    expect(await refused('/funding', { type: 'PLACE_ON_AGENDA', meeting: 'bin-2018-06' })).toEqual([{ field: 'meeting', message: 'meeting är ett okänt fält' }]);
  });

  it('validates every item of a list, and the objects within objects, naming the place', async () => {
    const problems = await refused('/agreement', {
      type: 'RECORD_SETTLEMENT',
      lines: [{ organisationId: ORG, amountKr: 100 }, { organisationId: 'x', amountKr: -1 }, { organisationId: ORG, amountKr: 1.5, extra: true }],
    });
    expect(problems).toEqual(
      expect.arrayContaining([
        { field: 'lines.1.organisationId', message: 'lines.1.organisationId ska vara ett uuid' },
        { field: 'lines.1.amountKr', message: 'lines.1.amountKr får inte vara negativt' },
        { field: 'lines.2.amountKr', message: 'lines.2.amountKr ska vara hela kronor' },
        { field: 'lines.2.extra', message: 'lines.2.extra är ett okänt fält' },
      ]),
    );
    expect(problems).toHaveLength(4);
    expect(await refused('/agreement', { type: 'RECORD_SETTLEMENT', lines: 'alla' })).toEqual(expect.arrayContaining([{ field: 'lines', message: 'lines ska vara en lista' }]));

    const proposal = {
      summary: 'Förslaget',
      amountKr: 0,
      budgetLine: '',
      partner: { organisationId: 'x' },
      period: { startDate: '2018-06-01', endDate: '2018-13-01' },
      officials: [],
      recipients: [{ name: 'Arbetsförmedlingen', email: 'inte en adress' }],
      followUps: [{ key: 'Muntlig avstämning', kind: 'oral_check_in', meetingId: 'bin-2018-09' }],
    };
    const expected = [
      { field: 'proposal.amountKr', message: 'proposal.amountKr måste vara större än noll' },
      { field: 'proposal.budgetLine', message: 'proposal.budgetLine får inte vara tom' },
      { field: 'proposal.partner.organisationId', message: 'proposal.partner.organisationId ska vara ett uuid' },
      { field: 'proposal.period.endDate', message: 'proposal.period.endDate ska vara ett datum på formen ÅÅÅÅ-MM-DD' },
      { field: 'proposal.officials', message: 'Minst en ansvarig handläggare behövs' },
      { field: 'proposal.recipients.0.email', message: 'proposal.recipients.0.email ska vara en e-postadress' },
      { field: 'proposal.followUps.0.key', message: 'proposal.followUps.0.key får bara ha små bokstäver a–z, siffror och bindestreck' },
    ];
    // The same proposal class wherever a proposal is sent: UPDATE_PROPOSAL and a new decision.
    for (const problems of [
      await refused('/funding', { type: 'UPDATE_PROPOSAL', proposal }),
      await refused('/create-funding', { committee: 'Bildningsnämnden', title: 'X', preparedBy: 'Y', proposal }),
    ]) {
      expect(problems).toEqual(expect.arrayContaining(expected));
      expect(problems).toHaveLength(expected.length);
    }
  });

  it('leaves which fields an event needs to missingFields, by the names the body uses', () => {
    expect(missingFields(agreementDefinition, { type: 'DECLARE_TERMINATION', reason: '  ', ground: null })).toEqual(['declaredBy', 'ground', 'reason']);
    expect(missingFields(agreementDefinition, { type: 'RECORD_SETTLEMENT' })).toEqual(['lines']);
    expect(missingFields(agreementDefinition, { type: 'ACCEPT_INITIATIVE' })).toEqual([]);
    expect(missingFields(fundingDecisionDefinition, { type: 'PLACE_ON_AGENDA' })).toEqual(['meetingId']);
    expect(missingFields(fundingDecisionDefinition, { type: 'RECORD_FOLLOW_UP', key: 'k' })).toEqual(['heldOn']);
  });

  it('refuses a definition whose person event has a field the catalogue does not describe', () => {
    const broken = { ...agreementDefinition, eventFields: { ...agreementDefinition.eventFields, reason: undefined } } as unknown as CaseKindDefinition;
    expect(() => bodyFields(broken)).toThrow('agreement: fältet reason saknar beskrivning i eventFields.');
    expect(() => eventDto(broken, 'Broken')).toThrow(/reason/);
  });

  it('describes the body in the OpenAPI document: the type as the person events, each field by its kind, the lists by their items', () => {
    const schemas = doc.components?.schemas as Record<string, { required?: string[]; properties: Record<string, Record<string, unknown>> }>;
    const send = schemas.SendEventDto;
    expect(Object.keys(send.properties)).toEqual(['type', 'organisationId', 'reason', 'ground', 'declaredBy', 'lines', 'note', 'documentHash', 'expectedVersion']);
    expect(send.required).toEqual(['type']);
    expect(send.properties.type).toMatchObject({ enum: [...PERSON_EVENT_TYPES] });
    expect(send.properties.organisationId).toMatchObject({ type: 'string', format: 'uuid' });
    expect(send.properties.reason).toMatchObject({ type: 'string', maxLength: 5000 });
    expect(String(send.properties.reason.description)).toContain('Krävs för DECLINE_INITIATIVE, RETURN_TO_DRAFT');
    expect(send.properties.lines).toMatchObject({ type: 'array', items: { $ref: '#/components/schemas/SettlementLineDto' } });
    expect(send.properties.expectedVersion).toMatchObject({ type: 'integer', format: 'int32' });
    expect(schemas.SettlementLineDto.properties.amountKr).toMatchObject({ type: 'integer', format: 'int64', minimum: 0 });
    const funding = schemas.FundingEventDto;
    expect(Object.keys(funding.properties)).toEqual(['type', 'proposal', 'meetingId', 'outcome', 'paragraph', 'reason', 'key', 'heldOn', 'note', 'expectedVersion']);
    expect(funding.properties.heldOn).toMatchObject({ type: 'string', format: 'date', example: '2018-09-25' });
    expect(JSON.stringify(funding.properties.proposal)).toContain('#/components/schemas/ProposalDto');
    expect(schemas.ProposalDto.required).toEqual(['summary', 'amountKr', 'budgetLine', 'partner', 'period', 'officials', 'recipients', 'followUps']);
    expect(schemas.ProposalDto.properties.officials).toMatchObject({ type: 'array', minItems: 1, maxItems: 20, items: { $ref: '#/components/schemas/OfficialDto' } });
    expect(schemas.OfficialDto.required).toEqual(['name']);
    expect(JSON.stringify(schemas.CreateFundingDecisionDto.properties.proposal)).toContain('#/components/schemas/ProposalDto');
  });

  it('lists the fields by the names the body sends them by', () => {
    expect(bodyFields(fundingDecisionDefinition).map((f) => f.name)).toEqual(['proposal', 'meetingId', 'outcome', 'paragraph', 'reason', 'key', 'heldOn', 'note']);
  });
});
