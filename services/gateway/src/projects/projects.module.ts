import { Module } from '@nestjs/common';
import { RunProjectCommandHandler } from './project-commands';
import { ProjectsController } from './projects.controller';
import { ProjectsService } from './projects.service';

@Module({
  controllers: [ProjectsController],
  providers: [ProjectsService, RunProjectCommandHandler],
  exports: [ProjectsService],
})
export class ProjectsModule {}
