import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Subject, type Observable } from 'rxjs';
import type { HostAgentConfig } from '../config/host-agent-config';
import { resizeScreen, type ScreenSize } from '../display/randr-resizer';
import { CdpClient } from '../cdp/cdp-client';
import { XConnection } from '../x11/x-connection';
import { ManagedProcess, type ExitInfo } from './managed-process';
import { ProcessRecordFile, reapStaleRuntimes, type ReapReport } from './process-record';
import { sleep } from './proc';

export type ProcessName = 'xvfb' | 'openbox' | 'pulseaudio' | 'chromium';

export type RuntimeEvent =
  | Readonly<{ type: 'stale-reaped'; reports: readonly ReapReport[] }>
  | Readonly<{ type: 'process-started'; name: ProcessName; pid: number }>
  | Readonly<{
      type: 'process-crashed';
      name: ProcessName;
      pid: number;
      code: number | null;
      signal: string | null;
    }>
  | Readonly<{ type: 'process-restarted'; name: ProcessName; pid: number; attempt: number }>
  | Readonly<{ type: 'runtime-ready'; display: number; cdpPort: number }>
  | Readonly<{ type: 'runtime-failed'; reason: string }>
  | Readonly<{ type: 'runtime-stopped' }>
  | Readonly<{ type: 'screen-resized'; width: number; height: number }>;

export type RuntimeState = 'idle' | 'starting' | 'ready' | 'stopping' | 'stopped' | 'failed';

export type RuntimeDirs = Readonly<{
  root: string;
  profile: string;
  uploads: string;
  downloads: string;
  pulse: string;
  logs: string;
}>;

/** The Chromium flags of one runtime (pure, so it is unit-tested). */
export const chromiumArgs = (cfg: HostAgentConfig, dirs: RuntimeDirs): string[] => [
  '--no-first-run',
  '--no-default-browser-check',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-sandbox',
  // --test-type suppresses the "unsupported command-line flag: --no-sandbox" info bar, which would
  // otherwise be part of every captured frame (verified by the runtime integration test).
  '--test-type',
  '--disable-gpu',
  '--password-store=basic',
  '--use-mock-keychain',
  '--noerrdialogs',
  '--hide-crash-restore-bubble',
  '--disable-features=Translate,MediaRouter,OptimizationHints',
  '--force-device-scale-factor=1',
  // Grayscale text everywhere: LCD (subpixel) text is re-rastered in grayscale the moment a layer
  // scrolls, which repaints every glyph once; the viewer's subpixel layout is unknown anyway, and
  // fewer colours compress better (palette PNG tiles).
  '--disable-lcd-text',
  '--autoplay-policy=no-user-gesture-required',
  `--user-data-dir=${dirs.profile}`,
  '--remote-debugging-address=127.0.0.1',
  '--remote-debugging-port=0',
  '--window-position=0,0',
  `--window-size=${cfg.width},${cfg.height}`,
  ...(cfg.chromiumKiosk ? ['--kiosk'] : []),
  ...cfg.chromiumExtraArgs,
  cfg.startUrl,
];

/**
 * openbox configuration: no borders or decorations and every window maximized, so Chromium covers
 * the captured screen edge to edge and follows RANDR changes.
 */
export const OPENBOX_RC = `<?xml version="1.0" encoding="UTF-8"?>
<openbox_config xmlns="http://openbox.org/3.4/rc">
  <theme><name>Clearlooks</name><keepBorder>no</keepBorder><animateIconify>no</animateIconify></theme>
  <desktops><number>1</number></desktops>
  <margins><top>0</top><bottom>0</bottom><left>0</left><right>0</right></margins>
  <applications>
    <application class="*"><decor>no</decor><maximized>yes</maximized><focus>yes</focus></application>
  </applications>
</openbox_config>
`;

const RESTARTABLE: readonly ProcessName[] = ['openbox', 'pulseaudio', 'chromium'];

