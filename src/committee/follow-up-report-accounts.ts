import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { calendarDateOf } from '@workflows/calendar/calendar';
import { AppConfig } from '@app/config/app-config';
import { DEMO_AGREEMENTS } from '@app/demo/demo-agreements';
import { DEMO_FOLLOW_UP_2021 } from '@app/demo/demo-follow-up-2021';
import { reportsForYear } from '@app/follow-up/follow-up.repository';
import { figuresOf, FollowUpAccounts, type ReportedAgreement, type YearAccount } from './follow-up-accounts';

/**
 * The yearly reports the partners handed in, read through the follow-up module's repository (table
 * follow_up_report, one per agreement and year); the follow-up module writes them through the engine.
 *
 * Until the demo seeder submits the demo's 2021 reports through the follow-up module, a demo
 * installation (DEMO_DATA on, never otherwise) fills the gaps from src/demo/demo-follow-up-2021.ts,
 * matched to the demo agreements by title. A report in the table always wins.
 */
@Injectable()
export class FollowUpReportAccounts extends FollowUpAccounts {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: AppConfig,
  ) {
    super();
  }

  async accountsFor(year: number, agreements: readonly ReportedAgreement[]): Promise<YearAccount[]> {
    const stored = (await reportsForYear(this.dataSource.manager, year, agreements.map((a) => a.agreementId))).map(
      (r): YearAccount => ({ agreementId: r.agreementId, year, account: r.text, receivedOn: calendarDateOf(r.submittedAt), figures: figuresOf(r) }),
    );
    const missing = agreements.filter((a) => !stored.some((s) => s.agreementId === a.agreementId));
    return [...stored, ...(this.config.demoData ? this.demoAccounts(year, missing) : [])];
  }

  private demoAccounts(year: number, agreements: readonly ReportedAgreement[]): YearAccount[] {
    return DEMO_FOLLOW_UP_2021.filter((r) => r.year === year).flatMap((r): YearAccount[] => {
      const title = DEMO_AGREEMENTS.find((d) => d.key === r.agreementKey)?.title;
      const agreement = agreements.find((a) => a.name === title);
      return agreement ? [{ agreementId: agreement.agreementId, year, account: r.text, receivedOn: r.receivedOn, figures: figuresOf(r) }] : [];
    });
  }
}
