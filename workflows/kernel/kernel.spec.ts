import { assign, setup } from 'xstate';
import {
  allowedEvents,
  migratePersisted,
  persist,
  restore,
  start,
  stateCode,
  step,
  UnsupportedMachineVersionError,
  type CaseDefinition,
  type Migration,
  type PersistedCase,
} from './kernel';

/** A door: version 2 counts openings and is locked by a key; version 1 stored `opened` only. */
interface DoorContext {
  openings: number;
  locked: boolean;
}
type DoorEvent = { type: 'OPEN'; by: string } | { type: 'CLOSE' } | { type: 'LOCK' } | { type: 'UNLOCK'; key: string };

function doorMachine(mayOpen: (context: DoorContext) => boolean) {
  return setup({
    types: { context: {} as DoorContext, events: {} as DoorEvent },
    guards: { mayOpen: ({ context }) => mayOpen(context) },
    actions: { ring: (_, _params: { bell: string }) => undefined },
  }).createMachine({
    id: 'door',
    context: { openings: 0, locked: false },
    initial: 'closed',
    states: {
      closed: {
        on: {
          OPEN: { guard: 'mayOpen', target: 'open', actions: [assign({ openings: ({ context }) => context.openings + 1 }), { type: 'ring', params: { bell: 'ding' } }] },
          LOCK: { actions: assign({ locked: true }) },
          UNLOCK: { actions: assign({ locked: false }) },
        },
      },
      open: { initial: 'wide', states: { wide: {} }, on: { CLOSE: 'closed' } },
    },
  });
}
type DoorMachine = ReturnType<typeof doorMachine>;

const fromVersion1: Migration<DoorContext> = (p) => {
  const old = p.context as unknown as { opened: number };
  return { ...p, machineVersion: 2, context: { openings: old.opened, locked: false } };
};

function door(mayOpen: (context: DoorContext) => boolean = (c) => !c.locked): CaseDefinition<DoorMachine> {
  return {
    type: 'door',
    machine: doorMachine(mayOpen),
    machineVersion: 2,
    migrations: { 1: fromVersion1 },
    events: {
      OPEN: { label: 'Öppna', fields: ['by'], required: ['by'] },
      CLOSE: { label: 'Stäng', fields: [], required: [] },
      LOCK: { label: 'Lås', fields: [], required: [] },
      UNLOCK: { label: 'Lås upp', fields: ['key'], required: ['key'] },
    },
  };
}

const closed = (context: Partial<DoorContext> = {}): PersistedCase<DoorContext> => ({
  machineVersion: 2,
  value: 'closed',
  context: { openings: 0, locked: false, ...context },
});

describe('step', () => {
  it('applies an event and returns the next persisted snapshot as plain JSON, with the emitted actions as data', () => {
    const result = step(door(), closed(), { type: 'OPEN', by: 'Anna' });
    expect(result).toMatchObject({ applied: true, from: 'closed', to: 'open.wide' });
    if (!result.applied) throw new Error('not applied');
    expect(result.next).toEqual({ machineVersion: 2, value: { open: 'wide' }, context: { openings: 1, locked: false } });
    expect(JSON.parse(JSON.stringify(result.next))).toEqual(result.next);
    expect(result.actions).toEqual([{ type: 'ring', params: { bell: 'ding' } }]);
  });

  it('does not touch the persisted snapshot it was given', () => {
    const before = closed();
    step(door(), before, { type: 'OPEN', by: 'Anna' });
    expect(before).toEqual(closed());
  });

  it('applies an event that only changes the context', () => {
    const result = step(door(), closed(), { type: 'LOCK' });
    expect(result).toMatchObject({ applied: true, from: 'closed', to: 'closed', next: { context: { locked: true } } });
  });

  it('refuses an event the state does not take, saying which it takes', () => {
    expect(step(door(), closed(), { type: 'CLOSE' })).toMatchObject({ applied: false, reason: 'not_in_state', from: 'closed', allowed: ['LOCK', 'OPEN', 'UNLOCK'] });
  });

  it('refuses an event whose guard refuses', () => {
    expect(step(door(), closed({ locked: true }), { type: 'OPEN', by: 'Anna' })).toMatchObject({ applied: false, reason: 'guard_refused', from: 'closed' });
  });

  it('evaluates the guard once per step, applied or refused', () => {
    const guard = jest.fn((c: DoorContext) => !c.locked);
    const definition = door(guard);
    step(definition, closed(), { type: 'OPEN', by: 'Anna' });
    expect(guard).toHaveBeenCalledTimes(1);
    step(definition, closed({ locked: true }), { type: 'OPEN', by: 'Anna' });
    expect(guard).toHaveBeenCalledTimes(2);
  });

  it('restores the snapshot once per step', () => {
    const definition = door();
    const resolve = jest.spyOn(definition.machine, 'resolveState');
    step(definition, closed(), { type: 'OPEN', by: 'Anna' });
    expect(resolve).toHaveBeenCalledTimes(1);
  });

  it('migrates an older snapshot before it steps', () => {
    const v1 = { machineVersion: 1, value: 'closed', context: { opened: 4 } } as unknown as PersistedCase<DoorContext>;
    expect(step(door(), v1, { type: 'OPEN', by: 'Anna' })).toMatchObject({ applied: true, next: { machineVersion: 2, context: { openings: 5 } } });
  });
});

