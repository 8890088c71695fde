import { Module } from '@nestjs/common';
import { SessionAdmission } from './session-admission';
import { RunSessionCommandHandler } from './session-commands';
import { SessionsController } from './sessions.controller';
import { SessionsService } from './sessions.service';

@Module({
  controllers: [SessionsController],
  providers: [SessionsService, SessionAdmission, RunSessionCommandHandler],
  exports: [SessionsService],
})
export class SessionsModule {}
