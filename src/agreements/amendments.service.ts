import { Injectable } from '@nestjs/common';
import { amendmentYearProblem } from '@workflows/agreement/machine';
import { migratePersisted } from '@workflows/agreement/persistence';
import { amendedEconomicsProblems } from '@workflows/agreement/terms';
import type { Economics } from '@workflows/agreement/types';
import type { Actor } from '@app/audit/actor';
import { AgreementAccessService } from '@app/auth/agreement-access.service';
import { ClockService } from '@app/clock/clock.service';
import { DomainError, type FieldProblem } from '@app/common/domain-error';
import { WorkflowEngineService } from '@app/workflow-engine/workflow-engine.service';
import { AgreementRepository } from './agreement.repository';
import { AgreementsService, type AgreementView } from './agreements.service';
import type { ProposeAmendmentDto } from './dto/amendment.dto';
import { agreementCase } from './agreement.kind';

/** The form's field for a problem the pure checks name ("economics.contributions.1" is "contributions.1" here). */
const fieldOf = (field: string): string => field.replace(/^economics\.contributions/, 'contributions');

/**
 * Amendments (tillägg) to an agreement in force: the secretariat proposes new economics from a coming
 * calendar year; every party's signatory agrees (POST /agreements/:id/events, AGREE_TO_AMENDMENT), and the
 * machine then makes it the next terms version. Refusing and withdrawing go through /events as well.
 */
@Injectable()
export class AmendmentsService {
  constructor(
    private readonly engine: WorkflowEngineService,
    private readonly access: AgreementAccessService,
    private readonly clock: ClockService,
    private readonly agreements: AgreementsService,
    private readonly tables: AgreementRepository,
  ) {}

  async propose(agreementId: string, dto: ProposeAmendmentDto, actor: Actor): Promise<AgreementView> {
    await this.engine.requirePermitted(agreementCase(agreementId), actor, { type: 'PROPOSE_AMENDMENT' });
    const agreement = await this.tables.byId(agreementId);
    if (!agreement) throw DomainError.notFound('Överenskommelsen');
    const { context } = migratePersisted({ machineVersion: agreement.machineVersion, value: agreement.stateValue, context: agreement.context });
    const economics: Economics = {
      costLines: dto.economics.costLines.map((l) => ({ label: l.label.trim(), amountKr: l.amountKr })),
      totalKr: dto.economics.totalKr,
      indexationBasisPoints: dto.economics.indexationBasisPoints,
      contributions: dto.contributions.map((c) => ({ organisationId: c.organisationId, amountKr: c.contributionKr, shareBasisPoints: c.shareBasisPoints })),
    };
    const problems: FieldProblem[] = amendedEconomicsProblems(economics, context.terms.parties.map((p) => p.organisationId)).map((p) => ({ ...p, field: fieldOf(p.field) }));
    const missing = context.terms.parties.filter((p) => !economics.contributions.some((c) => c.organisationId === p.organisationId));
    if (missing.length > 0) problems.push({ field: 'contributions', message: `Bidrag saknas för ${missing.map((p) => p.name).join(', ')}.` });
    const yearProblem = amendmentYearProblem(context, dto.effectiveFromYear, this.clock.today());
    if (yearProblem) problems.push({ field: 'effectiveFromYear', message: yearProblem });
    if (problems.length > 0) throw DomainError.validation(problems);
    await this.engine.apply(agreementCase(agreementId), { type: 'PROPOSE_AMENDMENT', effectiveFromYear: dto.effectiveFromYear, economics, reason: dto.reason.trim() }, actor, {
      expectedVersion: dto.expectedVersion,
    });
    return this.agreements.get(agreementId, actor);
  }
}
