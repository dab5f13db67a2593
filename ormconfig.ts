/**
 * The TypeORM DataSource for the migration CLI: `npx typeorm migration:run -d dist/ormconfig.js`.
 * Reads DATABASE_URL (production); the app itself runs migrations at boot.
 */
import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from './src/database/data-source.options';

const url = process.env.DATABASE_URL;
if (!url) throw new Error('DATABASE_URL is required for the migration CLI');

export default new DataSource(dataSourceOptions(url, { embedded: false }));
