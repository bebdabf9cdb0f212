import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateBy,
  ValidateNested,
  type ValidationArguments,
} from 'class-validator';
import { Transform } from 'class-transformer';
import { IntegerColumn } from '@app/common/integer-field';
import { IsOrganisationNumber } from '@app/organisations/is-organisation-number.decorator';
import { sectionTextProblem } from '@workflows/agreement/document';
import { normaliseOrganisationNumber, ORGANISATION_NUMBER_MESSAGES, parseOrganisationNumber, peppolOrganisationNumberProblem } from '@app/organisations/organisation-number';

/** The longest text each terms field takes: the DTOs refuse longer, and the forms' `maxlength` says the same. */
export const TERMS_MAX_LENGTH = {
  title: 200,
  diarienummer: 100,
  committee: 200,
  text: 20_000,
  placeCategory: 500,
  costLabel: 300,
  reference: 100,
  marking: 300,
  address: 500,
} as const;

/** class-validator's own message is English: "$property får vara högst 200 tecken". */
const TOO_LONG = '$property får vara högst $constraint1 tecken';

/** The field named first, then what is wrong with the number (form, legal entity or check digit). */
function organisationNumberMessage(a: ValidationArguments): string {
  const result = parseOrganisationNumber(a.value);
  return `${a.property}: ${result.ok ? ORGANISATION_NUMBER_MESSAGES.format : result.message}`;
}

const peppolMessage = (a?: ValidationArguments): string => `${a?.property ?? 'peppolId'}: efter 0007: ${peppolOrganisationNumberProblem(a?.value) ?? ''}`;
import { RECEIVED_VIA, type ReceivedVia } from '../received-initiative';

export const DATE_PATTERN = /^\d{4}-\d{2}-\d{2}$/;
export const DATE_MESSAGE = '$property ska vara ett datum på formen ÅÅÅÅ-MM-DD';

export class PartyDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID('all', { message: '$property ska vara ett uuid' })
  organisationId!: string;

  @ApiPropertyOptional({ description: 'Partens bidrag per kalenderår i hela kronor (basåret).', example: 1658160 })
  @IsOptional()
  @IntegerColumn('kronor')
  @IsInt({ message: '$property ska vara hela kronor' })
  @Min(0, { message: '$property får inte vara negativt' })
  contributionKr?: number;

  @ApiPropertyOptional({ description: 'Andel i hundradels procent: 7000 = 70 %. Utelämnad räknas den ut från bidragen; angiven ska den stämma med bidraget (avrundad till 0,01 %).', example: 7000 })
  @IsOptional()
  @IntegerColumn()
  @IsInt({ message: '$property ska vara ett heltal (hundradels procent)' })
  @Min(0, { message: '$property får inte vara negativt' })
  @Max(10000, { message: '$property får vara högst 10000 (100 %)' })
  shareBasisPoints?: number;
}

export class ValidityDto {
  @ApiPropertyOptional({ example: '2024-01-01', description: 'Gäller från och med.' })
  @IsOptional()
  @Matches(DATE_PATTERN, { message: DATE_MESSAGE })
  startDate?: string;

  @ApiPropertyOptional({ example: '2025-12-31', description: 'Gäller till och med.' })
  @IsOptional()
  @Matches(DATE_PATTERN, { message: DATE_MESSAGE })
  endDate?: string;
}

export class ExtensionTermsDto {
  @ApiProperty({ example: 24, description: 'Förlängningsperiodens längd i månader.' })
  @IntegerColumn()
  @IsInt({ message: '$property ska vara ett heltal' })
  @Min(1, { message: '$property ska vara minst 1' })
  @Max(120, { message: '$property får vara högst 120' })
  periodMonths!: number;

  @ApiProperty({ example: 2, description: 'Högsta antal förlängningar.' })
  @IntegerColumn()
  @IsInt({ message: '$property ska vara ett heltal' })
  @Min(0, { message: '$property får inte vara negativt' })
  @Max(10, { message: '$property får vara högst 10' })
  maxExtensions!: number;

