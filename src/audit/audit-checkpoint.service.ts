import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { AppConfig } from '@app/config/app-config';
import { ClockService } from '@app/clock/clock.service';
import { senderDomain } from '@app/notifications/mail.transport';
import { enqueueMessage } from '@app/notifications/outbox.repository';
import { AuditService, type ChainHead } from './audit.service';
import { AuditSigningKey } from './audit-signing-key';
import { CHECKPOINT_FORMAT, headsDigest, signedText, sortedHeads, type CheckpointReceipt, type SignedCheckpoint } from './audit-checkpoint';

interface CheckpointRow {
  id: string;
  created_at: Date;
  chain_count: number;
  event_count: string;
  heads_digest: string;
  heads: ChainHead[];
  previous_checkpoint_id: string | null;
  previous_signature: string | null;
  requested_by: string;
  key_id: string;
  signature: string;
}

/** A checkpoint as stored, with what its signature is checked over. */
export interface StoredCheckpoint {
  signed: SignedCheckpoint;
  signature: string;
  heads: ChainHead[];
  requestedBy: string;
}

export interface CheckpointSummary {
  id: string;
  createdAt: string;
  chainCount: number;
  eventCount: number;
  requestedBy: string;
  keyId: string;
}

const SELECT = `SELECT id::text, created_at, chain_count, event_count::text, heads_digest, heads, previous_checkpoint_id::text, previous_signature, requested_by, key_id, signature FROM audit_checkpoint`;

function storedOf(row: CheckpointRow): StoredCheckpoint {
  return {
    signed: {
      format: CHECKPOINT_FORMAT,
      id: row.id,
      createdAt: row.created_at.toISOString(),
      chainCount: row.chain_count,
      eventCount: Number(row.event_count),
      headsDigest: row.heads_digest,
      previousCheckpointId: row.previous_checkpoint_id,
      previousSignature: row.previous_signature,
      keyId: row.key_id,
    },
    signature: row.signature,
    heads: row.heads,
    requestedBy: row.requested_by,
  };
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}

/**
 * The one file that writes and reads audit_checkpoint: signed snapshots of every chain head,
 * append-only, each mailed to the secretariat and the auditors so a copy lives outside the system.
 */
