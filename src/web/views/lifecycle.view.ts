import type { AnyStateMachine, AnyStateNode } from 'xstate';
import { agreementMachine } from '@workflows/agreement/machine';
import { EVENT_LABELS, STATE_LABELS } from '@workflows/agreement/labels';
import type { AgreementStateCode } from '@workflows/agreement/persistence';
import type { AgreementEventType } from '@workflows/agreement/types';
import { escapeHtml } from '@app/notifications/reminder-mail';
import { html, trustedHtml, type Html } from '../html';

/**
 * The lifecycle drawn from the machine definition itself (states, nesting, transitions), as an
 * SVG with the current state marked, and the same graph as text. Layout: a state's column is its
 * distance from the initial state; a sub-state with no transitions of its own (e.g. "försenat")
 * is drawn under the sibling that leads to it; every compound state is a dashed frame.
 */

interface Leaf {
  node: AnyStateNode;
  code: string;
  col: number;
  row: number;
}

interface Edge {
  from: AnyStateNode;
  to: AnyStateNode;
  event: string;
}

/** What the drawing needs of a kind of case: its machine and its words. */
export interface DiagramSpec {
  machine: AnyStateMachine;
  /** The case's own state code of a leaf ('active' for inForce.active). */
  codeOf(node: AnyStateNode): string;
  /** The Swedish name of a state (leaf or compound). */
  stateName(node: AnyStateNode): string;
  eventLabel(type: string): string;
  /** The diagram's accessible title, before the current state. */
  title: string;
}

const codeOf = (node: AnyStateNode): string => node.path.filter((p) => p !== 'inForce').join('.');
const isLeaf = (node: AnyStateNode): boolean => Object.keys(node.states).length === 0;
const children = (node: AnyStateNode): AnyStateNode[] => Object.values(node.states);

function initialLeaf(node: AnyStateNode): AnyStateNode {
  let n = node;
  while (!isLeaf(n)) n = n.states[n.config.initial as string];
  return n;
}

function leavesOf(node: AnyStateNode): AnyStateNode[] {
  return isLeaf(node) ? [node] : children(node).flatMap(leavesOf);
}

function edgesOf(node: AnyStateNode): Edge[] {
  const own: Edge[] = [];
  for (const [event, transitions] of node.transitions) {
    for (const t of transitions) for (const target of t.target ?? []) if (target !== node) own.push({ from: node, to: target, event });
  }
  return [...own, ...children(node).flatMap(edgesOf)];
}

function groupLabel(node: AnyStateNode): string {
  if (node.key === 'inForce') return 'I kraft';
  if (node.key === 'extensionDecision') return 'Beslut om förlängning';
  if (node.key === 'terminated') return 'Hävd';
  return STATE_LABELS[codeOf(node) as AgreementStateCode] ?? node.key;
}

export const stateNameOf = (node: AnyStateNode): string => (isLeaf(node) ? (STATE_LABELS[codeOf(node) as AgreementStateCode] ?? node.key) : groupLabel(node));

const AGREEMENT_DIAGRAM: DiagramSpec = {
  machine: agreementMachine,
  codeOf,
  stateName: stateNameOf,
  eventLabel: (type) => EVENT_LABELS[type as AgreementEventType] ?? type,
  title: 'Överenskommelsens livscykel.',
};

interface Layout {
  leaves: Leaf[];
  edges: Edge[];
  groups: AnyStateNode[];
}

