import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { GatewayRouteEntity } from './gateway-route.entity';
import type { GatewayRouteDef } from './route-table';

/** Fields a caller sets when creating a route (id and timestamps come from the database). */
export type GatewayRouteFields = Omit<GatewayRouteDef, 'id'>;

/** Named queries over `gateway_routes`; the rules live in GatewayRoutesService (docs/style.md, "Layers"). */
@Injectable()
export class GatewayRoutesRepository {
  constructor(@InjectRepository(GatewayRouteEntity) private readonly repo: Repository<GatewayRouteEntity>) {}

  /** Every route in table order: what the in-memory route table is built from. */
  listInOrder(): Promise<GatewayRouteEntity[]> {
    return this.repo.find({ order: { position: 'ASC', name: 'ASC' } });
  }

  findById(id: string): Promise<GatewayRouteEntity | null> {
    return this.repo.findOneBy({ id });
  }

  findByName(name: string): Promise<GatewayRouteEntity | null> {
    return this.repo.findOneBy({ name });
  }

  /** The position a new route gets when none is given: after every existing one. */
  async nextPosition(): Promise<number> {
    const row = await this.repo.createQueryBuilder('r').select('MAX(r.position)', 'max').getRawOne<{ max: number | null }>();
    return row?.max === null || row?.max === undefined ? 10 : Number(row.max) + 10;
  }

  insert(fields: GatewayRouteFields): Promise<GatewayRouteEntity> {
    return this.repo.save(this.repo.create({ ...fields, id: randomUUID() }));
  }

  /** Inserts routes whose name is not taken yet and leaves existing ones alone; returns how many were added. */
  async insertMissing(rows: GatewayRouteFields[]): Promise<number> {
    if (!rows.length) return 0;
    const result = await this.repo
      .createQueryBuilder()
      .insert()
      .into(GatewayRouteEntity)
      .values(rows.map((r) => ({ ...r, id: randomUUID() })))
      .orIgnore()
      .returning(['id'])
      .execute();
    return result.raw.length;
  }

  save(entity: GatewayRouteEntity): Promise<GatewayRouteEntity> {
    return this.repo.save(entity);
  }

  async delete(id: string): Promise<boolean> {
    const result = await this.repo.delete({ id });
    return (result.affected ?? 0) > 0;
  }
}