/**
 * Owns the processes of one runtime: Xvfb (own display number, found free by Xvfb itself through
 * `-displayfd`), openbox, PulseAudio with a null sink, and Chromium with a per-runtime profile and a
 * loopback-only DevTools port. Every child runs in its own process group and is recorded in
 * `<rootDir>/<runtimeId>/processes.json`; `start()` first reaps whatever a previous agent that died
 * without cleaning up left behind. Crashed helpers are restarted with exponential backoff and the
 * crash is reported on `events`.
 */
export class RuntimeSupervisor {
  private readonly subject = new Subject<RuntimeEvent>();
  readonly events: Observable<RuntimeEvent> = this.subject.asObservable();
  readonly dirs: RuntimeDirs;
  private readonly record: ProcessRecordFile;
  private readonly procs = new Map<ProcessName, ManagedProcess>();
  private readonly restarts = new Map<ProcessName, number>();
  private stateValue: RuntimeState = 'idle';
  private displayNumber: number | null = null;
  private cdp: number | null = null;
  private xconn: XConnection | null = null;
  private sizeValue: ScreenSize;
  private lastReaped: readonly ReapReport[] = [];

  constructor(private readonly cfg: HostAgentConfig) {
    const root = join(cfg.rootDir, cfg.runtimeId);
    this.dirs = {
      root,
      profile: join(root, 'profile'),
      uploads: join(root, 'uploads'),
      downloads: join(root, 'downloads'),
      pulse: join(root, 'pulse'),
      logs: join(root, 'logs'),
    };
    this.record = new ProcessRecordFile(root, cfg.runtimeId);
    this.sizeValue = { width: cfg.width, height: cfg.height };
  }

  get state(): RuntimeState {
    return this.stateValue;
  }
  get display(): number {
    if (this.displayNumber === null) throw new Error('the runtime has no display yet');
    return this.displayNumber;
  }
  get cdpPort(): number {
    if (this.cdp === null) throw new Error('Chromium has not opened its DevTools port yet');
    return this.cdp;
  }
  get size(): ScreenSize {
    return this.sizeValue;
  }
  get pulseServer(): string {
    return `unix:${join(this.dirs.pulse, 'native')}`;
  }
  get reaped(): readonly ReapReport[] {
    return this.lastReaped;
  }
  pidOf(name: ProcessName): number | undefined {
    return this.procs.get(name)?.pid;
  }

  /** Liveness: the agent itself runs and the X server is up (once started). */
  health(): { ok: boolean; state: RuntimeState; processes: Record<string, boolean> } {
    const processes: Record<string, boolean> = {};
    for (const [name, p] of this.procs) processes[name] = p.running;
    const ok =
      this.stateValue !== 'failed' && (this.procs.get('xvfb')?.running ?? this.stateValue !== 'ready');
    return { ok, state: this.stateValue, processes };
  }

  /** Readiness: every process runs and Chromium answers on its DevTools port. */
  async readiness(): Promise<{ ready: boolean; reason?: string }> {
    if (this.stateValue !== 'ready') return { ready: false, reason: `runtime is ${this.stateValue}` };
    for (const [name, p] of this.procs)
      if (!p.running) return { ready: false, reason: `${name} is not running` };
    try {
      const res = await fetch(`http://127.0.0.1:${this.cdpPort}/json/version`, {
        signal: AbortSignal.timeout(1000),
      });
      if (!res.ok) return { ready: false, reason: `DevTools answered ${res.status}` };
    } catch (e) {
      return { ready: false, reason: `DevTools unreachable: ${(e as Error).message}` };
    }
    return { ready: true };
  }

