import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsIn } from 'class-validator';
import { NOTICE_KINDS } from '@workflows/agreement/notices';
import { Bool, ListOf, OneOf, Str, Strings, Nested } from '@app/common/view-properties';

export class SetNoticePreferencesDto {
  @ApiProperty({ enum: NOTICE_KINDS, isArray: true, example: ['amendment_proposed'], description: 'Meddelandena personen inte vill ha med e-post; alla andra är på. Påminnelser om datum kan inte stängas av.' })
  @IsArray({ message: '$property ska vara en lista' })
  @ArrayMaxSize(NOTICE_KINDS.length)
  @IsIn(NOTICE_KINDS, { each: true, message: `$property får bara innehålla ${NOTICE_KINDS.join(', ')}` })
  off!: string[];
}

export class NoticeChoiceView {
  @OneOf(NOTICE_KINDS) kind!: string;
  @Str() label!: string;
  @Str({ description: 'Vilka som normalt får meddelandet.' }) who!: string;
  @Bool() email!: boolean;
}

export class RemindersAlwaysOnView {
  @Bool({ description: 'Alltid true: påminnelser om datum kan inte stängas av.' }) email!: boolean;
  @Str() note!: string;
}

export class NoticePreferencesView {
  @ListOf(() => NoticeChoiceView) notices!: NoticeChoiceView[];
  @Strings({ enum: [...NOTICE_KINDS] }) off!: string[];
  @Nested(() => RemindersAlwaysOnView) reminders!: RemindersAlwaysOnView;
}
