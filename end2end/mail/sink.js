// The SMTP server of the end-to-end run (scripts/test): the app's outbox worker delivers to
// it over a real SMTP exchange, and it keeps each message as DIR/<n>.eml with its envelope
// beside it as DIR/<n>.json ({ from, to }). The envelope is written first and the message
// renamed into place last, so a reader never sees half a message.
//   node end2end/mail/sink.js DIR PORT
const fs = require('fs');
const path = require('path');
const { SMTPServer } = require('smtp-server');

const [dir, port] = process.argv.slice(2);
if (!dir || !port) {
  console.error('usage: node end2end/mail/sink.js DIR PORT');
  process.exit(2);
}
fs.mkdirSync(dir, { recursive: true });
let count = 0;

const server = new SMTPServer({
  banner: 'Tohu end-to-end mail sink',
  authOptional: true,
  disabledCommands: ['AUTH', 'STARTTLS'],
  logger: false,
  size: 10 * 1024 * 1024,
  onData(stream, session, callback) {
    const chunks = [];
    stream.on('data', (c) => chunks.push(c));
    stream.on('end', () => {
      const name = String(++count).padStart(6, '0');
      const envelope = {
        from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
        to: session.envelope.rcptTo.map((r) => r.address),
      };
      fs.writeFileSync(path.join(dir, `${name}.json`), JSON.stringify(envelope));
      fs.writeFileSync(path.join(dir, `${name}.eml.part`), Buffer.concat(chunks));
      fs.renameSync(path.join(dir, `${name}.eml.part`), path.join(dir, `${name}.eml`));
      callback();
    });
  },
});
server.on('error', (e) => console.error(`mail sink: ${e.message}`));
server.listen(Number(port), '127.0.0.1', () => console.log(`mail sink on 127.0.0.1:${port}, keeping mail in ${dir}`));
for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => server.close(() => process.exit(0)));
