/**
 * Headless Chromium (Debian's `chromium`) driven over the Chrome DevTools
 * Protocol through `--remote-debugging-pipe`: Chromium reads commands on fd 3
 * and writes replies and events on fd 4, each a JSON message ended by a NUL.
 * No port is opened, so nothing else on the machine can talk to it.
 *
 * Each browser runs in its own process group with its own new profile
 * folder; close() ends that group (and only it) and removes the folder.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { noteTempDir } from './temp.js';

export const CHROMIUM = '/usr/bin/chromium';

interface Message {
  id?: number;
  method?: string;
  params?: Record<string, unknown>;
  result?: Record<string, unknown>;
  error?: { code: number; message: string };
  sessionId?: string;
}

export interface CdpEvent {
  method: string;
  params: Record<string, unknown>;
  sessionId?: string;
}

export class Chromium {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (r: Record<string, unknown>) => void; reject: (e: Error) => void }>();
  private readonly listeners = new Set<(event: CdpEvent) => void>();
  private readonly exited: Promise<void>;
  private buffer = '';
  /** Every event received, in order. */
  readonly events: CdpEvent[] = [];

  private constructor(
    private readonly child: ChildProcess,
    private readonly profile: string,
  ) {
    const toBrowser = child.stdio[3] as Writable;
    const fromBrowser = child.stdio[4] as Readable;
    fromBrowser.setEncoding('utf8');
    fromBrowser.on('data', (chunk: string) => this.receive(chunk));
    this.exited = new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) resolve();
      else child.once('exit', () => resolve());
    });
    void this.exited.then(() => {
      for (const { reject } of this.pending.values()) reject(new Error('chromium exited'));
      this.pending.clear();
    });
    this.write = (text) => toBrowser.write(text);
  }

  private readonly write: (text: string) => void;

  static async launch(): Promise<Chromium> {
    const profile = noteTempDir(await mkdtemp(join(tmpdir(), 'aitool-chromium-')));
    // Chromium's singleton lock folder goes to TMPDIR and dconf's cache to HOME: both inside the profile folder, which
    // close() removes, so nothing is left in the machine's temporary folder or the user's home.
    const home = join(profile, 'home');
    const tmp = join(profile, 'tmp');
    await mkdir(home);
    await mkdir(tmp);
    const child = spawn(
      CHROMIUM,
      [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--disable-extensions',
        '--hide-scrollbars',
        `--user-data-dir=${profile}`,
        '--remote-debugging-pipe',
        'about:blank',
      ],
      // fds 3 and 4 are the protocol pipe; stderr is kept for a failure message.
      {
        stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'],
        detached: true,
        env: { ...process.env, HOME: home, TMPDIR: tmp, XDG_CONFIG_HOME: join(home, '.config'), XDG_CACHE_HOME: join(home, '.cache') },
      },
    );
    let stderr = '';
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr = (stderr + chunk).slice(-4000)));
    await new Promise<void>((resolve, reject) => {
      child.once('spawn', resolve);
      child.once('error', reject);
    });
    const browser = new Chromium(child, profile);
    try {
      await browser.send('Browser.getVersion', {}, undefined, 20_000);
    } catch (error) {
      await browser.close();
      throw new Error(`chromium did not answer: ${(error as Error).message}\n${stderr}`);
    }
    return browser;
  }

  private receive(chunk: string): void {
    this.buffer += chunk;
    for (let end = this.buffer.indexOf('\0'); end !== -1; end = this.buffer.indexOf('\0')) {
      const message = JSON.parse(this.buffer.slice(0, end)) as Message;
      this.buffer = this.buffer.slice(end + 1);
      if (message.id !== undefined) {
        const waiter = this.pending.get(message.id);
        this.pending.delete(message.id);
        if (message.error) waiter?.reject(new Error(`${message.error.message} (${message.error.code})`));
        else waiter?.resolve(message.result ?? {});
      } else if (message.method) {
        const event: CdpEvent = { method: message.method, params: message.params ?? {}, ...(message.sessionId ? { sessionId: message.sessionId } : {}) };
        this.events.push(event);
        for (const listener of this.listeners) listener(event);
      }
    }
  }

  send(method: string, params: Record<string, unknown> = {}, sessionId?: string, timeoutMs = 15_000): Promise<Record<string, unknown>> {
    const id = this.nextId++;
    const reply = new Promise<Record<string, unknown>>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`${method}: no reply in ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, {
        resolve: (r) => (clearTimeout(timer), resolve(r)),
        reject: (e) => (clearTimeout(timer), reject(e)),
      });
    });
    this.write(`${JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) })}\0`);
    return reply;
  }

  /** Resolves with the first event (from now on) that matches. */
  waitFor(method: string, sessionId: string | undefined, timeoutMs = 15_000): Promise<CdpEvent> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.listeners.delete(listener);
        reject(new Error(`timed out waiting for ${method}`));
      }, timeoutMs);
      const listener = (event: CdpEvent) => {
        if (event.method !== method || event.sessionId !== sessionId) return;
        clearTimeout(timer);
        this.listeners.delete(listener);
        resolve(event);
      };
      this.listeners.add(listener);
    });
  }

  /** A new tab, attached, with the domains a test watches enabled. */
  async newPage(): Promise<Page> {
    const { targetId } = (await this.send('Target.createTarget', { url: 'about:blank' })) as { targetId: string };
    const { sessionId } = (await this.send('Target.attachToTarget', { targetId, flatten: true })) as { sessionId: string };
    for (const domain of ['Page', 'Runtime', 'Network', 'Log']) await this.send(`${domain}.enable`, {}, sessionId);
    return new Page(this, sessionId);
  }

  /** Ends this Chromium's process group (never anything else) and removes its profile folder. */
  async close(): Promise<void> {
    const pid = this.child.pid;
    if (pid !== undefined && this.child.exitCode === null && this.child.signalCode === null) {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
      await this.exited;
    }
    await rm(this.profile, { recursive: true, force: true });
  }
}

export class Page {
  constructor(
    readonly browser: Chromium,
    readonly sessionId: string,
  ) {}

  send(method: string, params: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
    return this.browser.send(method, params, this.sessionId);
  }

  /** This page's events so far. */
  events(method?: string): CdpEvent[] {
    return this.browser.events.filter((e) => e.sessionId === this.sessionId && (method === undefined || e.method === method));
  }

  async viewport(width: number, height: number, mobile: boolean): Promise<void> {
    await this.send('Emulation.setDeviceMetricsOverride', { width, height, deviceScaleFactor: mobile ? 2 : 1, mobile });
  }

  /** Opens `url` and resolves once its load event fired. */
  async open(url: string): Promise<void> {
    const loaded = this.browser.waitFor('Page.loadEventFired', this.sessionId);
    const { errorText } = (await this.send('Page.navigate', { url })) as { errorText?: string };
    if (errorText) throw new Error(`navigate ${url}: ${errorText}`);
    await loaded;
  }

  /** The value of a JavaScript expression in the page (DevTools evaluates it; the page's own scripts stay blocked). */
  async evaluate<T>(expression: string): Promise<T> {
    const { result, exceptionDetails } = (await this.send('Runtime.evaluate', { expression, returnByValue: true })) as {
      result: { value: T };
      exceptionDetails?: unknown;
    };
    if (exceptionDetails) throw new Error(`evaluate failed: ${JSON.stringify(exceptionDetails)}`);
    return result.value;
  }

  /** A PNG of the viewport, or of the whole page. */
  async screenshot(wholePage: boolean): Promise<Buffer> {
    const { data } = (await this.send('Page.captureScreenshot', { format: 'png', captureBeyondViewport: wholePage })) as { data: string };
    return Buffer.from(data, 'base64');
  }
}
