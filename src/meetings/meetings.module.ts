import { Module } from '@nestjs/common';
import { WorkflowEngineModule } from '@app/workflow-engine/workflow-engine.module';
import { MeetingsController } from './meetings.controller';
import { MeetingsService } from './meetings.service';
import { MeetingPagesController } from './web/meeting-pages.controller';

/** The committees' sammanträdesplan, shared by every kind of case whose dates hang on meetings. */
@Module({ imports: [WorkflowEngineModule], controllers: [MeetingsController, MeetingPagesController], providers: [MeetingsService], exports: [MeetingsService] })
export class MeetingsModule {}
