import type { AnyStateNode } from 'xstate';
import { agreementMachine } from './machine';
import { EVENT_LABELS, STATE_LABELS } from './labels';
import type { AgreementEventType } from './types';
import type { AgreementStateCode } from './persistence';

/** The Mermaid name of a state node: its path without the machine id. */
const nodeName = (node: AnyStateNode): string => node.path.join('_') || 'agreement';

const codeOf = (node: AnyStateNode): string => node.path.filter((p) => p !== 'inForce').join('.');

function guardName(guard: unknown): string {
  if (!guard) return '';
  if (typeof guard === 'string') return guard;
  // and([...]) from xstate is a function carrying its guards.
  const combined = (guard as { guards?: unknown[] }).guards;
  if (Array.isArray(combined)) return combined.map(guardName).join(' och ');
  if (typeof guard === 'object' && guard !== null && 'type' in guard) return String((guard).type);
  return 'villkor';
}

function stateLabel(node: AnyStateNode): string {
  if (node.path.length === 1 && node.key === 'inForce') return 'I kraft';
  if (node.key === 'extensionDecision') return 'Beslut om förlängning';
  if (node.key === 'terminated') return 'Hävd';
  return STATE_LABELS[codeOf(node) as AgreementStateCode] ?? node.key;
}

/**
 * A Mermaid state diagram generated from the machine definition itself, so it
 * cannot drift from the code: every state, every transition and its guard.
 */
export function agreementDiagram(): string {
  const lines: string[] = ['stateDiagram-v2'];
  const declare = (node: AnyStateNode, indent: string): void => {
    for (const child of Object.values(node.states)) {
      const name = nodeName(child);
      if (Object.keys(child.states).length > 0) {
        lines.push(`${indent}state "${stateLabel(child)}" as ${name} {`);
        lines.push(`${indent}  [*] --> ${nodeName(child.states[child.config.initial as string])}`);
        declare(child, `${indent}  `);
        lines.push(`${indent}}`);
      } else {
        lines.push(`${indent}state "${stateLabel(child)}" as ${name}`);
        if (child.type === 'final') lines.push(`${indent}${name} --> [*]`);
      }
    }
  };
  lines.push(`  [*] --> ${nodeName(agreementMachine.root.states[agreementMachine.root.config.initial as string])}`);
  declare(agreementMachine.root, '  ');

  const edges: string[] = [];
  const walk = (node: AnyStateNode): void => {
    for (const [eventType, transitions] of node.transitions) {
      for (const t of transitions) {
        const guard = guardName(t.guard);
        const label = `${EVENT_LABELS[eventType as AgreementEventType] ?? eventType}${guard ? ` [${guard}]` : ''}`;
        const targets = t.target ?? [node];
        for (const target of targets) edges.push(`  ${nodeName(node)} --> ${nodeName(target)} : ${label}`);
      }
    }
    for (const child of Object.values(node.states)) walk(child);
  };
  walk(agreementMachine.root);
  return [...lines, ...edges].join('\n') + '\n';
}

/** The Markdown page committed under docs/. */
export function agreementDiagramMarkdown(): string {
  return [
    '# Överenskommelsens livscykel',
    '',
    'Genererad från maskinen i `workflows/agreement/machine.ts` med `npm run diagram`; ändra inte för hand.',
    'Varje pil är en händelse och, inom hakparentes, det villkor (guard) som måste vara uppfyllt.',
    '',
    '```mermaid',
    agreementDiagram().trimEnd(),
    '```',
    '',
  ].join('\n');
}

const README_START = '<!-- diagram:start -->';
const README_END = '<!-- diagram:end -->';

/** The README with the generated diagram between its markers. */
export function readmeWithDiagram(readme: string): string {
  const start = readme.indexOf(README_START);
  const end = readme.indexOf(README_END);
  if (start < 0 || end < start) throw new Error(`README saknar markeringarna ${README_START} … ${README_END}`);
  const block = ['```mermaid', agreementDiagram().trimEnd(), '```'].join('\n');
  return `${readme.slice(0, start + README_START.length)}\n${block}\n${readme.slice(end)}`;
}
