import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsString, MaxLength } from 'class-validator';
import { SECTION_MAX_LENGTH, TEMPLATE_SECTIONS } from '@workflows/agreement/document';
import { DateTime, Int, OneOf, Str } from '@app/common/view-properties';

/** One of an agreement's documents (DocumentsService.ListedDocument). */
export class DocumentView {
  @Str({ description: 'SHA-256 över PDF-filen, 64 hexadecimala tecken.' }) hash!: string;
  @OneOf(['draft', 'signed', 'amendment'], { description: 'draft: versionen för underskrift; signed: det förseglade, undertecknade dokumentet; amendment: ett förseglat tillägg.' }) kind!: string;
  @Int() signingRound!: number;
  @Int({ description: 'Överenskommelsens radversion som dokumentet skrevs ut från.' }) termsRowVersion!: number;
  @DateTime() createdAt!: string;
  @Int({ description: 'Storlek i byte.' }) size!: number;
  @OneOf(['for_signing', 'signed', 'superseded']) status!: string;
  @Str() href!: string;
}

/** One version of the municipality's standard text for a fixed section (version 0: the text built into the service). */
export class DocumentTemplateView {
  @OneOf([...TEMPLATE_SECTIONS]) section!: string;
  @Int() version!: number;
  @Str() text!: string;
  @Str({ nullable: true }) createdByName!: string | null;
  @DateTime({ nullable: true }) createdAt!: string | null;
}

/** The next version of a standard text. */
export class NewDocumentTemplateDto {
  @ApiProperty({ enum: TEMPLATE_SECTIONS, description: 'values = Värdegrund, termination = Uppsägning och hävning.' })
  @IsIn([...TEMPLATE_SECTIONS], { message: '$property ska vara values eller termination' })
  section!: string;

  @ApiProperty({ description: 'Vanlig text: stycken med en tom rad emellan, punktlistor med "- ".' })
  @IsString({ message: '$property ska vara text' })
  @MaxLength(SECTION_MAX_LENGTH, { message: '$property får vara högst $constraint1 tecken' })
  text!: string;
}
