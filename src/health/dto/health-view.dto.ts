import { DateTime, Int, OneOf, Str, Strings } from '@app/common/view-properties';

export class HealthView {
  @OneOf(['ok', 'fel']) status!: string;
  @Str({ required: false, description: 'Bara medan instansen stängs (503).' }) reason?: string;
  @OneOf(['ok', 'fel']) database!: string;
  @Int() uptimeSeconds!: number;
  @DateTime() time!: string;
}

export class ReadinessView {
  @OneOf(['ok', 'fel']) status!: string;
  @OneOf(['ok', 'fel']) database!: string;
  @Strings({ description: 'Varför tjänsten inte är redo; tom när den är det.' }) reasons!: string[];
  @DateTime() time!: string;
  @Int({ required: false, nullable: true }) lastSweepSecondsAgo?: number | null;
  @Int({ required: false }) oldestDueTimerSeconds?: number;
  @Int({ required: false }) oldestDueOutboxSeconds?: number;
  @Int({ required: false }) openIncidents?: number;
}
