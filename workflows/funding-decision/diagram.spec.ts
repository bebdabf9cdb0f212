import type { AnyStateNode } from 'xstate';
import { fundingDecisionDiagram, fundingDecisionDiagramMarkdown } from './diagram';
import { EVENT_LABELS, STATE_LABELS } from './labels';
import { fundingDecisionMachine } from './machine';

/** Every transition candidate of the machine definition. */
function definedTransitions(): number {
  let count = 0;
  const walk = (node: AnyStateNode): void => {
    for (const candidates of node.transitions.values()) count += candidates.length;
    Object.values(node.states).forEach(walk);
  };
  walk(fundingDecisionMachine.root);
  return count;
}

describe('the funding decision\'s diagram', () => {
  const sut = fundingDecisionDiagram();
  const edges = sut.split('\n').filter((line) => / --> [^[]/.test(line) && line.includes(' : '));

  it('declares every state with its Swedish label, starting in preparation', () => {
    expect(sut.startsWith('stateDiagram-v2\n  [*] --> preparation\n')).toBe(true);
    for (const [code, label] of Object.entries(STATE_LABELS)) expect(sut).toContain(`state "${label}" as ${code}`);
    expect(sut).toContain('withdrawn --> [*]');
  });

  it('draws one edge per transition, labelled with the event in Swedish and its guards in words', () => {
    expect(edges).toHaveLength(definedTransitions());
    expect(sut).toContain(`on_agenda --> preparation : ${EVENT_LABELS.REFER_BACK} [sammanträdet har hållits och skäl angivet]`);
    expect(sut).toContain(`in_progress --> closed : ${EVENT_LABELS.RECORD_FOLLOW_UP} [uppföljningen finns och är inte registrerad och skriftlig utvärdering]`);
    expect(sut).toContain(`granted --> in_progress : ${EVENT_LABELS.PERIOD_STARTED} [perioden har börjat]`);
  });

  it('has a Markdown page with a text description for readers who cannot see the diagram', () => {
    const page = fundingDecisionDiagramMarkdown();
    expect(page).toContain('# Beslut om medel – livscykel');
    expect(page).toContain('I text:');
    expect(page).toContain('```mermaid\nstateDiagram-v2');
  });
});