  @ApiPropertyOptional({ example: 3, description: 'Beslut fattas senast så många månader före utgången.' })
  @IsOptional()
  @IntegerColumn()
  @IsInt({ message: '$property ska vara ett heltal' })
  @Min(0, { message: '$property får inte vara negativt' })
  @Max(24, { message: '$property får vara högst 24' })
  decisionNoticeMonths?: number;

  @ApiPropertyOptional({ example: 6, description: 'Beslutsfasen öppnar så många månader före beslutsdagen.' })
  @IsOptional()
  @IntegerColumn()
  @IsInt({ message: '$property ska vara ett heltal' })
  @Min(0, { message: '$property får inte vara negativt' })
  @Max(24, { message: '$property får vara högst 24' })
  decisionWindowMonths?: number;
}

export class CostLineDto {
  @ApiProperty({ example: 'lokaler' })
  @IsString({ message: '$property ska vara text' })
  @IsNotEmpty({ message: '$property får inte vara tom' })
  @MaxLength(TERMS_MAX_LENGTH.costLabel, { message: TOO_LONG })
  label!: string;

  @ApiProperty({ example: 372000 })
  @IntegerColumn('kronor')
  @IsInt({ message: '$property ska vara hela kronor' })
  @Min(0, { message: '$property får inte vara negativt' })
  amountKr!: number;

  @ApiPropertyOptional({ format: 'uuid', description: 'Parten som står för kostnaden, om överenskommelsen anger det.' })
  @IsOptional()
  @IsUUID('all', { message: '$property ska vara ett uuid' })
  organisationId?: string;
}

export class EconomicsDto {
  @ApiProperty({ type: [CostLineDto] })
  @IsArray({ message: '$property ska vara en lista' })
  @ArrayMaxSize(100, { message: '$property får ha högst $constraint1 rader' })
  @ValidateNested({ each: true })
  @Type(() => CostLineDto)
  costLines!: CostLineDto[];

  @ApiProperty({ example: 2368800, description: 'Summa kostnader per kalenderår, hela kronor.' })
  @IntegerColumn('kronor')
  @IsInt({ message: '$property ska vara hela kronor' })
  @Min(0, { message: '$property får inte vara negativt' })
  totalKr!: number;

  @ApiProperty({ example: 200, description: 'Årlig uppräkning i hundradels procent: 200 = 2 %.' })
  @IntegerColumn()
  @IsInt({ message: '$property ska vara ett heltal (hundradels procent)' })
  @Min(0, { message: '$property får inte vara negativt' })
  @Max(10000, { message: '$property får vara högst 10000 (100 %)' })
  indexationBasisPoints!: number;
}

export class InvoicingDto {
  @ApiPropertyOptional({ example: '7332776000001' })
  @IsOptional()
  @Matches(/^\d{13}$/, { message: '$property ska vara 13 siffror' })
  gln?: string;

  @ApiPropertyOptional({ example: '212000-0449' })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => normaliseOrganisationNumber(value))
  // Every organisationsnummer has its Luhn check digit checked; the message names the field.
  @IsOrganisationNumber({ message: organisationNumberMessage })
  organisationNumber?: string;

  @ApiPropertyOptional({ example: '0007:2120000449' })
  @IsOptional()
  @Matches(/^\d{4}:[0-9A-Za-z]+$/, { message: '$property ska ha formen NNNN:identitet' })
  // Scheme 0007 is a Swedish organisationsnummer: its check digit is checked too.
  @ValidateBy({ name: 'peppolOrganisationNumber', validator: { validate: (v: unknown) => peppolOrganisationNumberProblem(v) === null, defaultMessage: peppolMessage } })
  peppolId?: string;

  @ApiPropertyOptional({ example: '150Z' })
  @IsOptional()
  @IsString({ message: '$property ska vara text' })
  @MaxLength(TERMS_MAX_LENGTH.reference, { message: TOO_LONG })
  reference?: string;

  @ApiPropertyOptional({ example: 'IOP Bromodellen samt faktureringsperiod' })
  @IsOptional()
  @IsString({ message: '$property ska vara text' })
  @MaxLength(TERMS_MAX_LENGTH.marking, { message: TOO_LONG })
  marking?: string;

  @ApiPropertyOptional({ example: 'Linköpings kommun, Integration- och arbetsmarknadsförvaltningen\nSkanningcentralen 150Z\n581 81 LINKÖPING', description: 'Fakturaadress, en rad per rad på kuvertet.' })
  @IsOptional()
  @IsString({ message: '$property ska vara text' })
  @MaxLength(TERMS_MAX_LENGTH.address, { message: TOO_LONG })
  address?: string;
}

