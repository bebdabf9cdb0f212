// A small SMTP catcher with a web view, for docker/compose.yaml and docker/smoke.sh: accepts every
// message on port 1025 (no TLS, no auth) and shows them on port 8025:
//   GET /            the messages as an HTML table (newest first)
//   GET /messages    the same as JSON: id, messageId, from, to, subject, date, text
//   DELETE /messages forgets them
// Built from the npm registry's smtp-server and mailparser (the versions the project tests with).
'use strict';
const http = require('node:http');
const { SMTPServer } = require('smtp-server');
const { simpleParser } = require('mailparser');

const messages = [];
let next = 1;

const smtp = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS'],
  logger: false,
  size: 25 * 1024 * 1024,
  onData(stream, session, callback) {
    simpleParser(stream)
      .then((mail) => {
        messages.push({
          id: next++,
          messageId: mail.messageId ?? null,
          from: mail.from?.text ?? '',
          to: session.envelope.rcptTo.map((r) => r.address),
          subject: mail.subject ?? '',
          date: new Date().toISOString(),
          text: mail.text ?? '',
        });
        callback();
      })
      .catch(callback);
  },
});
smtp.listen(1025, '0.0.0.0', () => console.log('SMTP på port 1025'));

const escape = (s) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

http
  .createServer((req, res) => {
    if (req.url === '/messages' && req.method === 'DELETE') {
      messages.length = 0;
      res.writeHead(204).end();
    } else if (req.url === '/messages') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(messages));
    } else if (req.url === '/' || req.url === '/index.html') {
      const rows = [...messages].reverse().map((m) => `<tr><td>${m.id}</td><td>${escape(m.date)}</td><td>${escape(m.to.join(', '))}</td><td>${escape(m.subject)}</td><td><code>${escape(m.messageId ?? '')}</code></td></tr>`);
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(
        `<!doctype html><html lang="sv"><meta charset="utf-8"><title>E-postfångare</title><h1>E-postfångare (${messages.length})</h1>` +
          `<table border="1" cellpadding="4"><tr><th>#</th><th>Tid</th><th>Till</th><th>Ämne</th><th>Message-ID</th></tr>${rows.join('')}</table></html>`,
      );
    } else {
      res.writeHead(404).end();
    }
  })
  .listen(8025, '0.0.0.0', () => console.log('Webbvy på port 8025'));

for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => process.exit(0));
