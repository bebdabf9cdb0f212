import { Injectable } from '@nestjs/common';
import type { CaseKind, KindNavigation } from './case-kind';

/**
 * The kinds of case this service runs, by type. Each kind's module registers its own when it is
 * constructed; nothing here names a kind, so adding one edits no shared file.
 */
@Injectable()
export class CaseRegistry {
  private readonly kinds = new Map<string, CaseKind>();

  register(kind: CaseKind): void {
    const type = kind.definition.type;
    if (this.kinds.has(type) && this.kinds.get(type) !== kind) throw new Error(`Ärendeslaget ${type} är redan registrerat.`);
    this.kinds.set(type, kind);
  }

  /** The kind of a stored case; a type no module registered is a programming error, not a user's. */
  get(type: string): CaseKind {
    const kind = this.kinds.get(type);
    if (!kind) throw new Error(`Okänt ärendeslag: ${type}`);
    return kind;
  }

  has(type: string): boolean {
    return this.kinds.has(type);
  }

  all(): CaseKind[] {
    return [...this.kinds.values()];
  }

  /** The kinds' main-menu entries, in the order the kinds registered. */
  navigation(): KindNavigation[] {
    return this.all().flatMap((k) => (k.navigation ? [k.navigation] : []));
  }

  /** The Swedish name of a deadline kind of any kind of case. */
  deadlineLabel(type: string, deadlineKind: string): string {
    return this.kinds.get(type)?.definition.deadlineLabels[deadlineKind] ?? deadlineKind;
  }

  stateLabel(type: string, state: string): string {
    return this.kinds.get(type)?.definition.stateLabels?.[state] ?? state;
  }

  eventLabel(type: string, eventType: string): string {
    return this.kinds.get(type)?.definition.events[eventType as never]?.label ?? eventType;
  }
}