export class YearlyReportDueDto {
  @ApiProperty({ example: 3, description: 'Månaden (1–12) året efter då årsrapporten ska ha lämnats.' })
  @IntegerColumn()
  @IsInt({ message: '$property ska anges (1–12)' })
  @Min(1, { message: '$property ska vara 1–12' })
  @Max(12, { message: '$property ska vara 1–12' })
  dueMonth!: number;

  @ApiProperty({ example: 31, description: 'Dagen i månaden.' })
  @IntegerColumn()
  @IsInt({ message: '$property ska anges (1–31)' })
  @Min(1, { message: '$property ska vara 1–31' })
  @Max(31, { message: '$property ska vara 1–31' })
  dueDay!: number;
}

/** "Kunskapsinhämtning och uppföljning": what the parties have agreed to do every year. */
export class FollowUpDutiesDto {
  @ApiProperty({ example: 1, description: 'Samverkansgruppen träffas minst så många gånger per kalenderår (0 = inget krav).' })
  @IntegerColumn()
  @IsInt({ message: '$property ska vara ett heltal' })
  @Min(0, { message: '$property får inte vara negativt' })
  @Max(12, { message: '$property får vara högst 12' })
  meetingsPerYear!: number;

  @ApiPropertyOptional({ type: YearlyReportDueDto, description: 'Skriftlig årsrapport om föregående år, senast denna dag; utelämnad = ingen årsrapport.' })
  @IsOptional()
  @IsObject({ message: '$property ska vara ett objekt, inte en lista' })
  @ValidateNested()
  @Type(() => YearlyReportDueDto)
  yearlyReport?: YearlyReportDueDto;
}

/** Plain text for the document: no HTML, no control characters (workflows/agreement/document.ts says why in Swedish). */
function PlainText(): PropertyDecorator {
  return ValidateBy({
    name: 'plainText',
    validator: {
      validate: (value: unknown) => typeof value !== 'string' || sectionTextProblem(value, Number.MAX_SAFE_INTEGER) === null,
      defaultMessage: (args?: ValidationArguments) => `${args?.property ?? 'Texten'}: ${sectionTextProblem(String(args?.value ?? ''), Number.MAX_SAFE_INTEGER) ?? ''}`,
    },
  });
}

/** The document's free-text sections beside syfte, målgrupp and verksamhet: plain text, paragraphs split by a blank line, "- " lists. */
export class DocumentTextsDto {
  @ApiPropertyOptional({ description: 'Bakgrund.' })
  @IsOptional()
  @IsString({ message: '$property ska vara text' })
  @MaxLength(TERMS_MAX_LENGTH.text, { message: TOO_LONG })
  @PlainText()
  background?: string;

  @ApiPropertyOptional({ description: 'Värdegrund (tom = kommunens standardtext).' })
  @IsOptional()
  @IsString({ message: '$property ska vara text' })
  @MaxLength(TERMS_MAX_LENGTH.text, { message: TOO_LONG })
  @PlainText()
  values?: string;

  @ApiPropertyOptional({ description: 'Organisation och samverkan.' })
  @IsOptional()
  @IsString({ message: '$property ska vara text' })
  @MaxLength(TERMS_MAX_LENGTH.text, { message: TOO_LONG })
  @PlainText()
  organisation?: string;

  @ApiPropertyOptional({ description: 'Kunskapsinhämtning och uppföljning (plikterna i followUp läggs till ur villkoren).' })
  @IsOptional()
  @IsString({ message: '$property ska vara text' })
  @MaxLength(TERMS_MAX_LENGTH.text, { message: TOO_LONG })
  @PlainText()
  followUp?: string;

