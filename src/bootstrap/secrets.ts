import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { AppConfig, RuntimeConfig } from '../config/config.types';

interface StoredSecrets {
  jwtSecret: string;
  adminToken: string;
  originJwtSecret: string;
}

/**
 * Fills unset secrets. In embedded mode they are generated on first start and kept in
 * `<dataDir>/secrets.json` (0600) so a restart keeps the same admin token; with DATABASE_URL the config
 * loader has already required them. The identity JWT for origins defaults to JWT_SECRET, as Alby's
 * gateway signs with the secret LNDhub shares.
 */
export function resolveSecrets(config: AppConfig): RuntimeConfig {
  const stored = config.databaseUrl ? undefined : loadOrCreate(config.dataDir);
  const jwtSecret = config.jwtSecret ?? stored?.jwtSecret;
  const adminToken = config.adminToken ?? stored?.adminToken;
  if (!jwtSecret || !adminToken) throw new Error('JWT_SECRET and ADMIN_TOKEN are required with DATABASE_URL');
  return {
    ...config,
    jwtSecret,
    adminToken,
    originJwtSecret: config.originJwtSecret ?? (config.jwtSecret ? jwtSecret : stored?.originJwtSecret ?? jwtSecret),
  };
}

function loadOrCreate(dataDir: string): StoredSecrets {
  const file = path.join(dataDir, 'secrets.json');
  if (fs.existsSync(file)) {
    try {
      const stored = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<StoredSecrets>;
      if (stored.jwtSecret && stored.adminToken && stored.originJwtSecret) return stored as StoredSecrets;
    } catch {
      /* reported below */
    }
    throw new Error(`${file} is not a valid satgate secrets file; restore it, or delete it to generate new secrets (the admin token and issued user JWTs change)`);
  }
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const secrets: StoredSecrets = {
    jwtSecret: randomBytes(32).toString('base64url'),
    adminToken: `sgadm_${randomBytes(24).toString('base64url')}`,
    originJwtSecret: randomBytes(32).toString('base64url'),
  };
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  fs.renameSync(tmp, file);
  return secrets;
}
