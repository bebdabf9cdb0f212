import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AnyStateNode } from 'xstate';
import { agreementDiagram, agreementDiagramMarkdown, readmeWithDiagram } from './diagram';
import { EVENT_LABELS, STATE_LABELS } from './labels';
import { agreementMachine } from './machine';
import type { AgreementEventType } from './types';

const DOC = join(__dirname, '..', '..', 'docs', 'agreement-lifecycle.md');

/** Every transition candidate of the machine definition: [event type, guarded?]. */
function definedTransitions(): Array<{ type: AgreementEventType; guarded: boolean }> {
  const found: Array<{ type: AgreementEventType; guarded: boolean }> = [];
  const walk = (node: AnyStateNode): void => {
    for (const [type, candidates] of node.transitions) {
      for (const t of candidates) found.push({ type: type as AgreementEventType, guarded: Boolean(t.guard) });
    }
    Object.values(node.states).forEach(walk);
  };
  walk(agreementMachine.root);
  return found;
}

describe('the lifecycle diagram', () => {
  const sut = agreementDiagram();
  const edges = sut.split('\n').filter((line) => / --> [^[]/.test(line) && line.includes(' : '));

  it('is committed as generated from the machine', () => {
    const committed = readFileSync(DOC, 'utf8');
    if (committed !== agreementDiagramMarkdown()) {
      throw new Error('docs/agreement-lifecycle.md does not match the machine. Run `npm run diagram` and commit the result.');
    }
  });

  it('names every state by its Swedish label', () => {
    const missing = Object.values(STATE_LABELS).filter((label) => !sut.includes(`state "${label}"`));
    expect(missing).toEqual([]);
  });

  it('labels an arrow with every event that has a transition, and with nothing else', () => {
    const withTransition = [...new Set(definedTransitions().map((t) => t.type))];
    const missing = withTransition.filter((type) => !edges.some((line) => line.includes(` : ${EVENT_LABELS[type]}`)));
    expect(missing).toEqual([]);
    const unknown = edges.filter((line) => !Object.values(EVENT_LABELS).some((label) => line.includes(` : ${label}`)));
    expect(unknown).toEqual([]);
  });

  it('draws one arrow per transition, each guarded one showing its guard', () => {
    const defined = definedTransitions();
    expect(edges).toHaveLength(defined.length);
    expect(edges.filter((line) => /\[[^\]]+\]$/.test(line))).toHaveLength(defined.filter((t) => t.guarded).length);
    expect(sut).toContain('inForce_active --> expired : Slutdatum passerat [endDatePassed]');
    expect(sut).toContain('signing --> inForce : Signera [partyHasNotSigned och isLastSignature]');
  });

  it('is a Mermaid block in the Markdown page', () => {
    const page = agreementDiagramMarkdown();
    expect(page).toMatch(/```mermaid\nstateDiagram-v2\n[\s\S]+\n```\n$/);
    expect(page).toContain('npm run diagram');
  });
});

describe('the README', () => {
  it('shows the diagram generated from the machine', () => {
    const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');
    if (readmeWithDiagram(readme) !== readme) {
      throw new Error('README.md does not show the current diagram. Run `npm run diagram` and commit the result.');
    }
  });
});
