import type { AnyStateMachine, AnyStateNode } from 'xstate';

/**
 * A Mermaid state diagram generated from a machine definition, for any kind of case, so it cannot
 * drift from the code: every state, every transition and its guard. The kind gives the words.
 * (The agreement keeps its own generator in workflows/agreement/diagram.ts, whose output is committed.)
 */
export interface DiagramLabels {
  /** The Swedish name of a state, by its dotted path without the machine id ('on_agenda', 'inForce.active'). */
  state(path: string): string | undefined;
  event(type: string): string | undefined;
  /** A guard's name in words; the guard's own name when absent. */
  guard?(name: string): string | undefined;
}

const nodeName = (node: AnyStateNode, rootName: string): string => node.path.join('_') || rootName;

function guardNames(guard: unknown): string[] {
  if (!guard) return [];
  if (typeof guard === 'string') return [guard];
  // and([...]) from xstate is a function carrying its guards.
  const combined = (guard as { guards?: unknown[] }).guards;
  if (Array.isArray(combined)) return combined.flatMap(guardNames);
  if (typeof guard === 'object' && 'type' in guard) return [String((guard).type)];
  return ['villkor'];
}

/** Mermaid breaks on a few characters in labels: quotes and colons inside a label are replaced. */
const safe = (text: string): string => text.replace(/"/g, "'").replace(/:/g, ' –');

export function caseDiagram(machine: AnyStateMachine, labels: DiagramLabels): string {
  const rootName = machine.id;
  const name = (node: AnyStateNode): string => nodeName(node, rootName);
  const stateLabel = (node: AnyStateNode): string => safe(labels.state(node.path.join('.')) ?? node.key);
  const lines: string[] = ['stateDiagram-v2'];
  const declare = (node: AnyStateNode, indent: string): void => {
    for (const child of Object.values(node.states)) {
      if (Object.keys(child.states).length > 0) {
        lines.push(`${indent}state "${stateLabel(child)}" as ${name(child)} {`);
        lines.push(`${indent}  [*] --> ${name(child.states[child.config.initial as string])}`);
        declare(child, `${indent}  `);
        lines.push(`${indent}}`);
      } else {
        lines.push(`${indent}state "${stateLabel(child)}" as ${name(child)}`);
        if (child.type === 'final') lines.push(`${indent}${name(child)} --> [*]`);
      }
    }
  };
  lines.push(`  [*] --> ${name(machine.root.states[machine.root.config.initial as string])}`);
  declare(machine.root, '  ');

  const edges: string[] = [];
  const walk = (node: AnyStateNode): void => {
    for (const [eventType, transitions] of node.transitions) {
      for (const t of transitions) {
        const guard = guardNames(t.guard).map((g) => labels.guard?.(g) ?? g).join(' och ');
        const label = safe(`${labels.event(eventType) ?? eventType}${guard ? ` [${guard}]` : ''}`);
        for (const target of t.target ?? [node]) edges.push(`  ${name(node)} --> ${name(target)} : ${label}`);
      }
    }
    for (const child of Object.values(node.states)) walk(child);
  };
  walk(machine.root);
  return [...lines, ...edges].join('\n') + '\n';
}

/** The diagram as a Markdown page with a title and an accessible text description before it. */
export function caseDiagramMarkdown(machine: AnyStateMachine, labels: DiagramLabels, page: { title: string; source: string; description: string }): string {
  return [
    `# ${page.title}`,
    '',
    `Genererad från maskinen i \`${page.source}\`; ändra inte för hand.`,
    'Varje pil är en händelse och, inom hakparentes, det villkor (guard) som måste vara uppfyllt.',
    '',
    page.description,
    '',
    '```mermaid',
    caseDiagram(machine, labels).trimEnd(),
    '```',
    '',
  ].join('\n');
}