  async start(): Promise<void> {
    if (this.stateValue !== 'idle' && this.stateValue !== 'stopped')
      throw new Error(`cannot start a runtime that is ${this.stateValue}`);
    this.stateValue = 'starting';
    try {
      this.lastReaped = await reapStaleRuntimes(this.cfg.rootDir);
      if (this.lastReaped.some((r) => r.reaped.length > 0))
        this.subject.next({ type: 'stale-reaped', reports: this.lastReaped });
      for (const d of Object.values(this.dirs)) mkdirSync(d, { recursive: true });
      await this.startXvfb();
      this.xconn = await XConnection.open(this.display);
      this.sizeValue = await resizeScreen(this.xconn, this.sizeValue);
      await this.startProcess('openbox');
      if (this.cfg.audio) await this.startProcess('pulseaudio');
      await this.startProcess('chromium');
      await this.fitBrowserWindows();
      this.stateValue = 'ready';
      this.subject.next({ type: 'runtime-ready', display: this.display, cdpPort: this.cdpPort });
    } catch (e) {
      this.stateValue = 'failed';
      this.subject.next({ type: 'runtime-failed', reason: (e as Error).message });
      await this.killAll();
      throw e;
    }
  }

  async stop(): Promise<void> {
    if (this.stateValue === 'stopped' || this.stateValue === 'idle') return;
    this.stateValue = 'stopping';
    await this.killAll();
    this.stateValue = 'stopped';
    this.subject.next({ type: 'runtime-stopped' });
  }

  /** Resizes the screen through RANDR; Chromium (maximized under openbox) follows the screen. */
  async resize(size: ScreenSize): Promise<ScreenSize> {
    if (!this.xconn) throw new Error('the runtime is not started');
    this.sizeValue = await resizeScreen(this.xconn, size);
    await this.fitBrowserWindows();
    this.subject.next({ type: 'screen-resized', ...this.sizeValue });
    return this.sizeValue;
  }

  /**
   * Makes every Chromium window cover the screen exactly (0,0 to width×height). Chromium draws its
   * own frame, so openbox does not re-maximize it after a RANDR change; DevTools does it instead.
   */
  async fitBrowserWindows(): Promise<void> {
    const res = await fetch(`http://127.0.0.1:${this.cdpPort}/json/version`, {
      signal: AbortSignal.timeout(3000),
    });
    const { webSocketDebuggerUrl } = (await res.json()) as { webSocketDebuggerUrl: string };
    const cdp = await CdpClient.connect(webSocketDebuggerUrl);
    try {
      const { targetInfos } = await cdp.send<{ targetInfos: { targetId: string; type: string }[] }>(
        'Target.getTargets',
      );
      const windows = new Set<number>();
      for (const t of targetInfos.filter((t) => t.type === 'page')) {
        const { windowId } = await cdp.send<{ windowId: number }>('Browser.getWindowForTarget', {
          targetId: t.targetId,
        });
        windows.add(windowId);
      }
      const { width, height } = this.sizeValue;
      for (const windowId of windows) {
        await cdp.send('Browser.setWindowBounds', { windowId, bounds: { windowState: 'normal' } });
        await cdp.send('Browser.setWindowBounds', { windowId, bounds: { left: 0, top: 0, width, height } });
        await cdp.send('Browser.setWindowBounds', { windowId, bounds: { windowState: 'maximized' } });
      }
    } finally {
      cdp.close();
    }
  }

  private async killAll(): Promise<void> {
    this.xconn?.close();
    this.xconn = null;
    const order: ProcessName[] = ['chromium', 'pulseaudio', 'openbox', 'xvfb'];
    for (const name of order) {
      const p = this.procs.get(name);
      if (!p) continue;
      this.procs.delete(name);
      await p.stop();
      this.record.remove(name);
    }
    this.record.delete();
  }

  private track(name: ProcessName, p: ManagedProcess): void {
    this.procs.set(name, p);
    this.record.add({ name, pid: p.pid, pgid: p.pid, startTime: p.startTime });
    this.subject.next({ type: 'process-started', name, pid: p.pid });
    void p.exited.then((info) => this.onExit(name, p, info));
  }

