import { Controller, Get } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { AdminOnly } from '../access/access.decorators';

/** Liveness of the admin API itself; lets operators check their admin token. */
@ApiTags('admin')
@AdminOnly()
@Controller('admin')
export class AdminController {
  @Get('ping')
  ping(): { ok: true } {
    return { ok: true };
  }
}
