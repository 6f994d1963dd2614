/**
 * Configuration is read here and nowhere else: every option has one entry in OPTIONS with its
 * environment variable and default, so the README's table and `parley config` cannot drift from
 * what the code does. Command-line flags override the environment, which overrides defaults.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { invalid } from './errors.js';

export interface Config {
  /** The node's directory: keys, the SQLite file, state. */
  dataDir: string;
  /** The party (state or organisation) this node speaks for, as shown to peers. */
  party: string;
  /** `sqlite:PATH` (relative to dataDir) or a `postgres://` URL. */
  db: string;
  host: string;
  port: number;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Largest page a TAXII client may ask for. */
  taxiiMaxPageSize: number;
  /** Largest request body the node accepts, bytes (TAXII max_content_length). */
  maxContentLength: number;
  /** The language the CLI speaks and renders hotline messages in. */
  lang: 'en' | 'ru' | 'zh';
  /** Minutes between gossip rounds with every partner (0: only on demand). */
  gossipMinutes: number;
}

type Key = keyof Config;
interface OptionSpec {
  key: Key;
  env: string;
  flag: string;
  default: (c: Partial<Config>) => string;
  description: string;
  parse: (raw: string, name: string) => Config[Key];
}

const int = (min: number, max: number) => (raw: string, name: string) => {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw invalid('config.invalid', `${name} must be an integer from ${min} to ${max}, got "${raw}"`, {
      option: name,
    });
  }
  return n;
};
const text = (raw: string) => raw;
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
/** The hotline's reader languages (hotline/model/i18n READER_LANGS); core imports nothing of ours. */
const LANGS = ['en', 'ru', 'zh'] as const;

export const OPTIONS: readonly OptionSpec[] = [
  {
    key: 'dataDir',
    env: 'PARLEY_DATA',
    flag: '--data',
    default: () => '.parley',
    description: "the node's directory (keys, SQLite file, state)",
    parse: text,
  },
  {
    key: 'party',
    env: 'PARLEY_PARTY',
    flag: '--party',
    default: () => 'Unnamed party',
    description: 'the party (state or organisation) this node speaks for, as peers see it',
    parse: (raw, name) => {
      const v = raw.trim();
      if (v.length === 0 || v.length > 200) {
        throw invalid('config.invalid', `${name} must be 1 to 200 characters`, { option: name });
      }
      return v;
    },
  },
  {
    key: 'db',
    env: 'PARLEY_DB',
    flag: '--db',
    default: () => 'sqlite:parley.db',
    description: 'database: sqlite:PATH (relative to the data directory) or postgres://USER@HOST:PORT/DB',
    parse: (raw, name) => {
      if (!raw.startsWith('sqlite:') && !/^postgres(ql)?:\/\//.test(raw)) {
        throw invalid('config.invalid', `${name} must start with sqlite: or postgres://, got "${raw}"`, {
          option: name,
        });
      }
      return raw;
    },
  },
  {
    key: 'host',
    env: 'PARLEY_HOST',
    flag: '--host',
    default: () => '127.0.0.1',
    description: 'address the HTTP server binds',
    parse: text,
  },
  {
    key: 'port',
    env: 'PARLEY_PORT',
    flag: '--port',
    default: () => '8470',
    description: 'HTTP port (0 picks a free one)',
    parse: int(0, 65535),
  },
  {
    key: 'logLevel',
    env: 'PARLEY_LOG_LEVEL',
    flag: '--log-level',
    default: () => 'info',
    description: `log level: ${LOG_LEVELS.join(', ')}`,
    parse: (raw, name) => {
      if (!(LOG_LEVELS as readonly string[]).includes(raw)) {
        throw invalid('config.invalid', `${name} must be one of ${LOG_LEVELS.join(', ')}, got "${raw}"`);
      }
      return raw as Config['logLevel'];
    },
  },
  {
    key: 'taxiiMaxPageSize',
    env: 'PARLEY_TAXII_MAX_PAGE',
    flag: '--taxii-max-page',
    default: () => '1000',
    description: 'largest TAXII page a client may request',
    parse: int(1, 100000),
  },
  {
    key: 'maxContentLength',
    env: 'PARLEY_MAX_CONTENT_LENGTH',
    flag: '--max-content-length',
    default: () => String(100 * 1024 * 1024),
    description: 'largest request body accepted, in bytes (TAXII max_content_length)',
    parse: int(1024, 2 ** 31 - 1),
  },
  {
    key: 'lang',
    env: 'PARLEY_LANG',
    flag: '--lang',
    default: () => 'en',
    description: `the CLI's language and the one hotline messages are rendered in: ${LANGS.join(', ')}`,
    parse: (raw, name) => {
      if (!(LANGS as readonly string[]).includes(raw)) {
        throw invalid('config.invalid', `${name} must be one of ${LANGS.join(', ')}, got "${raw}"`, {
          option: name,
        });
      }
      return raw as Config['lang'];
    },
  },
  {
    key: 'gossipMinutes',
    env: 'PARLEY_GOSSIP_MINUTES',
    flag: '--gossip-minutes',
    default: () => '15',
    description: 'minutes between ledger gossip rounds with every partner while serving (0: only on demand)',
    parse: int(0, 10080),
  },
];

