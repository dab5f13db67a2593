import type { BannerSection } from '../common/banner.service';
import type { SatgateRuntime } from '../config/runtime';


/**
 * The demo-mode banner on stdout: the one place secrets are shown (the structured log never carries them).
 */
export function renderBanner(url: string, runtime: SatgateRuntime, sections: BannerSection[] = []): string {
  const c = runtime.config;
  const out: string[] = [
    '',
    '  satgate is running (demo mode)',
    '  ------------------------------',
    `  URL           ${c.publicUrl}  (listening on ${url})`,
    `  Health        ${c.publicUrl}/health`,
    `  Metrics       ${c.publicUrl}/metrics`,
    `  OpenAPI       ${c.publicUrl}/docs-json`,
    `  Data dir      ${c.dataDir}`,
    `  Database      ${runtime.embedded ? 'embedded Postgres (PGlite)' : 'DATABASE_URL'}`,
    `  Lightning     ${runtime.regtestDir ? `built-in regtest network (${runtime.regtestDir})` : c.lnd ? `LND at ${c.lnd.socket}` : 'not configured'}`,
    `  Demo origin   ${runtime.demoOriginUrl ?? '-'}`,
    '',
    `  Admin token   ${c.adminToken}`,
    `    curl -H "Authorization: Bearer ${c.adminToken}" ${c.publicUrl}/admin/ping`,
  ];
  for (const s of sections) {
    out.push('', `  ${s.title}`, ...s.lines.map((l) => `    ${l}`));
  }
  out.push('', '  Ctrl-C stops satgate and everything it started.', '');
  return out.join('\n');
}
