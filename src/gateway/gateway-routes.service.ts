import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { InvalidationBus } from '../database/invalidation.bus';
import type { GatewayRouteCreateDto, GatewayRouteUpdateDto } from './gateway-route.dto';
import type { GatewayRouteEntity } from './gateway-route.entity';
import { GatewayRouteFields, GatewayRoutesRepository } from './gateway-routes.repository';
import { checkRoute, ROUTE_NAME_PATTERN } from './route-rules';
import { ROUTES_TOPIC, RouteTableService } from './route-table.service';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const L402_MODES = new Set(['l402', 'both', 'either']);

/**
 * The rules of the admin route API: validate against satgate's own paths and the policy vocabulary, persist,
 * then invalidate the route table on every instance. A call returns once this instance serves the change.
 */
@Injectable()
export class GatewayRoutesService {
  constructor(
    private readonly repository: GatewayRoutesRepository,
    private readonly table: RouteTableService,
    private readonly bus: InvalidationBus,
  ) {}

  list(): Promise<GatewayRouteEntity[]> {
    return this.repository.listInOrder();
  }

  /**
   * By id, or by name (handier for curl). Anything that is neither a UUID nor a valid route name cannot name
   * a route and is answered 404 without a query: arbitrary path bytes (NUL, invalid UTF-8, 10 kB) never
   * reach Postgres, which would refuse some of them with an error instead of "no such row".
   */
  async get(idOrName: string): Promise<GatewayRouteEntity> {
    let found: GatewayRouteEntity | null;
    if (UUID.test(idOrName)) found = await this.repository.findById(idOrName);
    else if (ROUTE_NAME_PATTERN.test(idOrName)) found = await this.repository.findByName(idOrName);
    else throw new NotFoundException('no gateway route with this id or name');
    if (!found) throw new NotFoundException(`no gateway route ${idOrName}`);
    return found;
  }

  async create(dto: GatewayRouteCreateDto): Promise<GatewayRouteEntity> {
    const fields = withDefaults({
      name: dto.name,
      methods: normalizeMethods(dto.methods ?? []),
      path: dto.path,
      host: dto.host ?? null,
      origin: dto.origin,
      rewrite: dto.rewrite ?? null,
      mode: dto.mode,
      scopes: dto.scopes ?? [],
      price: dto.price ?? null,
      lifetime: dto.lifetime ?? null,
      service: dto.service ?? null,
      tier: dto.tier ?? null,
      capabilities: dto.capabilities ?? [],
      capability: dto.capability ?? null,
      timeoutMs: dto.timeoutMs ?? null,
      enabled: dto.enabled ?? true,
      position: dto.position ?? (await this.repository.nextPosition()),
    });
    checkRoute(fields, this.table.reserved());
    if (await this.repository.findByName(fields.name)) throw new ConflictException(`a gateway route named ${fields.name} exists`);
    const saved = await this.repository.insert(fields).catch(uniqueViolation(fields.name));
    await this.changed(saved.id);
    return saved;
  }

  /** Applies the given fields (`null` clears an optional one) and checks the merged route as a whole. */
  async update(idOrName: string, dto: GatewayRouteUpdateDto): Promise<GatewayRouteEntity> {
    const entity = await this.get(idOrName);
    const given = dto as Record<string, unknown>;
    const merged = { ...entity } as GatewayRouteEntity;
    for (const key of Object.keys(given)) {
      if (given[key] === undefined) continue;
      (merged as unknown as Record<string, unknown>)[key] = given[key];
    }
    // Required or list fields cannot be cleared; `null` there means "leave as is".
    for (const key of ['name', 'path', 'origin', 'mode', 'enabled', 'position'] as const) {
      if (merged[key] === null) (merged as unknown as Record<string, unknown>)[key] = entity[key];
    }
    merged.methods = normalizeMethods(merged.methods ?? []);
    merged.scopes = merged.scopes ?? [];
    merged.capabilities = merged.capabilities ?? [];
    const fields = withDefaults(merged);
    checkRoute(fields, this.table.reserved());
    if (fields.name !== entity.name && (await this.repository.findByName(fields.name))) {
      throw new ConflictException(`a gateway route named ${fields.name} exists`);
    }
    Object.assign(entity, fields);
    const saved = await this.repository.save(entity).catch(uniqueViolation(fields.name));
    await this.changed(saved.id);
    return saved;
  }

  async remove(idOrName: string): Promise<void> {
    const entity = await this.get(idOrName);
    await this.repository.delete(entity.id);
    await this.changed(entity.id);
  }

  /** After the change committed: every instance drops its table; this one has reloaded when this resolves. */
  private async changed(id: string): Promise<void> {
    await this.bus.publish(ROUTES_TOPIC, id);
    await this.table.settled();
  }
}

/** A route that takes an L402 keeps the service it was created with, so renaming it later keeps its tokens valid. */
function withDefaults<T extends GatewayRouteFields>(fields: T): T {
  if (L402_MODES.has(fields.mode) && fields.service === null) return { ...fields, service: fields.name };
  return fields;
}

function normalizeMethods(methods: string[]): string[] {
  return [...new Set(methods.map((m) => m.toUpperCase()))];
}

function uniqueViolation(name: string): (err: unknown) => never {
  return (err) => {
    if ((err as { code?: string })?.code === '23505' || (err as { driverError?: { code?: string } })?.driverError?.code === '23505') {
      throw new ConflictException(`a gateway route named ${name} exists`);
    }
    throw err;
  };
}