  private onExit(name: ProcessName, p: ManagedProcess, info: ExitInfo): void {
    if (this.procs.get(name) !== p) return; // stopped on purpose or replaced
    if (this.stateValue === 'stopping' || this.stateValue === 'stopped') return;
    this.subject.next({ type: 'process-crashed', name, pid: p.pid, code: info.code, signal: info.signal });
    if (!RESTARTABLE.includes(name) || this.stateValue !== 'ready') {
      this.stateValue = 'failed';
      this.subject.next({
        type: 'runtime-failed',
        reason: `${name} exited (code ${info.code}, signal ${info.signal})`,
      });
      return;
    }
    const attempt = (this.restarts.get(name) ?? 0) + 1;
    this.restarts.set(name, attempt);
    if (attempt > this.cfg.maxRestarts) {
      this.stateValue = 'failed';
      this.subject.next({ type: 'runtime-failed', reason: `${name} crashed ${attempt} times` });
      return;
    }
    const delay = Math.min(10_000, this.cfg.restartBackoffMs * 2 ** (attempt - 1));
    setTimeout(() => {
      if (this.stateValue !== 'ready' || this.procs.get(name) !== p) return;
      this.startProcess(name)
        .then(() => {
          const np = this.procs.get(name);
          if (name === 'chromium') void this.fitBrowserWindows().catch(() => undefined);
          if (np) this.subject.next({ type: 'process-restarted', name, pid: np.pid, attempt });
          // a process that stays up for a minute earns its backoff back
          setTimeout(() => {
            if (this.procs.get(name) === np && np?.running) this.restarts.set(name, 0);
          }, 60_000).unref();
        })
        .catch((e: unknown) => {
          this.stateValue = 'failed';
          this.subject.next({
            type: 'runtime-failed',
            reason: `restarting ${name} failed: ${(e as Error).message}`,
          });
        });
    }, delay).unref();
  }

  private baseEnv(): NodeJS.ProcessEnv {
    const keep = ['PATH', 'LANG', 'LC_ALL', 'TZ', 'FONTCONFIG_PATH'];
    const env: NodeJS.ProcessEnv = {};
    for (const k of keep) if (process.env[k] !== undefined) env[k] = process.env[k];
    env['HOME'] = this.dirs.root;
    env['XDG_RUNTIME_DIR'] = this.dirs.pulse;
    env['XDG_CONFIG_HOME'] = join(this.dirs.root, 'config');
    env['XDG_CACHE_HOME'] = join(this.dirs.root, 'cache');
    if (this.displayNumber !== null) env['DISPLAY'] = `:${this.displayNumber}`;
    return env;
  }

  private async startXvfb(): Promise<void> {
    const args = [
      '-screen',
      '0',
      `${this.cfg.maxWidth}x${this.cfg.maxHeight}x24`,
      '-nolisten',
      'tcp',
      '-noreset',
      '-dpi',
      '96',
      '+extension',
      'RANDR',
    ];
    if (this.cfg.display !== null) args.unshift(`:${this.cfg.display}`);
    else args.push('-displayfd', '3');
    const p = ManagedProcess.start({
      name: 'xvfb',
      command: 'Xvfb',
      args,
      env: this.baseEnv(),
      logFile: join(this.dirs.logs, 'xvfb.log'),
      extraFds: this.cfg.display === null ? 1 : 0,
    });
    this.track('xvfb', p);
    if (this.cfg.display !== null) {
      this.displayNumber = this.cfg.display;
      await this.waitFor(() => existsSync(`/tmp/.X11-unix/X${this.cfg.display}`), 10_000, 'Xvfb socket', p);
    } else {
      const pipe = p.child.stdio[3] as NodeJS.ReadableStream | null;
      if (!pipe) throw new Error('Xvfb -displayfd pipe missing');
      this.displayNumber = await new Promise<number>((resolve, reject) => {
        let text = '';
        const timer = setTimeout(
          () => reject(new Error('Xvfb did not report a display number in 10 s')),
          10_000,
        );
        pipe.on('data', (d: Buffer) => {
          text += d.toString();
          if (text.includes('\n')) {
            clearTimeout(timer);
            resolve(Number(text.trim()));
          }
        });
        void p.exited.then((i) => {
          clearTimeout(timer);
          reject(new Error(`Xvfb exited before it was ready (code ${i.code})`));
        });
      });
    }
    this.record.setDisplay(this.displayNumber);
  }

