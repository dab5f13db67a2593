import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { GatewayRouteDef, RouteMode } from './route-table';

/**
 * A gateway route row (docs/architecture.md, "Data": name, method + path pattern (+ host), upstream, policy, price, token
 * lifetime, capabilities). The schema comes from migration 1763900000000-GatewayRoutes; this class only maps it.
 */
@Entity({ name: 'gateway_routes' })
@Index('gateway_routes_position_idx', ['position'])
export class GatewayRouteEntity {
  /** Assigned by the repository (randomUUID), so no database extension is needed for it. */
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'varchar', length: 64, unique: true })
  name!: string;

  /** Upper-case methods; empty = every method. */
  @Column({ type: 'text', array: true, default: () => "'{}'" })
  methods!: string[];

  @Column({ type: 'varchar', length: 512 })
  path!: string;

  @Column({ type: 'varchar', length: 255, nullable: true })
  host!: string | null;

  @Column({ type: 'varchar', length: 2048 })
  origin!: string;

  @Column({ type: 'varchar', length: 512, nullable: true })
  rewrite!: string | null;

  @Column({ type: 'varchar', length: 16 })
  mode!: RouteMode;

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  scopes!: string[];

  /** Satoshis per fresh L402 (modes l402, both, either). */
  @Column({ type: 'integer', nullable: true })
  price!: number | null;

  /** L402 lifetime in seconds. */
  @Column({ type: 'integer', nullable: true })
  lifetime!: number | null;

  /** L402 service name (defaults to the route name at creation). */
  @Column({ type: 'varchar', length: 64, nullable: true })
  service!: string | null;

  @Column({ type: 'integer', nullable: true })
  tier!: number | null;

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  capabilities!: string[];

  @Column({ type: 'varchar', length: 64, nullable: true })
  capability!: string | null;

  @Column({ name: 'timeout_ms', type: 'integer', nullable: true })
  timeoutMs!: number | null;

  @Column({ type: 'boolean', default: true })
  enabled!: boolean;

  @Column({ type: 'integer', default: 0 })
  position!: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}

/** Maps a row to the plain definition the table compiles. */
export function toDef(e: GatewayRouteEntity): GatewayRouteDef {
  return {
    id: e.id,
    name: e.name,
    methods: e.methods,
    path: e.path,
    host: e.host,
    origin: e.origin,
    rewrite: e.rewrite,
    mode: e.mode,
    scopes: e.scopes,
    price: e.price,
    lifetime: e.lifetime,
    service: e.service,
    tier: e.tier,
    capabilities: e.capabilities,
    capability: e.capability,
    timeoutMs: e.timeoutMs,
    enabled: e.enabled,
    position: e.position,
  };
}