function layout(spec: DiagramSpec): Layout {
  const root = spec.machine.root;
  const edges = edgesOf(root);
  const leafEdges = (leaf: AnyStateNode): Edge[] => edges.filter((e) => e.from === leaf || leaf.path.join('.').startsWith(`${e.from.path.join('.')}.`));
  const ownTransitions = (leaf: AnyStateNode): boolean => leaf.transitions.size > 0;

  // Columns: breadth-first from the initial state; a sub-state without transitions of its own stays in its sibling's column.
  const col = new Map<AnyStateNode, number>();
  const anchor = new Map<AnyStateNode, AnyStateNode>();
  const order: AnyStateNode[] = [];
  const start = initialLeaf(root);
  col.set(start, 0);
  const queue = [start];
  while (queue.length > 0) {
    const leaf = queue.shift() as AnyStateNode;
    order.push(leaf);
    for (const e of leafEdges(leaf)) {
      const target = initialLeaf(e.to);
      if (col.has(target)) continue;
      const stacked = target.parent === leaf.parent && !ownTransitions(target) && e.from === leaf;
      col.set(target, (col.get(leaf) ?? 0) + (stacked ? 0 : 1));
      if (stacked) anchor.set(target, leaf);
      queue.push(target);
    }
  }
  for (const leaf of leavesOf(root)) {
    if (col.has(leaf)) continue;
    col.set(leaf, 0);
    order.push(leaf);
  }

  // Rows: each top-level block (a state or a whole compound) at the first rows free of earlier blocks' frames.
  const blockOf = (leaf: AnyStateNode): AnyStateNode => {
    let n = leaf;
    while (n.parent && n.parent !== root) n = n.parent;
    return n;
  };
  const blocks: AnyStateNode[] = [];
  for (const leaf of order) if (!blocks.includes(blockOf(leaf))) blocks.push(blockOf(leaf));
  const taken: Array<{ c0: number; c1: number; r0: number; r1: number }> = [];
  const placed: Leaf[] = [];
  for (const block of blocks) {
    const leaves = order.filter((l) => blockOf(l) === block);
    const local = new Map<AnyStateNode, number>();
    for (const l of leaves) {
      const a = anchor.get(l);
      const used = [...local.entries()].filter(([o]) => col.get(o) === col.get(l)).map(([, r]) => r);
      local.set(l, a && local.has(a) ? Math.max((local.get(a) ?? 0) + 1, ...used.map((r) => r + 1)) : used.length ? Math.max(...used) + 1 : 0);
    }
    const cols = leaves.map((l) => col.get(l) ?? 0);
    const c0 = Math.min(...cols);
    const c1 = Math.max(...cols);
    const height = Math.max(...local.values()) + 1;
    let base = 0;
    while (taken.some((t) => t.c0 <= c1 && c0 <= t.c1 && t.r0 <= base + height - 1 && base <= t.r1)) base += 1;
    taken.push({ c0, c1, r0: base, r1: base + height - 1 });
    for (const l of leaves) placed.push({ node: l, code: spec.codeOf(l), col: col.get(l) ?? 0, row: base + (local.get(l) ?? 0) });
  }
  const groups: AnyStateNode[] = [];
  const collect = (n: AnyStateNode): void => {
    for (const c of children(n).filter((c) => !isLeaf(c))) {
      groups.push(c);
      collect(c);
    }
  };
  collect(root);
  return { leaves: placed, edges, groups };
}

const CELL_W = 168;
const CELL_H = 86;
const BOX_W = 136;
const BOX_H = 46;
const MARGIN = 24;

function wrap(label: string, width = 17): string[] {
  const lines: string[] = [];
  for (const word of label.split(' ')) {
    const last = lines[lines.length - 1];
    if (last !== undefined && `${last} ${word}`.length <= width) lines[lines.length - 1] = `${last} ${word}`;
    else lines.push(word);
  }
  return lines;
}

interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** Where a line from the centre of `r` towards (tx, ty) leaves the rectangle. */
function exitPoint(r: Rect, tx: number, ty: number): [number, number] {
  const cx = r.x + r.w / 2;
  const cy = r.y + r.h / 2;
  const dx = tx - cx;
  const dy = ty - cy;
  const scale = 1 / Math.max(Math.abs(dx) / (r.w / 2) || 0, Math.abs(dy) / (r.h / 2) || 0, 1e-9);
  return [cx + dx * Math.min(scale, 1), cy + dy * Math.min(scale, 1)];
}

const n1 = (v: number): string => v.toFixed(1);

export function lifecycleSvg(current: AgreementStateCode): Html {
  return machineSvg(AGREEMENT_DIAGRAM, current, STATE_LABELS[current]);
}

