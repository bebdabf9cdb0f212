import { Module } from '@nestjs/common';
import { AgreementsModule } from '@app/agreements/agreements.module';
import { FollowUpModule } from '@app/follow-up/follow-up.module';
import { FundingDecisionsModule } from '@app/funding-decisions/funding-decisions.module';
import { TimersModule } from '@app/timers/timers.module';
import { WorkflowEngineModule } from '@app/workflow-engine/workflow-engine.module';
import { DemoSeederService } from './demo-seeder.service';

@Module({ imports: [AgreementsModule, FollowUpModule, FundingDecisionsModule, TimersModule, WorkflowEngineModule], providers: [DemoSeederService], exports: [DemoSeederService] })
export class DemoModule {}
