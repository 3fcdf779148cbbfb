// One client of the holder: its requests (start, list, subscribe, attach, detach, input, resize,
// rename, close, history), answered on the same socket. A request carries `req`, its answer the
// same `req`; pushed messages (the list, an attached session's end) carry none.
import type { Socket } from 'node:net';
import { errorText } from '../lxd/errors.js';
import { encodeData, encodeJson, FrameReader, type Frame } from './frames.js';
import { DirectTerminal } from './direct-tty.js';
import type { Holder } from './holder.js';
import { startSession } from './holder-start.js';
import { validName } from './registry.js';
import type { Attachment, HeldSession } from './session.js';
import { stateText, type SessionInfo, type StartRequest } from './types.js';

/** Home, clear, default colours: where the redraw of a screen starts. */
const CLEAR = '\x1b[0m\x1b[H\x1b[2J';

export class HolderConnection {
  private readonly reader = new FrameReader();
  private subscribed = false;
  /** The session this client is attached to; `direct`: its terminal, when the holder drives it. */
  private attached: { session: HeldSession; attachment: Attachment; direct: DirectTerminal | null } | null = null;
  private corked = false;

  constructor(
    private readonly holder: Holder,
    private readonly socket: Socket,
  ) {
    socket.on('data', (chunk: Buffer) => {
      let frames: Frame[];
      try {
        frames = this.reader.push(chunk);
      } catch (err) {
        this.send({ op: 'error', message: errorText(err) });
        socket.destroy();
        return;
      }
      for (const f of frames) {
        if (f.kind === 'data') this.attached?.session.input(f.bytes);
        else void this.handle(f.message);
      }
    });
    socket.on('error', () => {});
  }

  send(message: Record<string, unknown>): void {
    if (!this.socket.destroyed) this.socket.write(encodeJson(message));
  }

  pushList(sessions: SessionInfo[]): void {
    if (this.subscribed) this.send({ op: 'list', sessions });
  }

  private async handle(m: Record<string, unknown>): Promise<void> {
    const req = m.req;
    const reply = (body: Record<string, unknown>) => this.send({ ...body, req });
    const fail = (message: string) => reply({ op: 'error', message });
    const session = typeof m.id === 'string' ? this.holder.sessions.get(m.id) : undefined;
    const unknown = () => fail(`no session ${String(m.id)} (lxtop sessions lists them)`);
    switch (m.op) {
      case 'list':
        return reply({ op: 'list', sessions: this.holder.sessions.list() });
      case 'subscribe':
        this.subscribed = true;
        return reply({ op: 'list', sessions: this.holder.sessions.list() });
      case 'start': {
        try {
          const id = await startSession(this.holder, m as unknown as StartRequest);
          return reply({ op: 'started', id });
        } catch (err) {
          return fail(errorText(err));
        }
      }
      case 'attach': {
        if (!session) return unknown();
        if (!session.running) return fail(`session ${session.info.id} has ended: ${stateText(session.info)}`);
        await this.detach();
        // Keys the client's terminal had before the holder reads it: they came first.
        if (typeof m.typed === 'string' && m.typed !== '') session.input(Buffer.from(m.typed, 'base64'));
        const direct = DirectTerminal.open(m.tty, m.detach, {
          input: (bytes) => session.input(bytes),
          leave: (reason) => void this.giveBack(direct, reason),
        });
        const attachment = direct ? this.directAttachment(session, direct) : this.attachment(session);
        this.attached = { session, attachment, direct };
        session.attach(attachment, dim(m.cols, 80), dim(m.rows, 24), (screen) => {
          reply({ op: 'attached', id: session.info.id, info: session.info, direct: direct !== null });
          if (direct) direct.write(CLEAR + screen);
          else this.socket.write(encodeData(Buffer.from(CLEAR + screen, 'utf8')));
        });
        return;
      }
      case 'detach': {
        const direct = this.attached?.direct;
        await this.detach();
        return reply({ op: 'detached', reset: direct?.resetSequence() ?? '' });
      }
      case 'resize':
        this.attached?.session.resize(dim(m.cols, 80), dim(m.rows, 24));
        return;
      case 'rename': {
        if (!session) return unknown();
        const name = typeof m.name === 'string' ? m.name : '';
        const bad = validName(name);
        if (bad) return fail(bad);
        if (name !== '' && this.holder.sessions.get(name) && this.holder.sessions.get(name) !== session) return fail(`a session is named ${name} already`);
        session.info = { ...session.info, name };
        this.holder.changed(true);
        return reply({ op: 'renamed' });
      }
      case 'close': {
        if (!session) return unknown();
        if (session.running) {
          session.close();
          return reply({ op: 'closing' });
        }
        this.holder.sessions.remove(session.info.id);
        session.dispose();
        this.holder.changed(true);
        return reply({ op: 'closed' });
      }
      case 'history': {
        if (!session) return unknown();
        void session.catchUp().then(() => {
          if (this.socket.destroyed) return;
          const log = session.log.contents();
          reply({ op: 'history', info: session.info, bytes: log.length, cols: session.cols });
          this.socket.write(encodeData(log));
        });
        return;
      }
      default:
        return fail(`unknown request ${String(m.op)}`);
    }
  }

  private attachment(session: HeldSession): Attachment {
    const socket = this.socket;
    return {
      send: (bytes) => {
        if (socket.destroyed) return;
        // The frames of one read from the daemon (~4 KB websocket messages, many per read) leave in
        // one write: corked until the end of this tick, which adds no wait.
        if (!this.corked) {
          this.corked = true;
          socket.cork();
          process.nextTick(() => {
            this.corked = false;
            socket.uncork();
          });
        }
        socket.write(encodeData(bytes));
      },
      backlog: () => socket.writableLength,
      onDrain: (resume) => socket.once('drain', resume),
      ended: (info) => {
        if (this.attached?.session === session) this.attached = null;
        this.send({ op: 'ended', info });
      },
    };
  }

  /** Output straight to the client's terminal, which the holder reads too (direct-tty.ts). */
  private directAttachment(session: HeldSession, direct: DirectTerminal): Attachment {
    return {
      send: (bytes) => direct.write(bytes),
      backlog: () => direct.backlog(),
      onDrain: (resume) => direct.onDrain(resume),
      ended: (info) => {
        if (this.attached?.session === session) this.attached = null;
        // The last output reaches the terminal before the client takes it back.
        void direct.release().then(() => this.send({ op: 'ended', info, reset: direct.resetSequence() }));
      },
    };
  }

  /** The detach sequence typed, or the terminal gone: the client gets its terminal back. */
  private async giveBack(direct: DirectTerminal | null, reason: string): Promise<void> {
    // Only the terminal attached now: one given back already (a re-attach since) says nothing more.
    if (direct === null || this.attached?.direct !== direct) return;
    await this.detach();
    this.send({ op: 'released', reason, reset: direct.resetSequence() });
  }

  private detach(): Promise<void> {
    if (this.attached === null) return Promise.resolve();
    const { session, attachment, direct } = this.attached;
    session.detach(attachment);
    this.attached = null;
    return direct?.release() ?? Promise.resolve();
  }

  dispose(): void {
    void this.detach();
  }
}

function dim(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isInteger(value) && value > 0 && value < 10_000 ? value : fallback;
}
