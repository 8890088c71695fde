import { Module } from '@nestjs/common';
import { RunSessionTemplateCommandHandler } from './session-template-commands';
import { SessionTemplatesController } from './session-templates.controller';
import { SessionTemplatesService } from './session-templates.service';

@Module({
  controllers: [SessionTemplatesController],
  providers: [SessionTemplatesService, RunSessionTemplateCommandHandler],
  exports: [SessionTemplatesService],
})
export class SessionTemplatesModule {}