describe('start, persist and restore', () => {
  it('starts a case in the initial state and round-trips it', () => {
    const definition = door();
    const persisted = start(definition);
    expect(persisted).toEqual(closed());
    const snapshot = restore(definition, persisted);
    expect(snapshot.value).toBe('closed');
    expect(persist(definition, snapshot)).toEqual(persisted);
  });

  it('restores a snapshot that shares no objects with the row', () => {
    const row = closed();
    const snapshot = restore(door(), row);
    expect(snapshot.context).toEqual(row.context);
    expect(snapshot.context).not.toBe(row.context);
  });
});

describe('migratePersisted', () => {
  const v0 = { machineVersion: 0, value: 'closed', context: {} } as unknown as PersistedCase<DoorContext>;

  it('leaves a snapshot of the current version as it is', () => {
    expect(migratePersisted(door(), closed({ openings: 3 }))).toEqual(closed({ openings: 3 }));
  });

  it('applies the migrations in order, keyed by the version they migrate from', () => {
    const applied: number[] = [];
    const definition: CaseDefinition<DoorMachine> = {
      ...door(),
      migrations: {
        0: (p) => (applied.push(0), { ...p, machineVersion: 1, context: { opened: 2 } as unknown as DoorContext }),
        1: (p) => (applied.push(1), fromVersion1(p)),
      },
    };
    expect(migratePersisted(definition, v0)).toEqual(closed({ openings: 2 }));
    expect(applied).toEqual([0, 1]);
  });

  it('refuses a version it has no migration from, carrying the version', () => {
    let caught: unknown;
    try {
      migratePersisted(door(), v0);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(UnsupportedMachineVersionError);
    expect((caught as UnsupportedMachineVersionError).machineVersion).toBe(0);
  });

  it('refuses a version newer than the machine, in restore and step too', () => {
    const future = { ...closed(), machineVersion: 3 };
    expect(() => migratePersisted(door(), future)).toThrow(UnsupportedMachineVersionError);
    expect(() => restore(door(), future)).toThrow(UnsupportedMachineVersionError);
    expect(() => step(door(), future, { type: 'LOCK' })).toThrow(UnsupportedMachineVersionError);
  });

  it('refuses a migration that skips past the machine version', () => {
    const definition: CaseDefinition<DoorMachine> = { ...door(), migrations: { 1: (p) => ({ ...fromVersion1(p), machineVersion: 3 }) } };
    expect(() => migratePersisted(definition, { ...closed(), machineVersion: 1 })).toThrow(UnsupportedMachineVersionError);
  });

  it("uses the definition's sentence for the refusal when it has one", () => {
    const definition: CaseDefinition<DoorMachine> = { ...door(), unsupportedVersionMessage: (v) => `Dörren sparades med version ${v}.` };
    expect(() => migratePersisted(definition, v0)).toThrow('Dörren sparades med version 0.');
  });
});

describe('allowedEvents', () => {
  it('lists the described events the state takes, guards aside, including those of ancestor states', () => {
    expect(allowedEvents(door(), closed())).toEqual(['LOCK', 'OPEN', 'UNLOCK']);
    expect(allowedEvents(door(), closed({ locked: true }))).toEqual(['LOCK', 'OPEN', 'UNLOCK']);
    expect(allowedEvents(door(), { ...closed(), value: { open: 'wide' } })).toEqual(['CLOSE']);
  });

  it('does not evaluate guards', () => {
    const guard = jest.fn(() => true);
    allowedEvents(door(guard), closed());
    expect(guard).not.toHaveBeenCalled();
  });
});

describe('stateCode', () => {
  it('writes the state value as a dotted string', () => {
    expect(stateCode('closed')).toBe('closed');
    expect(stateCode({ open: 'wide' })).toBe('open.wide');
    expect(stateCode({ inForce: { extensionDecision: 'pending' } })).toBe('inForce.extensionDecision.pending');
  });

  it('refuses a parallel state value', () => {
    expect(() => stateCode({ a: 'x', b: 'y' })).toThrow();
  });
});
