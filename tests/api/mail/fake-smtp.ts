// A tiny fake SMTP relay for the SMTP transport tests. No real mail server can
// run on this machine, so this stands in for one: it speaks just enough of
// RFC 5321 (EHLO, AUTH PLAIN, MAIL, RCPT, DATA with dot-unstuffing, RSET, NOOP,
// QUIT) for a real client (nodemailer) to deliver to it, and records what it
// was given. It listens on 127.0.0.1 only, on a port the OS picks, drops idle
// connections after 5 s, and shuts itself down after `lifetimeMs` (default
// 30 s) even if a test forgets to close it.
import net from 'node:net';

export interface ReceivedMail {
  auth?: { user: string; pass: string };
  mailFrom: string;
  rcptTo: string[];
  /** The message as sent after DATA, dot-unstuffed, CRLF line ends. */
  data: string;
}

export interface FakeSmtpOptions {
  /** Accept only this login (AUTH PLAIN); when set, MAIL without AUTH is refused. */
  login?: { user: string; pass: string };
  /** Recipients answered with 550. */
  rejectRecipient?: (address: string) => boolean;
  lifetimeMs?: number;
}

export interface FakeSmtp {
  port: number;
  received: ReceivedMail[];
  /** Every command line seen, in order (AUTH lines masked). */
  commands: string[];
  close(): Promise<void>;
}

export async function startFakeSmtp(options: FakeSmtpOptions = {}): Promise<FakeSmtp> {
  const received: ReceivedMail[] = [];
  const commands: string[] = [];
  const sockets = new Set<net.Socket>();

  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    socket.setTimeout(5_000, () => socket.destroy());
    socket.setEncoding('utf8');

    let buffer = '';
    let auth: ReceivedMail['auth'];
    let awaitingPlain = false;
    let current: Omit<ReceivedMail, 'data'> | undefined;
    let dataLines: string[] | undefined;
    const reply = (line: string) => socket.write(`${line}\r\n`);

    const checkPlain = (encoded: string) => {
      const [, user = '', pass = ''] = Buffer.from(encoded, 'base64').toString('utf8').split('\0');
      if (options.login && (user !== options.login.user || pass !== options.login.pass)) {
        reply('535 5.7.8 Authentication credentials invalid');
        return;
      }
      auth = { user, pass };
      reply('235 2.7.0 Authentication successful');
    };

    const handle = (line: string) => {
      if (dataLines) {
        if (line === '.') {
          received.push({ ...current!, data: dataLines.join('\r\n') });
          dataLines = undefined;
          current = undefined;
          reply(`250 2.0.0 Ok: queued as FAKE${received.length}`);
        } else {
          dataLines.push(line.startsWith('..') ? line.slice(1) : line);
        }
        return;
      }
      if (awaitingPlain) {
        awaitingPlain = false;
        commands.push('(credentials)');
        checkPlain(line);
        return;
      }
      commands.push(/^AUTH /i.test(line) ? 'AUTH PLAIN (masked)' : line);
      const verb = line.split(' ', 1)[0]!.toUpperCase();
      switch (verb) {
        case 'EHLO':
          socket.write('250-fake.smtp.test\r\n250-AUTH PLAIN\r\n250-8BITMIME\r\n250 SIZE 10485760\r\n');
          return;
        case 'HELO':
          return reply('250 fake.smtp.test');
        case 'AUTH': {
          const [, mechanism = '', initial] = line.split(' ');
          if (mechanism.toUpperCase() !== 'PLAIN') return reply('504 5.5.4 Unrecognized authentication type');
          if (initial) return checkPlain(initial);
          awaitingPlain = true;
          return reply('334 ');
        }
        case 'MAIL': {
          if (options.login && !auth) return reply('530 5.7.0 Authentication required');
          const from = /^MAIL FROM:\s*<([^>]*)>/i.exec(line)?.[1];
          if (from === undefined) return reply('501 5.5.4 Syntax: MAIL FROM:<address>');
          current = { ...(auth ? { auth } : {}), mailFrom: from, rcptTo: [] };
          return reply('250 2.1.0 Ok');
        }
        case 'RCPT': {
          const to = /^RCPT TO:\s*<([^>]*)>/i.exec(line)?.[1];
          if (!current) return reply('503 5.5.1 Need MAIL first');
          if (to === undefined) return reply('501 5.5.4 Syntax: RCPT TO:<address>');
          if (options.rejectRecipient?.(to)) return reply('550 5.1.1 Recipient address rejected: user unknown');
          current.rcptTo.push(to);
          return reply('250 2.1.5 Ok');
        }
        case 'DATA':
          if (!current || current.rcptTo.length === 0) return reply('554 5.5.1 No valid recipients');
          dataLines = [];
          return reply('354 End data with <CR><LF>.<CR><LF>');
        case 'RSET':
          current = undefined;
          return reply('250 2.0.0 Ok');
        case 'NOOP':
          return reply('250 2.0.0 Ok');
        case 'QUIT':
          reply('221 2.0.0 Bye');
          socket.end();
          return;
        default:
          return reply('502 5.5.2 Command not recognised');
      }
    };

    socket.on('data', (chunk: string) => {
      buffer += chunk;
      let end: number;
      while ((end = buffer.indexOf('\r\n')) !== -1) {
        const line = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        handle(line);
      }
      if (buffer.length > 1_000_000) socket.destroy();
    });
    reply('220 fake.smtp.test ESMTP ready');
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as net.AddressInfo).port;

  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= new Promise<void>((resolve) => {
      clearTimeout(lifetime);
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    });
    return closing;
  };
  const lifetime = setTimeout(() => void close(), options.lifetimeMs ?? 30_000);
  lifetime.unref();

  return { port, received, commands, close };
}

/** A port on 127.0.0.1 that nothing listens on (it was free a moment ago). */
export async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
