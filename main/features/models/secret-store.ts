/**
 * Where endpoint API keys live. Never in the workspace and never in plain text on disk:
 * - in Electron, `SafeStorageSecretStore` encrypts with the OS keychain (Electron safeStorage, installed on
 *   globalThis by main/doors/electron/safe-storage.ts so host code never imports electron) and keeps only the
 *   ciphertext in `<appData>/pulse-workbench/secrets.json`;
 * - in plain Node, `MemorySecretStore` keeps keys for the life of the process, and the endpoint key can come
 *   from the environment variable PULSE_ENDPOINT_API_KEY.
 */
import fs from 'node:fs';
import path from 'node:path';
import { appDataDir } from '../../platform/paths.js';

/** Key under which the OpenAI-compatible endpoint's API key is stored. */
export const ENDPOINT_API_KEY = 'endpoint-api-key';
/** Environment variables read (as a fallback) for a key. */
export const SECRET_ENV: Record<string, string> = { [ENDPOINT_API_KEY]: 'PULSE_ENDPOINT_API_KEY' };

export interface SecretStore {
  readonly kind: 'safe-storage' | 'memory';
  /** True when a stored secret survives a restart. */
  readonly persistent: boolean;
  get(key: string): Promise<string | null>;
  set(key: string, value: string): Promise<void>;
  delete(key: string): Promise<void>;
  /** Whether a key is set (without revealing it). */
  has(key: string): Promise<boolean>;
}

interface SafeStorageBridge {
  encrypt(plain: string): string;
  decrypt(cipher: string): string;
}

function envFallback(key: string, env: NodeJS.ProcessEnv): string | null {
  const name = SECRET_ENV[key];
  const v = name ? env[name] : undefined;
  return v && v.length > 0 ? v : null;
}

/**
 * Secrets a job's worker thread received from the host for this run (JobService.start), never persisted:
 * a worker cannot reach the host's secret store (OS keychain or memory), so the host hands over what it has.
 */
const jobSecrets = new Map<string, string>();
export function provideJobSecrets(secrets: Record<string, string>): void {
  for (const [k, v] of Object.entries(secrets)) jobSecrets.set(k, v);
}

export class MemorySecretStore implements SecretStore {
  readonly kind = 'memory' as const;
  readonly persistent = false;
  private values = new Map<string, string>();
  constructor(private readonly env: NodeJS.ProcessEnv = process.env) {}
  async get(key: string): Promise<string | null> {
    return this.values.get(key) ?? jobSecrets.get(key) ?? envFallback(key, this.env);
  }
  async set(key: string, value: string): Promise<void> {
    this.values.set(key, value);
  }
  async delete(key: string): Promise<void> {
    this.values.delete(key);
  }
  async has(key: string): Promise<boolean> {
    return (await this.get(key)) !== null;
  }
}

export class SafeStorageSecretStore implements SecretStore {
  readonly kind = 'safe-storage' as const;
  readonly persistent = true;
  constructor(
    private readonly bridge: SafeStorageBridge,
    readonly file: string = path.join(appDataDir(), 'pulse-workbench', 'secrets.json'),
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {}

  private read(): Record<string, string> {
    try {
      return JSON.parse(fs.readFileSync(this.file, 'utf8')) as Record<string, string>;
    } catch {
      return {};
    }
  }
  private write(all: Record<string, string>): void {
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    const tmp = `${this.file}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(all), { mode: 0o600 });
    fs.renameSync(tmp, this.file);
  }
  async get(key: string): Promise<string | null> {
    const cipher = this.read()[key];
    if (cipher) {
      try {
        return this.bridge.decrypt(cipher);
      } catch {
        return null; // keychain changed: treat as unset
      }
    }
    return envFallback(key, this.env);
  }
  async set(key: string, value: string): Promise<void> {
    this.write({ ...this.read(), [key]: this.bridge.encrypt(value) });
  }
  async delete(key: string): Promise<void> {
    const all = this.read();
    delete all[key];
    this.write(all);
  }
  async has(key: string): Promise<boolean> {
    return (await this.get(key)) !== null;
  }
}

/** The store for this process: safeStorage when Electron installed it, else memory (+ environment). */
export function createSecretStore(opts: { file?: string; env?: NodeJS.ProcessEnv } = {}): SecretStore {
  const bridge = (globalThis as { __pulseSafeStorage?: SafeStorageBridge }).__pulseSafeStorage;
  if (bridge && process.versions.electron) return new SafeStorageSecretStore(bridge, opts.file, opts.env);
  return new MemorySecretStore(opts.env);
}

let shared: SecretStore | null = null;
/** The host process's one secret store (the doors set keys in it; jobs get a copy of what they need). */
export function sharedSecretStore(): SecretStore {
  return (shared ??= createSecretStore());
}

/** What a job's worker may need from the host's secret store, for JobService.start. */
export async function secretsForJobs(): Promise<Record<string, string>> {
  const key = await sharedSecretStore().get(ENDPOINT_API_KEY);
  return key ? { [ENDPOINT_API_KEY]: key } : {};
}