  @ApiPropertyOptional({ description: 'Uppsägning och hävning (tom = kommunens standardtext; hävningsgrunderna läggs till ur villkoren).' })
  @IsOptional()
  @IsString({ message: '$property ska vara text' })
  @MaxLength(TERMS_MAX_LENGTH.text, { message: TOO_LONG })
  @PlainText()
  termination?: string;
}

/** The editable terms of an agreement; shared by create and edit. */
export class AgreementTermsDto {
  @ApiProperty({ example: 'Bromodellen' })
  @IsString({ message: '$property ska vara text' })
  @IsNotEmpty({ message: '$property får inte vara tom' })
  @MaxLength(TERMS_MAX_LENGTH.title, { message: TOO_LONG })
  title!: string;

  @ApiPropertyOptional({ example: 'AN 2023-0123' })
  @IsOptional()
  @IsString({ message: '$property ska vara text' })
  @MaxLength(TERMS_MAX_LENGTH.diarienummer, { message: TOO_LONG })
  diarienummer?: string;

  @ApiPropertyOptional({ example: 'Arbetsmarknadsnämnden' })
  @IsOptional()
  @IsString({ message: '$property ska vara text' })
  @MaxLength(TERMS_MAX_LENGTH.committee, { message: TOO_LONG })
  committee?: string;

  @ApiPropertyOptional({ description: 'Syfte.' })
  @IsOptional()
  @IsString({ message: '$property ska vara text' })
  @MaxLength(TERMS_MAX_LENGTH.text, { message: TOO_LONG })
  purpose?: string;

  @ApiPropertyOptional({ description: 'Målgrupp.' })
  @IsOptional()
  @IsString({ message: '$property ska vara text' })
  @MaxLength(TERMS_MAX_LENGTH.text, { message: TOO_LONG })
  targetGroup?: string;

  @ApiPropertyOptional({ description: 'Verksamhet.' })
  @IsOptional()
  @IsString({ message: '$property ska vara text' })
  @MaxLength(TERMS_MAX_LENGTH.text, { message: TOO_LONG })
  activities?: string;

  @ApiPropertyOptional({ example: 40, description: 'Antal platser (helårsplatser).' })
  @IsOptional()
  @IntegerColumn()
  @IsInt({ message: '$property ska vara ett heltal' })
  @Min(0, { message: '$property får inte vara negativt' })
  places?: number;

  @ApiPropertyOptional({ example: 'förberedande arbetsträning, delvis självständig → mycket självständig' })
  @IsOptional()
  @IsString({ message: '$property ska vara text' })
  @MaxLength(TERMS_MAX_LENGTH.placeCategory, { message: TOO_LONG })
  placeCategory?: string;

  @ApiProperty({ type: [PartyDto], description: 'Parterna: kommunen och minst en idéburen organisation.' })
  @IsArray({ message: '$property ska vara en lista' })
  @ArrayMinSize(1, { message: '$property ska ha minst en part' })
  @ArrayMaxSize(20, { message: '$property får ha högst $constraint1 parter' })
  @ValidateNested({ each: true })
  @Type(() => PartyDto)
  parties!: PartyDto[];

  @ApiPropertyOptional({ type: ValidityDto })
  @IsOptional()
  @IsObject({ message: '$property ska vara ett objekt, inte en lista' })
  @ValidateNested()
  @Type(() => ValidityDto)
  validity?: ValidityDto;

  @ApiPropertyOptional({ type: ExtensionTermsDto })
  @IsOptional()
  @IsObject({ message: '$property ska vara ett objekt, inte en lista' })
  @ValidateNested()
  @Type(() => ExtensionTermsDto)
  extension?: ExtensionTermsDto;

  @ApiPropertyOptional({ type: EconomicsDto })
  @IsOptional()
  @IsObject({ message: '$property ska vara ett objekt, inte en lista' })
  @ValidateNested()
  @Type(() => EconomicsDto)
  economics?: EconomicsDto;

