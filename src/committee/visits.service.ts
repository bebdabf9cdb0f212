import { pageRequestOf, type Page } from '@app/common/paging';
import { Injectable } from '@nestjs/common';
import { isCalendarDate, type CalendarDate } from '@workflows/calendar/calendar';
import type { Actor } from '@app/audit/actor';
import { ClockService } from '@app/clock/clock.service';
import { DomainError, type FieldProblem } from '@app/common/domain-error';
import { requireCommitteeReader, requireCommitteeWriter } from './committee-access';
import type { CreateCommitteeVisitDto, CreateVisitTemplateDto, ListVisitsQuery } from './dto/visit.dto';
import { VisitsRepository, type NewTemplate, type NewVisit, type Side, type StoredVisit, type VisitParticipant, type VisitTemplate } from './visits.repository';

export const SIDE_LABELS: Record<Side, string> = { majority: 'majoriteten', opposition: 'oppositionen' };

export interface CommitteeVisitView {
  id: string;
  visitDate: CalendarDate;
  verksamhetsinriktning: string;
  agreement: { id: string; title: string } | null;
  /** The template version the visit was documented on; later versions do not change it. */
  template: { id: string; verksamhetsinriktning: string; year: number; version: number; title: string };
  members: Array<{ name: string; side: Side; sideLabel: string }>;
  officials: string[];
  /** Every question of the visit's template, in order, with its answer (null if not answered). */
  answers: Array<{ number: number; question: string; guidance: string[]; answer: string | null }>;
  createdAt: string;
}

/** The template as a new version stores it: numbered questions, defaults filled in. */
export function templateFrom(dto: CreateVisitTemplateDto): NewTemplate {
  return {
    verksamhetsinriktning: dto.verksamhetsinriktning,
    year: dto.year,
    title: dto.title ?? `Dokumentationsmall nämndbesök; ${dto.verksamhetsinriktning}`,
    instructions: dto.instructions?.trim() ?? '',
    preparation: (dto.preparation ?? []).map((p) => p.trim()),
    questions: dto.questions.map((q, i) => ({ number: i + 1, text: q.text, guidance: (q.guidance ?? []).map((g) => g.trim()) })),
  };
}

/** What a visit record must satisfy beyond its DTO's shape, each problem named by field. */
function visitProblems(dto: CreateCommitteeVisitDto, template: VisitTemplate): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (!isCalendarDate(dto.visitDate)) problems.push({ field: 'visitDate', message: 'visitDate är inte ett giltigt datum.' });
  // The template's own rule: members from both the majority (who lead the visit) and the opposition.
  for (const side of ['majority', 'opposition'] as const) {
    if (!dto.members.some((m) => m.side === side)) {
      problems.push({ field: 'members', message: `Ange minst en deltagande ledamot från ${SIDE_LABELS[side]}.` });
    }
  }
  const numbers = template.questions.map((q) => q.number);
  dto.answers.forEach((a, i) => {
    if (!numbers.includes(a.question)) {
      problems.push({ field: `answers.${i}.question`, message: `Mallen (version ${template.version}) har ingen fråga ${a.question}; frågorna är 1–${numbers.length}.` });
    } else if (dto.answers.findIndex((other) => other.question === a.question) !== i) {
      problems.push({ field: `answers.${i}.question`, message: `Fråga ${a.question} är redan besvarad; skriv hela svaret på ett ställe.` });
    }
  });
  return problems;
}

function viewOf(visit: StoredVisit, template: VisitTemplate): CommitteeVisitView {
  const members = visit.participants.filter((p): p is Extract<VisitParticipant, { role: 'member' }> => p.role === 'member');
  return {
    id: visit.id,
    visitDate: visit.visitDate,
    verksamhetsinriktning: visit.verksamhetsinriktning,
    agreement: visit.agreementId ? { id: visit.agreementId, title: visit.agreementTitle ?? '' } : null,
    template: { id: template.id, verksamhetsinriktning: template.verksamhetsinriktning, year: template.year, version: template.version, title: template.title },
    members: members.map((m) => ({ name: m.name, side: m.side, sideLabel: SIDE_LABELS[m.side] })),
    officials: visit.participants.filter((p) => p.role === 'official').map((p) => p.name),
    answers: template.questions.map((q) => ({
      number: q.number,
      question: q.text,
      guidance: q.guidance,
      answer: visit.answers.find((a) => a.question === q.number)?.answer ?? null,
    })),
    createdAt: visit.createdAt,
  };
}

