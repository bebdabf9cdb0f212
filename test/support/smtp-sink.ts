import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface Received {
  rcptTo: string[];
  raw: Buffer;
  mail: ParsedMail;
}

/** A real SMTP server on 127.0.0.1 that keeps what it accepts and refuses listed recipients with 550. */
export class SmtpSink {
  readonly received: Received[] = [];
  readonly refuse = new Set<string>();
  port = 0;
  private server: SMTPServer | null = null;

  async listen(port = this.port): Promise<void> {
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      closeTimeout: 50,
      onRcptTo: (address, _session, callback) => {
        if (!this.refuse.has(address.address.toLowerCase())) return callback();
        const error = new Error('5.1.1 Mailbox unavailable') as Error & { responseCode: number };
        error.responseCode = 550;
        callback(error);
      },
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          const raw = Buffer.concat(chunks);
          simpleParser(raw).then(
            (mail) => {
              this.received.push({ rcptTo: session.envelope.rcptTo.map((r) => r.address.toLowerCase()), raw, mail });
              callback();
            },
            (error: Error) => callback(error),
          );
        });
      },
    });
    // A sender killed mid-session resets its connections (ECONNRESET): the test's doing, not a sink failure.
    server.on('error', () => undefined);
    await new Promise<void>((resolve, reject) => {
      server.server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    this.port = (server.server.address() as AddressInfo).port;
    this.server = server;
  }

  async close(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  to(address: string): Received[] {
    return this.received.filter((r) => r.rcptTo.includes(address));
  }

  withMessageId(messageId: string): Received[] {
    return this.received.filter((r) => r.mail.messageId === messageId);
  }
}