  private async startProcess(name: ProcessName): Promise<void> {
    const env = this.baseEnv();
    switch (name) {
      case 'xvfb':
        return await this.startXvfb();
      case 'openbox': {
        const rc = join(this.dirs.root, 'openbox-rc.xml');
        writeFileSync(rc, OPENBOX_RC);
        const p = ManagedProcess.start({
          name,
          command: 'openbox',
          args: ['--config-file', rc],
          env,
          logFile: join(this.dirs.logs, 'openbox.log'),
        });
        this.track(name, p);
        await sleep(150);
        if (!p.running) throw new Error('openbox exited at start');
        return;
      }
      case 'pulseaudio': {
        const sock = join(this.dirs.pulse, 'native');
        rmSync(sock, { force: true });
        const p = ManagedProcess.start({
          name,
          command: 'pulseaudio',
          args: [
            '--daemonize=no',
            '--exit-idle-time=-1',
            '-n',
            '--use-pid-file=no',
            '--disable-shm=yes',
            '--load=module-null-sink sink_name=bpane sink_properties=device.description=bpane rate=48000',
            `--load=module-native-protocol-unix socket=${sock} auth-anonymous=1`,
            '--load=module-always-sink',
          ],
          env,
          logFile: join(this.dirs.logs, 'pulseaudio.log'),
        });
        this.track(name, p);
        await this.waitFor(() => existsSync(sock), 10_000, 'PulseAudio socket', p);
        return;
      }
      case 'chromium': {
        this.prepareProfile();
        const portFile = join(this.dirs.profile, 'DevToolsActivePort');
        rmSync(portFile, { force: true });
        if (this.cfg.audio) env['PULSE_SERVER'] = this.pulseServer;
        const p = ManagedProcess.start({
          name,
          command: this.cfg.chromiumPath,
          args: chromiumArgs(this.cfg, this.dirs),
          env,
          logFile: join(this.dirs.logs, 'chromium.log'),
        });
        this.track(name, p);
        await this.waitFor(
          () => existsSync(portFile) && readFileSync(portFile, 'utf8').includes('\n'),
          30_000,
          'Chromium DevTools port',
          p,
        );
        this.cdp = Number(readFileSync(portFile, 'utf8').split('\n')[0]);
        return;
      }
    }
  }

  /** Download folder, no prompts, and a clean exit state (no "restore pages?" bubble after a crash). */
  private prepareProfile(): void {
    const dir = join(this.dirs.profile, 'Default');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, 'Preferences');
    let prefs: Record<string, unknown> = {};
    try {
      prefs = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    } catch {
      /* first start */
    }
    prefs['download'] = {
      default_directory: this.dirs.downloads,
      prompt_for_download: false,
      directory_upgrade: true,
    };
    prefs['profile'] = { ...(prefs['profile'] ?? {}), exit_type: 'Normal', exited_cleanly: true };
    prefs['savefile'] = { default_directory: this.dirs.downloads };
    writeFileSync(file, JSON.stringify(prefs));
  }

  private async waitFor(
    cond: () => boolean,
    timeoutMs: number,
    what: string,
    p: ManagedProcess,
  ): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!cond()) {
      if (!p.running) throw new Error(`${what}: the process exited`);
      if (Date.now() > deadline) throw new Error(`${what}: not ready after ${timeoutMs} ms`);
      await sleep(25);
    }
  }
}