/**
 * Committee visits (nämndbesök) and the templates they are documented on. The secretariat writes;
 * auditors and administrators read. A template is never edited: next year's questions are a new
 * version, so every visit is shown with the questions it was answered against.
 */
@Injectable()
export class VisitsService {
  constructor(
    private readonly visits: VisitsRepository,
    private readonly clock: ClockService,
  ) {}

  async createTemplate(dto: CreateVisitTemplateDto, actor: Actor): Promise<VisitTemplate> {
    requireCommitteeWriter(actor, 'skriva mallar för nämndbesök');
    return this.visits.insertTemplate(templateFrom(dto), this.clock.now(), actor.personId);
  }

  async listTemplates(actor: Actor, verksamhetsinriktning?: string): Promise<VisitTemplate[]> {
    requireCommitteeReader(actor, 'läsa mallar för nämndbesök');
    return this.visits.templates(verksamhetsinriktning?.trim() || undefined);
  }

  async getTemplate(id: string, actor: Actor): Promise<VisitTemplate> {
    requireCommitteeReader(actor, 'läsa mallar för nämndbesök');
    return this.requireTemplate(id);
  }

  async createVisit(dto: CreateCommitteeVisitDto, actor: Actor): Promise<CommitteeVisitView> {
    requireCommitteeWriter(actor, 'dokumentera nämndbesök');
    const template = await this.visits.template(dto.templateId);
    if (!template) throw DomainError.validation([{ field: 'templateId', message: 'Mallen finns inte.' }]);
    const problems = visitProblems(dto, template);
    if (dto.agreementId && !(await this.visits.agreementExists(dto.agreementId))) {
      problems.push({ field: 'agreementId', message: 'Överenskommelsen finns inte.' });
    }
    if (problems.length > 0) throw DomainError.validation(problems);
    const visit: NewVisit = {
      templateId: template.id,
      visitDate: dto.visitDate,
      verksamhetsinriktning: dto.verksamhetsinriktning ?? template.verksamhetsinriktning,
      agreementId: dto.agreementId ?? null,
      participants: [
        ...dto.members.map((m): VisitParticipant => ({ role: 'member', name: m.name, side: m.side })),
        ...dto.officials.map((name): VisitParticipant => ({ role: 'official', name: name.trim(), side: null })),
      ],
      answers: [...dto.answers].sort((a, b) => a.question - b.question).map((a) => ({ question: a.question, answer: a.answer })),
    };
    const id = await this.visits.insertVisit(visit, this.clock.now(), actor.personId);
    return this.view(id);
  }

  async listVisits(query: ListVisitsQuery, actor: Actor): Promise<Page<CommitteeVisitView>> {
    requireCommitteeReader(actor, 'läsa dokumentationen av nämndbesök');
    const visits = await this.visits.visits({ year: query.year, agreementId: query.agreementId }, pageRequestOf(query, 3));
    const templates = new Map((await this.visits.templates()).map((t) => [t.id, t]));
    return visits.map((v) => viewOf(v, templates.get(v.templateId) as VisitTemplate));
  }

  async getVisit(id: string, actor: Actor): Promise<CommitteeVisitView> {
    requireCommitteeReader(actor, 'läsa dokumentationen av nämndbesök');
    return this.view(id);
  }

  private async view(id: string): Promise<CommitteeVisitView> {
    const visit = await this.visits.visit(id);
    if (!visit) throw DomainError.notFound('Nämndbesöket');
    return viewOf(visit, await this.requireTemplate(visit.templateId));
  }

  private async requireTemplate(id: string): Promise<VisitTemplate> {
    const template = await this.visits.template(id);
    if (!template) throw DomainError.notFound('Mallen');
    return template;
  }
}