/** The file in a node's data directory that remembers choices made at `parley init` (e.g. --db). */
export const NODE_FILE = 'parley.json';

/**
 * Builds the config from flags (already parsed by the CLI, keyed by Config key), then the
 * environment, then the node file written by `parley init` in the data directory, then defaults.
 * `env` is injectable so tests never touch process.env.
 */
export function loadConfig(
  flags: Partial<Record<Key, string | number | undefined>> = {},
  env: Record<string, string | undefined> = process.env,
): Config {
  const out: Partial<Config> = {};
  let saved: Partial<Record<Key, unknown>> = {};
  for (const o of OPTIONS) {
    const fromFlag = flags[o.key];
    const fromSaved = saved[o.key];
    let raw: string;
    let name: string;
    if (fromFlag !== undefined) [raw, name] = [String(fromFlag), o.flag];
    else if (env[o.env] !== undefined) [raw, name] = [env[o.env] as string, o.env];
    else if (fromSaved !== undefined) [raw, name] = [String(fromSaved), `${NODE_FILE} "${o.key}"`];
    else [raw, name] = [o.default(out), o.flag];
    (out as Record<Key, unknown>)[o.key] = o.parse(raw, name);
    // The data directory comes first in OPTIONS, so the node file can inform every later option.
    if (o.key === 'dataDir') saved = readNodeFile(path.resolve(out.dataDir as string));
  }
  const cfg = out as Config;
  cfg.dataDir = path.resolve(cfg.dataDir);
  return cfg;
}

function readNodeFile(dataDir: string): Partial<Record<Key, unknown>> {
  const file = path.join(dataDir, NODE_FILE);
  if (!existsSync(file)) return {};
  try {
    const v = JSON.parse(readFileSync(file, 'utf8')) as unknown;
    if (v && typeof v === 'object' && !Array.isArray(v)) return v as Partial<Record<Key, unknown>>;
  } catch (e) {
    throw invalid('config.invalid', `${file} is not valid JSON: ${(e as Error).message}`);
  }
  throw invalid('config.invalid', `${file} must hold a JSON object`);
}

/** The database URL with a relative SQLite path resolved against the data directory. */
export function resolveDbUrl(cfg: Pick<Config, 'db' | 'dataDir'>): string {
  if (!cfg.db.startsWith('sqlite:')) return cfg.db;
  const p = cfg.db.slice('sqlite:'.length);
  if (p === ':memory:') return cfg.db;
  return `sqlite:${path.resolve(cfg.dataDir, p)}`;
}
