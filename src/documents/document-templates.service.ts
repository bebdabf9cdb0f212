import { Injectable } from '@nestjs/common';
import type { Actor } from '@app/audit/actor';
import { requireSignedIn } from '@app/auth/access';
import { ClockService } from '@app/clock/clock.service';
import { DomainError } from '@app/common/domain-error';
import { DEFAULT_TEXTS, sectionTextProblem, TEMPLATE_SECTIONS, type TemplateSection } from '@workflows/agreement/document';
import { DocumentTemplateRepository, type DocumentTemplate } from './document-template.repository';

export interface TemplateView {
  section: TemplateSection;
  /** The current text: the newest version, or the text built into the service (version 0). */
  text: string;
  version: number;
  createdByName: string | null;
  createdAt: string | null;
}

/**
 * The municipality's standard wording for värdegrund and uppsägning och hävning: the secretariat
 * writes the next version, a version is never changed, and a draft that leaves the section empty
 * gets the version current when it is sent for signing (its PDF keeps that text for good).
 */
@Injectable()
export class DocumentTemplatesService {
  constructor(
    private readonly templates: DocumentTemplateRepository,
    private readonly clock: ClockService,
  ) {}

  async current(): Promise<TemplateView[]> {
    const latest = await this.templates.latest();
    return TEMPLATE_SECTIONS.map((section) => {
      const t = latest.find((x) => x.section === section);
      return t ? { section, text: t.text, version: t.version, createdByName: t.createdByName, createdAt: t.createdAt } : { section, text: DEFAULT_TEXTS[section], version: 0, createdByName: null, createdAt: null };
    });
  }

  async standardTexts(): Promise<Record<TemplateSection, string>> {
    return Object.fromEntries((await this.current()).map((t) => [t.section, t.text])) as Record<TemplateSection, string>;
  }

  versions(section: TemplateSection, actor: Actor): Promise<DocumentTemplate[]> {
    requireSignedIn(actor);
    return this.templates.versions(section);
  }

  async add(section: string, text: string, actor: Actor): Promise<DocumentTemplate> {
    requireSignedIn(actor);
    if (!actor.roles.includes('secretariat')) throw new DomainError('forbidden', 'Det är nämndkansliet som underhåller kommunens standardtexter.');
    if (!(TEMPLATE_SECTIONS as readonly string[]).includes(section)) throw DomainError.validation([{ field: 'section', message: `Välj avsnitt: ${TEMPLATE_SECTIONS.join(' eller ')}.` }]);
    const trimmed = text.trim();
    const problem = trimmed === '' ? 'Texten får inte vara tom.' : sectionTextProblem(trimmed);
    if (problem) throw DomainError.validation([{ field: 'text', message: problem }]);
    return this.templates.add(section as TemplateSection, trimmed, { personId: actor.personId, name: actor.name }, this.clock.now());
  }
}
