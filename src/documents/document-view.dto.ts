import { DateTime, Int, OneOf, Str } from '@app/common/view-properties';

/** One of an agreement's documents (DocumentsService.ListedDocument). */
export class DocumentView {
  @Str({ description: 'SHA-256 över PDF-filen, 64 hexadecimala tecken.' }) hash!: string;
  @OneOf(['draft', 'signed'], { description: 'draft: versionen för underskrift; signed: det förseglade, undertecknade dokumentet.' }) kind!: string;
  @Int() signingRound!: number;
  @Int({ description: 'Överenskommelsens radversion som dokumentet skrevs ut från.' }) termsRowVersion!: number;
  @DateTime() createdAt!: string;
  @Int({ description: 'Storlek i byte.' }) size!: number;
  @OneOf(['for_signing', 'signed', 'superseded']) status!: string;
  @Str() href!: string;
}
