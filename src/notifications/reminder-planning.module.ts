import { Module } from '@nestjs/common';
import { ReminderPlannerService } from './reminder-planner.service';

/** The planner alone, so the engine can depend on it without depending on the rest of notifications. */
@Module({ providers: [ReminderPlannerService], exports: [ReminderPlannerService] })
export class ReminderPlanningModule {}