@Injectable()
export class AuditCheckpointService {
  private readonly logger = new Logger('Granskning');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly clock: ClockService,
    private readonly config: AppConfig,
    @Inject(AuditSigningKey) private readonly key: AuditSigningKey,
  ) {}

  get signingKey(): AuditSigningKey {
    return this.key;
  }

  /** Signs a checkpoint of every chain head now. `requestedBy` names the person, or 'schema' for the schedule. */
  async create(requestedBy: string): Promise<CheckpointReceipt> {
    return this.dataSource.transaction(async (manager) => {
      await this.lock(manager);
      return this.createLocked(manager, requestedBy);
    });
  }

  /** The scheduled checkpoint: only when the latest is older than the interval (several instances share one). */
  async createIfDue(): Promise<CheckpointReceipt | null> {
    const intervalMs = this.config.auditCheckpointIntervalHours * 3_600_000;
    return this.dataSource.transaction(async (manager) => {
      await this.lock(manager);
      const [latest] = await manager.query<Array<{ created_at: Date }>>(`SELECT created_at FROM audit_checkpoint ORDER BY id DESC LIMIT 1`);
      // A minute's slack so an instance ticking just early does not skip a whole interval.
      if (latest !== undefined && this.clock.now().getTime() - latest.created_at.getTime() < intervalMs - 60_000) return null;
      return this.createLocked(manager, 'schema');
    });
  }

  async latest(manager: EntityManager = this.dataSource.manager): Promise<StoredCheckpoint | null> {
    const [row] = await manager.query<CheckpointRow[]>(`${SELECT} ORDER BY id DESC LIMIT 1`);
    return row === undefined ? null : storedOf(row);
  }

  async byId(id: string, manager: EntityManager = this.dataSource.manager): Promise<StoredCheckpoint | null> {
    const [row] = await manager.query<CheckpointRow[]>(`${SELECT} WHERE id = $1`, [id]);
    return row === undefined ? null : storedOf(row);
  }

  async list(limit = 100): Promise<CheckpointSummary[]> {
    const rows = await this.dataSource.query<CheckpointRow[]>(`${SELECT} ORDER BY id DESC LIMIT $1`, [limit]);
    return rows.map(storedOf).map(({ signed, requestedBy }) => ({
      id: signed.id,
      createdAt: signed.createdAt,
      chainCount: signed.chainCount,
      eventCount: signed.eventCount,
      requestedBy,
      keyId: signed.keyId,
    }));
  }

  receiptOf(stored: StoredCheckpoint): CheckpointReceipt {
    return { checkpoint: stored.signed, algorithm: 'Ed25519', signature: stored.signature, publicKeyPem: this.key.publicKeyPem, heads: stored.heads };
  }

  private async lock(manager: EntityManager): Promise<void> {
    await manager.query(`SELECT pg_advisory_xact_lock(hashtext('iop:audit_checkpoint'))`);
  }

  private async createLocked(manager: EntityManager, requestedBy: string): Promise<CheckpointReceipt> {
    const now = this.clock.now();
    const heads = sortedHeads(await this.audit.heads(manager));
    const [previous] = await manager.query<Array<{ id: string; signature: string }>>(`SELECT id::text, signature FROM audit_checkpoint ORDER BY id DESC LIMIT 1`);
    // The id is drawn first because the signature covers it.
    const [{ id }] = await manager.query<Array<{ id: string }>>(`SELECT nextval(pg_get_serial_sequence('audit_checkpoint', 'id'))::text AS id`);
    const signed: SignedCheckpoint = {
      format: CHECKPOINT_FORMAT,
      id,
      createdAt: now.toISOString(),
      chainCount: heads.length,
      eventCount: heads.reduce((sum, head) => sum + head.count, 0),
      headsDigest: headsDigest(heads),
      previousCheckpointId: previous?.id ?? null,
      previousSignature: previous?.signature ?? null,
      keyId: this.key.keyId,
    };
    const signature = this.key.sign(signedText(signed));
    await manager.query(
      `INSERT INTO audit_checkpoint (id, created_at, chain_count, event_count, heads_digest, heads, previous_checkpoint_id, previous_signature, requested_by, key_id, signature)
       VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7, $8, $9, $10, $11)`,
      [id, now, signed.chainCount, signed.eventCount, signed.headsDigest, JSON.stringify(heads), signed.previousCheckpointId, signed.previousSignature, requestedBy, signed.keyId, signature],
    );
    const receipt = this.receiptOf({ signed, signature, heads, requestedBy });
    await this.mail(manager, receipt, now);
    this.logger.log({ msg: 'Kontrollpunkt signerad', checkpointId: id, chains: signed.chainCount, events: signed.eventCount, requestedBy });
    return receipt;
  }

  /** To the secretariat's and the auditors' mailboxes: the signed part inline (the heads stay downloadable). */
  private async mail(manager: EntityManager, receipt: CheckpointReceipt, now: Date): Promise<void> {
    const { checkpoint } = receipt;
    const inline = JSON.stringify({ checkpoint, algorithm: receipt.algorithm, signature: receipt.signature, publicKeyPem: receipt.publicKeyPem }, null, 2);
    const link = `${this.config.publicBaseUrl}/audit/checkpoints/${checkpoint.id}/receipt`;
    const when = new Intl.DateTimeFormat('sv-SE', { dateStyle: 'long', timeStyle: 'short', timeZone: 'Europe/Stockholm' }).format(new Date(checkpoint.createdAt));
    const lines = [
      'Hej!',
      '',
      `IOP-motorn har signerat kontrollpunkt nr ${checkpoint.id} över historiken ${when}.`,
      `Den omfattar ${checkpoint.chainCount} överenskommelser och ${checkpoint.eventCount} händelser.`,
      '',
      'Spara brevet utanför systemet. Med kvittot nedan kan en granskare senare visa att ingen historik',
      'fram till den här tidpunkten har ändrats, kortats eller tagits bort, även om databasen skulle ändras.',
      '',
      `Nyckelns id: ${checkpoint.keyId}`,
      `Hela kvittot, med varje överenskommelses kedja: ${link}`,
      '',
      '--- kvitto (JSON, signerat med Ed25519) ---',
      inline,
      '--- slut på kvittot ---',
    ];
    const recipients = [...new Set([this.config.secretariatEmail, this.config.auditorEmail].filter((r): r is string => r !== undefined).map((r) => r.toLowerCase()))];
    for (const recipient of recipients) {
      await enqueueMessage(
        manager,
        {
          idempotencyKey: `audit-checkpoint:${checkpoint.id}:${recipient}`,
          case: null,
          kind: 'audit_checkpoint',
          recipient,
          subject: `Kontrollpunkt ${checkpoint.id} för historiken (${checkpoint.chainCount} överenskommelser, ${checkpoint.eventCount} händelser)`,
          text: `${lines.join('\n')}\n`,
          html: `<p>${lines.slice(0, 11).map(escapeHtml).join('<br>\n')}</p>\n<p>Kvitto (JSON, signerat med Ed25519):</p>\n<pre>${escapeHtml(inline)}</pre>\n`,
        },
        now,
        senderDomain(this.config.mailFrom),
      );
    }
  }
}
