import { caseDiagram, caseDiagramMarkdown, type DiagramLabels } from '../kernel/diagram';
import { EVENT_LABELS, STATE_LABELS } from './labels';
import { fundingDecisionMachine } from './machine';
import type { FundingDecisionEventType, FundingDecisionStateCode } from './types';

/** The guards in words, so the diagram reads as Swedish. */
export const GUARD_LABELS: Record<string, string> = {
  proposalConsistent: 'förslaget är sammanhängande',
  proposalComplete: 'förslaget är komplett',
  meetingPlaceable: 'nämndens eget sammanträde, ej passerat',
  reasonGiven: 'skäl angivet',
  meetingHeld: 'sammanträdet har hållits',
  decisionValid: 'beslut och paragraf angivna',
  isGrant: 'beviljas',
  periodStarted: 'perioden har börjat',
  followUpRecordable: 'uppföljningen finns och är inte registrerad',
  isOralCheckIn: 'muntlig avstämning',
  isWrittenEvaluation: 'skriftlig utvärdering',
  notYetSent: 'inte expedierat',
  meetingReschedulable: 'ärendet väntar på sammanträdet',
  followUpOverdue: 'en uppföljning har passerat',
};

const LABELS: DiagramLabels = {
  state: (path) => STATE_LABELS[path as FundingDecisionStateCode],
  event: (type) => EVENT_LABELS[type as FundingDecisionEventType],
  guard: (name) => GUARD_LABELS[name],
};

/** The funding decision's lifecycle as a Mermaid state diagram, generated from the machine. */
export const fundingDecisionDiagram = (): string => caseDiagram(fundingDecisionMachine, LABELS);

export const fundingDecisionDiagramMarkdown = (): string =>
  caseDiagramMarkdown(fundingDecisionMachine, LABELS, {
    title: 'Beslut om medel – livscykel',
    source: 'workflows/funding-decision/machine.ts',
    description: [
      'I text: ett förslag till beslut sätts upp på dagordningen för ett sammanträde. Nämnden beviljar eller avslår,',
      'eller återremitterar ärendet till beredning. Ett beviljat beslut pågår från periodens start; muntliga avstämningar',
      'registreras under tiden, och ärendet avslutas när den skriftliga utvärderingen har presenterats. Beslutet expedieras',
      'en gång. Ett ärende som inte är beslutat kan återkallas.',
    ].join(' '),
  });
