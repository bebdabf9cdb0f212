/**
 * A hand-written SMTP server on 127.0.0.1 that can misbehave in ways smtp-server will not:
 *   'drop'   takes the whole message (DATA … final dot) and closes the connection before its 250
 *            reply, for the recipients `drop` picks; the others get 250 as usual
 *   'hang'   sends the 220 greeting (to a new connection) and then never answers anything, on
 *            connections already open as well
 * Everything the server read to the final dot is kept in `received`, dropped or not: that is what a
 * real server that lost the connection at that point may have delivered.
 */
import * as net from 'node:net';

export interface FaultyReceived {
  rcptTo: string[];
  messageId: string | null;
  raw: string;
  /** The connection was closed instead of answering 250. */
  dropped: boolean;
}

export class FaultySmtp {
  readonly received: FaultyReceived[] = [];
  mode: 'drop' | 'hang' = 'drop';
  /** In 'drop' mode: which messages lose their 250 (default: every one). */
  drop: (rcptTo: string[]) => boolean = () => true;
  port = 0;
  private server: net.Server | null = null;
  private readonly sockets = new Set<net.Socket>();

  async listen(): Promise<void> {
    const server = net.createServer((socket) => this.serve(socket));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.port = (server.address() as net.AddressInfo).port;
    this.server = server;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    const server = this.server;
    this.server = null;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  withMessageId(messageId: string): FaultyReceived[] {
    return this.received.filter((r) => r.messageId === messageId);
  }

  to(address: string): FaultyReceived[] {
    return this.received.filter((r) => r.rcptTo.includes(address));
  }

  private serve(socket: net.Socket): void {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => undefined);
    socket.setNoDelay(true);
    const hang = this.mode === 'hang';
    socket.write('220 faulty.test ESMTP\r\n');
    if (hang) return;
    let buffer = '';
    let inData = false;
    let rcptTo: string[] = [];
    socket.on('data', (chunk: Buffer) => {
      if (this.mode === 'hang') return;
      buffer += chunk.toString('latin1');
      for (;;) {
        if (inData) {
          const end = buffer.indexOf('\r\n.\r\n');
          if (end < 0) return;
          const raw = buffer.slice(0, end + 2);
          buffer = buffer.slice(end + 5);
          inData = false;
          const dropped = this.drop(rcptTo);
          this.received.push({ rcptTo, messageId: /^Message-ID:\s*(\S+)/im.exec(raw)?.[1] ?? null, raw, dropped });
          rcptTo = [];
          if (dropped) {
            socket.destroy();
            return;
          }
          socket.write('250 2.0.0 Ok: queued\r\n');
          continue;
        }
        const eol = buffer.indexOf('\r\n');
        if (eol < 0) return;
        const line = buffer.slice(0, eol);
        buffer = buffer.slice(eol + 2);
        const verb = line.slice(0, 4).toUpperCase();
        if (verb === 'EHLO' || verb === 'HELO') socket.write('250 faulty.test\r\n');
        else if (verb === 'MAIL' || verb === 'RSET' || verb === 'NOOP') {
          if (verb !== 'NOOP') rcptTo = [];
          socket.write('250 2.0.0 Ok\r\n');
        } else if (verb === 'RCPT') {
          const address = /<([^>]*)>/.exec(line)?.[1] ?? '';
          rcptTo.push(address.toLowerCase());
          socket.write('250 2.1.5 Ok\r\n');
        } else if (verb === 'DATA') {
          inData = true;
          socket.write('354 End data with <CR><LF>.<CR><LF>\r\n');
        } else if (verb === 'QUIT') {
          socket.end('221 2.0.0 Bye\r\n');
          return;
        } else socket.write('502 5.5.2 Command not recognised\r\n');
      }
    });
  }
}