/** Any kind's machine drawn as an SVG, the current state (when given) filled. */
export function machineSvg(spec: DiagramSpec, current: string | null, currentLabel: string | null): Html {
  const { leaves, edges, groups } = layout(spec);
  const rectOfLeaf = new Map<AnyStateNode, Rect>();
  for (const l of leaves) {
    rectOfLeaf.set(l.node, { x: MARGIN + l.col * CELL_W + (CELL_W - BOX_W) / 2, y: MARGIN + 14 + l.row * CELL_H + (CELL_H - BOX_H) / 2, w: BOX_W, h: BOX_H });
  }
  const depth = (g: AnyStateNode): number => g.path.length;
  const rectOf = (n: AnyStateNode): Rect => {
    const own = rectOfLeaf.get(n);
    if (own) return own;
    const rs = leavesOf(n).map((l) => rectOfLeaf.get(l) as Rect);
    const pad = 16 - depth(n) * 4;
    const x = Math.min(...rs.map((r) => r.x)) - pad;
    const y = Math.min(...rs.map((r) => r.y)) - pad - 14;
    return { x, y, w: Math.max(...rs.map((r) => r.x + r.w)) + pad - x, h: Math.max(...rs.map((r) => r.y + r.h)) + pad - y };
  };
  const width = MARGIN * 2 + (Math.max(...leaves.map((l) => l.col)) + 1) * CELL_W;
  const height = MARGIN * 2 + 14 + (Math.max(...leaves.map((l) => l.row)) + 1) * CELL_H;
  const parts: string[] = [];
  for (const g of groups) {
    const r = rectOf(g);
    parts.push(`<rect class="group" x="${n1(r.x)}" y="${n1(r.y)}" width="${n1(r.w)}" height="${n1(r.h)}" rx="10"/>`);
    parts.push(`<text class="group-label" x="${n1(r.x + 8)}" y="${n1(r.y + 14)}">${escapeHtml(spec.stateName(g))}</text>`);
  }
  const drawn = new Set<string>();
  for (const e of edges) {
    const a = rectOf(e.from);
    const b = rectOf(e.to);
    const key = `${e.from.id}->${e.to.id}`;
    if (drawn.has(key)) continue;
    drawn.add(key);
    const [x1, y1] = exitPoint(a, b.x + b.w / 2, b.y + b.h / 2);
    const [x2, y2] = exitPoint(b, a.x + a.w / 2, a.y + a.h / 2);
    // Backward lines bend below the row; long forward ones bend a little, so they pass beside the boxes between their ends.
    const span = Math.hypot(x2 - x1, y2 - y1);
    const back = x2 < x1 - 1;
    const bend = back ? 0 : span > CELL_W * 1.2 ? span / 8 : 0;
    const mx = (x1 + x2) / 2 + (bend * (y2 - y1)) / (span || 1);
    const my = (y1 + y2) / 2 - (bend * (x2 - x1)) / (span || 1) + (back ? Math.max(34, span / 3) : 0);
    parts.push(`<path class="edge" d="M${n1(x1)},${n1(y1)} Q${n1(mx)},${n1(my)} ${n1(x2)},${n1(y2)}" marker-end="url(#pil)"/>`);
  }
  for (const l of leaves) {
    const r = rectOfLeaf.get(l.node) as Rect;
    const isCurrent = l.code === current;
    const lines = wrap(spec.stateName(l.node));
    const top = r.y + r.h / 2 - ((lines.length - 1) * 15) / 2 + 5;
    parts.push(`<g class="state${isCurrent ? ' current' : ''}"><rect x="${n1(r.x)}" y="${n1(r.y)}" width="${r.w}" height="${r.h}" rx="6"/>`);
    parts.push(lines.map((line, i) => `<text x="${n1(r.x + r.w / 2)}" y="${n1(top + i * 15)}" text-anchor="middle">${escapeHtml(line)}</text>`).join(''));
    parts.push('</g>');
  }
  const svg = `<svg class="lifecycle" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-labelledby="livscykel-titel">
<title id="livscykel-titel">${escapeHtml(spec.title)}${currentLabel ? ` Nuvarande tillstånd: ${escapeHtml(currentLabel)}.` : ''} Samma innehåll finns som text under diagrammet.</title>
<defs><marker id="pil" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#505050"/></marker></defs>
${parts.join('\n')}
</svg>`;
  return trustedHtml(svg);
}

/** The diagram's text alternative: every state (nested as in the machine) and where each event leads. */
export function lifecycleText(current: AgreementStateCode): Html {
  return machineText(AGREEMENT_DIAGRAM, current);
}

/** Any kind's machine as text: every state (nested as in the machine) and where each event leads. */
export function machineText(spec: DiagramSpec, current: string | null): Html {
  const { edges } = layout(spec);
  const item = (node: AnyStateNode): Html => {
    const out = edges.filter((e) => e.from === node);
    const isCurrent = isLeaf(node) && spec.codeOf(node) === current;
    return html`<li>${isCurrent ? html`<strong>${spec.stateName(node)} (nuvarande tillstånd)</strong>` : spec.stateName(node)}${node.type === 'final' ? ' – sluttillstånd' : ''}
      ${out.length ? html`<ul>${out.map((e) => html`<li>${spec.eventLabel(e.event)} → ${spec.stateName(e.to)}</li>`)}</ul>` : ''}
      ${isLeaf(node) ? '' : html`<ul>${children(node).map(item)}</ul>`}</li>`;
  };
  return html`<ul class="lifecycle-text">${children(spec.machine.root).map(item)}</ul>`;
}