  @ApiPropertyOptional({ type: DocumentTextsDto, description: 'Dokumentets övriga textavsnitt; utelämnat = oförändrade.' })
  @IsOptional()
  @IsObject({ message: '$property ska vara ett objekt, inte en lista' })
  @ValidateNested()
  @Type(() => DocumentTextsDto)
  texts?: DocumentTextsDto;

  @ApiPropertyOptional({ type: InvoicingDto })
  @IsOptional()
  @IsObject({ message: '$property ska vara ett objekt, inte en lista' })
  @ValidateNested()
  @Type(() => InvoicingDto)
  invoicing?: InvoicingDto;

  @ApiPropertyOptional({ type: FollowUpDutiesDto, description: 'Uppföljningsplikter: möten per år och skriftlig årsrapport; utelämnad = inga.' })
  @IsOptional()
  @IsObject({ message: '$property ska vara ett objekt, inte en lista' })
  @ValidateNested()
  @Type(() => FollowUpDutiesDto)
  followUp?: FollowUpDutiesDto;

  @ApiPropertyOptional({ type: [String], description: 'Firmatecknare (person-id).' })
  @IsOptional()
  @IsArray({ message: '$property ska vara en lista' })
  @IsUUID('all', { each: true, message: '$property ska vara uuid' })
  signatoryIds?: string[];

  @ApiPropertyOptional({ type: [String], description: 'Samverkansgruppens ledamöter (person-id).' })
  @IsOptional()
  @IsArray({ message: '$property ska vara en lista' })
  @IsUUID('all', { each: true, message: '$property ska vara uuid' })
  samverkansgruppIds?: string[];
}

export class CreateAgreementDto extends AgreementTermsDto {
  @ApiProperty({ format: 'uuid', description: 'Den idéburna organisation som tar initiativet.' })
  @IsUUID('all', { message: '$property ska vara ett uuid' })
  proposedByOrganisationId!: string;

  @ApiPropertyOptional({
    enum: RECEIVED_VIA,
    description: 'Bara nämndkansliet: initiativet kom in på papper (paper), med e-post (email) eller på annat sätt (other) och registreras för organisationens räkning.',
  })
  @IsOptional()
  @IsIn(RECEIVED_VIA, { message: `$property ska vara ett av: ${RECEIVED_VIA.join(', ')} (papper, e-post, annat)` })
  receivedVia?: ReceivedVia;

  @ApiPropertyOptional({ example: '2026-11-28', description: 'Dagen initiativet kom in till nämndkansliet (med receivedVia).' })
  @IsOptional()
  @Matches(DATE_PATTERN, { message: DATE_MESSAGE })
  receivedOn?: string;
}

export class UpdateAgreementDto extends AgreementTermsDto {
  @ApiPropertyOptional({ description: 'Radversionen du läste; en äldre version avvisas.' })
  @IsOptional()
  @IntegerColumn()
  @IsInt({ message: '$property ska vara ett heltal' })
  expectedVersion?: number;
}

/** The document's free text alone (the web page for the draft's text): syfte, målgrupp, verksamhet and the other sections. */
export class UpdateDocumentTextsDto extends DocumentTextsDto {
  @ApiPropertyOptional({ description: 'Syfte.' })
  @IsOptional()
  @IsString({ message: '$property ska vara text' })
  @MaxLength(TERMS_MAX_LENGTH.text, { message: TOO_LONG })
  @PlainText()
  purpose?: string;

  @ApiPropertyOptional({ description: 'Målgrupp.' })
  @IsOptional()
  @IsString({ message: '$property ska vara text' })
  @MaxLength(TERMS_MAX_LENGTH.text, { message: TOO_LONG })
  @PlainText()
  targetGroup?: string;

  @ApiPropertyOptional({ description: 'Verksamhet.' })
  @IsOptional()
  @IsString({ message: '$property ska vara text' })
  @MaxLength(TERMS_MAX_LENGTH.text, { message: TOO_LONG })
  @PlainText()
  activities?: string;

  @ApiPropertyOptional({ description: 'Radversionen som lästes; en annan nuvarande version nekas.' })
  @IsOptional()
  @IntegerColumn()
  @IsInt({ message: '$property ska vara ett heltal' })
  expectedVersion?: number;
}
