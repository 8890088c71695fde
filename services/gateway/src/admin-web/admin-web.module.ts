import { Module } from '@nestjs/common';
import { AdminWebController } from './admin-web.controller';

/** The admin console (docs/admin-web.md): `/admin/` and the `/` redirect. */
@Module({ controllers: [AdminWebController] })
export class AdminWebModule {}
